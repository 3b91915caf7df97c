// Process creation and exit. At exit the era's mm release runs first (EraOps.release: RFCv2's
// exit handlers and PASID release, process.ts; upstream the mmu_notifier release that quiets the
// CDs, sharedcd.ts / svaNotifier.ts), then exit_mmap frees the pages and page tables. The CPU
// ASID goes back to the allocator unless a shared CD still pins it (v5.14–v6.7, until the last
// unbind).
import { hex } from '../engine/index.ts';
import { allocAsid, freeAsid } from './asid.ts';
import { log, type KCtx } from './ctx.ts';
import { eraOf } from './eras/index.ts';
import { fail } from './errors.ts';
import { freeFrames } from './frames.ts';
import { getProcess, newMm } from './mm.ts';

export function createProcess(c: KCtx, name: string, pid: number | undefined): number {
  if (c.k.processes.has(name)) fail('-EEXIST', `a process named ${name} already exists`);
  const want = pid ?? c.k.nextPid;
  if ([...c.k.processes.values()].some((p) => p.pid === want))
    fail('-EEXIST', `pid ${want} is in use`);
  const asid = allocAsid(c.k.cpuAsids, c.k.cpu.asidBits) ?? fail('-ENOSPC', 'no free CPU ASID');
  const mm = newMm(c, name, asid);
  c.k.processes.set(name, { name, pid: want, mm });
  c.k.nextPid = Math.max(c.k.nextPid, want + 1);
  log(c, `fork: ${name} (pid ${want}): mm with pgd ${hex(mm.pgd)}, CPU ASID ${asid}`);
  return want;
}

export function exitProcess(c: KCtx, name: string): void {
  const proc = getProcess(c, name);
  const era = eraOf(c.k.era);
  era.ops.release(c, proc);
  // exit_mmap: pins held through the process's device files are dropped as the files close.
  const mm = proc.mm;
  let freed = 0;
  for (const page of mm.pages.values()) {
    if (!page.zero) {
      freeFrames(c.k.frames, page.pa);
      freed++;
    }
  }
  // A pinned frame no longer mapped at its VA (munmapped, or replaced by another page) is freed
  // here; one still mapped there was freed with the pages above.
  for (const [va, pin] of mm.pins)
    if (!pin.zero && mm.pages.get(va)?.pa !== pin.pa) freeFrames(c.k.frames, pin.pa);
  for (const t of mm.tables) freeFrames(c.k.frames, t);
  // check_mm (kernel/fork.c): pages whose PTE was cleared behind the kernel's back were never
  // zapped, so the anonymous rss counter does not come back to 0.
  if (mm.lost) log(c, `BUG: Bad rss-counter state mm:${name} type:MM_ANONPAGES val:${mm.lost}`);
  const asidFree = era.ops.cpuAsidFree(c, proc);
  if (asidFree) freeAsid(c.k.cpuAsids, mm.asid);
  c.k.processes.delete(name);
  log(
    c,
    `exit: ${name}: ${freed} page(s) and ${mm.tables.length} page-table page(s) freed, CPU ASID ${mm.asid} ${asidFree ? 'released' : 'still pinned by the shared CD (arm64_mm_context_put at the last unbind)'}`,
  );
}
