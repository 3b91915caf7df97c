// Process creation and exit. RFCv2 exit (iommu-process.c iommu_notifier_release; linux-sva
// §1.3, §1.7; mainline's is svaNotifier.ts releaseSva): for every context, process_exit tells the device drivers to stop using the PASID
// (their exit handler), the CD is cleared and the TLB/ATC invalidated, the context freed — and
// the PASID goes back to the IDR at once. Then exit_mmap frees the pages and page tables.
// The exit handler only makes the device stop issuing the PASID: the driver still holds the
// number (its bond) until it calls iommu_process_unbind_device, which then returns -ESRCH — or,
// once the cyclic IDR has wrapped, finds another process (§1.7). That unbind releases the bond
// (index.ts, `unbind`), after which the device can be moved or bound again.
import { hex } from '../engine/index.ts';
import { allocAsid, freeAsid } from './asid.ts';
import { log, type KCtx } from './ctx.ts';
import { fail } from './errors.ts';
import { freeFrames } from './frames.ts';
import { getProcess, newMm } from './mm.ts';
import { detachContext, releaseProcess } from './process.ts';
import { liveIommuProcess } from './query.ts';
import { releaseSva } from './svaNotifier.ts';

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
  const ip = c.k.profile === 'rfc2017' ? liveIommuProcess(c.k, name) : undefined;
  if (c.k.profile === 'mainline') releaseSva(c, proc);
  if (ip) {
    for (const domName of [...ip.domains]) {
      const d = c.k.domains.get(domName)!;
      const ctx = d.contexts.get(name)!;
      for (const dev of new Set(ctx.devices)) {
        log(
          c,
          `process_exit(${domName}, ${name}): exit handler of ${dev}'s driver: stop issuing PASID ${ip.pasid} (the driver keeps the number until it unbinds)`,
        );
      }
      detachContext(c, d, ip.pasid, proc.mm.asid, [...d.devices]);
      d.contexts.delete(name);
      ip.domains = ip.domains.filter((n) => n !== domName);
      log(c, `process_exit(${domName}, ${name}): CD ${ip.pasid} cleared; context freed`);
    }
    releaseProcess(c, ip, proc);
  }
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
  freeAsid(c.k.cpuAsids, mm.asid);
  c.k.processes.delete(name);
  log(
    c,
    `exit: ${name}: ${freed} page(s) and ${mm.tables.length} page-table page(s) freed, CPU ASID ${mm.asid} released`,
  );
}
