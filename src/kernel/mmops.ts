// The process-side ops: mmap/munmap/mprotect, a CPU access (touch), get_user_pages pinning and
// reclaim. Every PTE change on a live mm ends in mmChanged: the CPU's broadcast TLBI and the
// mmu_notifier that reaches the SMMU when the mm is bound (when and where, per era).
import { hex, hex64, walk, type Trace } from '../engine/index.ts';
import { log, type KCtx } from './ctx.ts';
import { fail } from './errors.ts';
import { freeFrames } from './frames.ts';
import {
  allows,
  cpuGeometry,
  getProcess,
  handleMmFault,
  checkFaultInFits,
  pageSize,
  presentSpan,
  pteAllows,
  reprotect,
  zapRange,
} from './mm.ts';
import { mmChanged } from './notifier.ts';
import type { Process } from './state.ts';
import { permsString, type Access, type Perms } from './vocab.ts';
import { covered, cutVmas, findVma, insertVma } from './vmas.ts';

export function mmap(
  c: KCtx,
  procName: string,
  addr: bigint,
  size: bigint,
  prot: Perms,
  populate: boolean,
  name?: string,
): void {
  const proc = getProcess(c, procName);
  const end = addr + size;
  if (proc.mm.vmas.some((v) => v.start < end && addr < v.end))
    fail(
      '-EEXIST',
      `${hex(addr)}–${hex(end - 1n)} overlaps an existing mapping (MAP_FIXED_NOREPLACE)`,
    );
  // MAP_POPULATE faults every page in; a PROT_NONE mapping has nothing to fault in.
  const fill = populate && (prot.r || prot.w || prot.x);
  if (fill)
    checkFaultInFits(
      c,
      { ...proc.mm, vmas: [{ start: addr, end, prot }] },
      addr,
      size,
      'MAP_POPULATE',
    );
  insertVma(
    proc.mm,
    name === undefined ? { start: addr, end, prot } : { start: addr, end, prot, name },
  );
  log(
    c,
    `mmap: ${procName} ${hex(addr)}–${hex(end - 1n)} ${permsString(prot)} (anonymous${name === undefined ? '' : `, labelled ${name}`})${populate ? ', populated' : ''}`,
  );
  if (fill)
    for (let a = addr; a < end; a += pageSize(c))
      handleMmFault(c, proc, a, prot.w ? 'w' : prot.r ? 'r' : 'x');
}

export function munmap(c: KCtx, procName: string, addr: bigint, size: bigint): void {
  const proc = getProcess(c, procName);
  const end = addr + size;
  cutVmas(proc.mm, addr, end);
  const { n, span: changed } = zapRange(c, proc, addr, end, false);
  log(
    c,
    `munmap: ${procName} ${hex(addr)}–${hex(end - 1n)}: ${n} page(s) unmapped${[...proc.mm.pins.keys()].some((v) => v >= addr && v < end) ? ' (pinned pages stay allocated until unpinned)' : ''}`,
  );
  mmChanged(c, proc, addr, end, changed, 'munmap', true);
}

export function mprotect(c: KCtx, procName: string, addr: bigint, size: bigint, prot: Perms): void {
  const proc = getProcess(c, procName);
  const end = addr + size;
  if (!covered(proc.mm, addr, size))
    fail('-ENOMEM', `${hex(addr)}–${hex(end - 1n)} is not fully mapped`);
  // Each piece keeps its name; pieces with the same name merge again (insertVma).
  for (const piece of cutVmas(proc.mm, addr, end)) insertVma(proc.mm, { ...piece, prot });
  reprotect(c, proc.mm, addr, end);
  log(c, `mprotect: ${procName} ${hex(addr)}–${hex(end - 1n)} now ${permsString(prot)}`);
  mmChanged(c, proc, addr, end, presentSpan(c, proc.mm, addr, end, false), 'mprotect');
}

/** The CPU's own walk of the process page tables (same VMSAv8-64 format the SMMU walks). */
export function cpuWalk(
  c: KCtx,
  proc: Process,
  va: bigint,
  trace: Trace | null,
): CpuHit | undefined {
  const geo = cpuGeometry(c);
  const r = walk(
    {
      stage: 1,
      g: geo.g,
      inputSize: geo.inputSize,
      startLevel: geo.startLevel,
      ttb: proc.mm.pgd,
      oaBits: 48,
      had: false,
      inputName: 'VA',
    },
    va,
    (addr) => ({ ok: true, value: c.mem.read64(addr) ?? 0n, pa: addr }),
    trace,
  );
  return r.ok
    ? { pa: r.leaf.oa, pte: r.leaf.desc, apTable: r.leaf.apTable, uxnTable: r.leaf.uxnTable }
    : undefined;
}

interface CpuHit {
  readonly pa: bigint;
  readonly pte: bigint;
  /** The walk's hierarchical limits: APTable (bit 0: no EL0 access, bit 1: no writes), UXNTable. */
  readonly apTable: number;
  readonly uxnTable: boolean;
}

/**
 * Would the CPU let a user (EL0) access through: the PTE's own permissions, then the table
 * descriptors' limits on the way (Arm ARM, hierarchical permissions) — which Linux never sets,
 * so only a hardware-level write puts them there, and the fault handler does not see them.
 */
const cpuAllows = (h: CpuHit, a: Access): boolean =>
  pteAllows(h.pte, a) &&
  (h.apTable & 1) === 0 &&
  !(a === 'w' && (h.apTable & 2) !== 0) &&
  !(a === 'x' && h.uxnTable);

/** A user-space load, store or instruction fetch: demand-faults like the CPU would; returns the PA. */
export function touch(
  c: KCtx,
  procName: string,
  va: bigint,
  access: Access,
  trace: Trace | null,
): bigint {
  const proc = getProcess(c, procName);
  const vma = findVma(proc.mm, va);
  const verb = access === 'w' ? 'write' : access === 'x' ? 'execute' : 'read';
  if (!vma) fail('SIGSEGV', `${procName}: ${verb} at ${hex(va)}: no VMA (SEGV_MAPERR)`);
  if (!allows(vma.prot, access))
    fail(
      'SIGSEGV',
      `${procName}: ${access} at ${hex(va)} in a ${permsString(vma.prot)} VMA (SEGV_ACCERR)`,
    );
  let hit = cpuWalk(c, proc, va, trace);
  if (!hit || !cpuAllows(hit, access)) {
    handleMmFault(c, proc, va, access);
    trace?.push({
      kind: 'decision',
      note: `page fault handled by the kernel; the CPU retries the ${access === 'w' ? 'store' : 'load'}`,
    });
    hit = cpuWalk(c, proc, va, trace);
  }
  // The kernel's handler read the same tables the CPU walks, so only tables changed behind its
  // back in a way its walk does not see (bits it ignores) can fault again: Linux would take the
  // same fault forever. The model stops there (the op is undone, see scenario/atomic.ts).
  if (!hit || !cpuAllows(hit, access))
    fail(
      'SIGSEGV',
      `${procName}: ${verb} at ${hex(va)} faults again after the kernel handled the fault: the CPU's walk ${hit ? `reaches PTE ${hex64(hit.pte)}, and the PTE or the tables above it do not allow it` : 'does not reach a page'} (tables changed behind the kernel's back); the CPU would retry forever`,
    );
  log(
    c,
    `CPU: ${procName} ${access === 'w' ? 'writes' : access === 'x' ? 'executes' : 'reads'} ${hex(va)} → PA ${hex(hit.pa)}`,
  );
  return hit.pa;
}

export function pin(c: KCtx, procName: string, addr: bigint, size: bigint): number {
  const proc = getProcess(c, procName);
  const page = pageSize(c);
  if (!covered(proc.mm, addr, size))
    fail('-EFAULT', `get_user_pages: ${hex(addr)}–${hex(addr + size - 1n)} is not fully mapped`);
  const none = proc.mm.vmas.find(
    (v) => v.start < addr + size && addr < v.end && !v.prot.r && !v.prot.w && !v.prot.x,
  );
  if (none)
    fail('-EFAULT', `get_user_pages: ${hex(none.start)}–${hex(none.end - 1n)} is PROT_NONE`);
  checkFaultInFits(c, proc.mm, addr, size, 'get_user_pages');
  let n = 0;
  for (let a = addr; a < addr + size; a += page) {
    const vma = findVma(proc.mm, a)!;
    handleMmFault(c, proc, a, vma.prot.w ? 'w' : vma.prot.r ? 'r' : 'x'); // FOLL_WRITE when writable
    const p = proc.mm.pages.get(a)!;
    const pinned = proc.mm.pins.get(a);
    if (pinned) proc.mm.pins.set(a, { ...pinned, count: pinned.count + 1 });
    else proc.mm.pins.set(a, { count: 1, pa: p.pa, zero: p.zero });
    n++;
  }
  log(c, `get_user_pages: ${procName} ${n} page(s) from ${hex(addr)} faulted in and pinned`);
  return n;
}

export function unpin(c: KCtx, procName: string, addr: bigint, size: bigint): number {
  const proc = getProcess(c, procName);
  const page = pageSize(c);
  for (let a = addr; a < addr + size; a += page)
    if (!proc.mm.pins.has(a)) fail('-EINVAL', `${hex(a)} of ${procName} is not pinned`);
  let freed = 0;
  for (let a = addr; a < addr + size; a += page) {
    const p = proc.mm.pins.get(a)!;
    if (p.count > 1) {
      proc.mm.pins.set(a, { ...p, count: p.count - 1 });
      continue;
    }
    proc.mm.pins.delete(a);
    const mapped = proc.mm.pages.get(a);
    if ((!mapped || mapped.pa !== p.pa) && !p.zero) {
      freeFrames(c.k.frames, p.pa);
      freed++;
    }
  }
  log(
    c,
    `put_page: ${procName} ${size / page} page(s) from ${hex(addr)} unpinned${freed ? `; ${freed} no longer mapped, freed` : ''}`,
  );
  return freed;
}

/** Page reclaim (kswapd / MADV_PAGEOUT): evicts present, unpinned pages of the range. */
export function reclaim(c: KCtx, procName: string, addr: bigint, size: bigint): number {
  const proc = getProcess(c, procName);
  const end = addr + size;
  const pinned = [...proc.mm.pins.keys()].filter(
    (v) => v >= addr && v < end && proc.mm.pages.has(v),
  ).length;
  const { n, span: changed } = zapRange(c, proc, addr, end, true);
  log(
    c,
    `reclaim: ${procName} ${n} page(s) evicted from ${hex(addr)}–${hex(end - 1n)}${pinned ? `; ${pinned} pinned page(s) kept` : ''}`,
  );
  if (n > 0) mmChanged(c, proc, addr, end, changed, 'reclaim');
  return n;
}
