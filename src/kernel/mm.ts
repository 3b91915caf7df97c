// Process address spaces: VMAs and the arm64 page tables the CPU (and, when shared, the SMMU)
// walk. Faults follow mm/memory.c for anonymous memory: a read maps the shared zero page
// read-only, a write allocates a zeroed page (copy-on-write from the zero page).
import { hex, hex64, ones } from '../engine/index.ts';
import { userPte, userTableDesc } from './arm64.ts';
import { CowMap } from './cowMap.ts';
import { allocZeroed, log, type KCtx } from './ctx.ts';
import { fail } from './errors.ts';
import { freeFrames } from './frames.ts';
import { mmChanged } from './notifier.ts';
import { eraOf } from './eras/index.ts';
import { geometry, slotAt, type Geometry, type Slot } from './pgtable.ts';
import type { Mm, Process, UserPage, Vma } from './state.ts';
import { permsString, type Access, type Perms } from './vocab.ts';
import { findVma } from './vmas.ts';

export const pageSize = (c: KCtx): bigint => 1n << BigInt(c.k.cpu.granule);
export const cpuGeometry = (c: KCtx): Geometry => geometry(c.k.cpu.granule, c.k.cpu.vaBits);

export const allows = (prot: Perms, a: Access): boolean =>
  a === 'r' ? prot.r : a === 'w' ? prot.w : prot.x;

/** Bytes the frame allocator can still hand out: the never-used region and the freed blocks. */
function freeBytes(c: KCtx): bigint {
  const f = c.k.frames;
  let n = f.end - f.next;
  for (const [order, list] of Object.entries(f.free))
    n += BigInt(list.size) << BigInt(12 + Number(order));
  return n;
}

/** Pages one op may fault in: a simulator limit (4 GB of 4 KB pages, more than the default RAM). */
export const MAX_FAULT_IN = 1n << 20n;

/**
 * Faulting in every page of [addr, addr+size) — populating an mmap, get_user_pages — takes at
 * least a new page for each page of a writable VMA not yet present (or still the zero page) and
 * a last-level page table for each table-sized stretch beyond the tables the mm has. When even
 * that is more than the free memory the op would fail with -ENOMEM half-way: it fails at once
 * instead, having counted the VMAs and present pages rather than walked the range. Beyond
 * MAX_FAULT_IN pages the model refuses too (reachable with read-only pages, which all map the
 * zero page, or with a RAM larger than the default 3 GB).
 */
export function checkFaultInFits(c: KCtx, mm: Mm, addr: bigint, size: bigint, what: string): void {
  const page = pageSize(c);
  const end = addr + size;
  if (size / page > MAX_FAULT_IN)
    fail(
      '-ENOMEM',
      `${what}: ${hex(addr)}–${hex(end - 1n)} is ${size / page} pages; the model faults in at most ${MAX_FAULT_IN} in one op (a simulator limit, not Linux's)`,
    );
  let pages = 0n;
  for (const v of mm.vmas) {
    if (!v.prot.w || v.end <= addr || v.start >= end) continue;
    pages += ((v.end < end ? v.end : end) - (v.start > addr ? v.start : addr)) / page;
  }
  for (const [va, p] of mm.pages)
    if (va >= addr && va < end && !p.zero && findVma(mm, va)?.prot.w) pages--;
  const stretches = size / (page * (page / 8n)) - BigInt(mm.tables.length);
  const need = (pages + (stretches > 0n ? stretches : 0n)) * page;
  if (need > freeBytes(c))
    fail(
      '-ENOMEM',
      `${what}: ${hex(addr)}–${hex(end - 1n)} needs at least ${hex(need)} bytes of pages and page tables; ${hex(freeBytes(c))} are free`,
    );
}

export function getProcess(c: KCtx, name: string): Process {
  return c.k.processes.get(name) ?? fail('-ESRCH', `no process named ${name}`);
}

/**
 * The PTE slot for `va`, allocating the page tables down to it (p4d/pud/pmd_alloc, pte_alloc).
 * Each table is linked and recorded as it is allocated, so running out of memory half-way
 * leaves the mm consistent: the tables allocated so far simply stay, as in Linux. A valid
 * non-table descriptor on the way (only a hardware-level write makes one: the kernel maps no
 * huge pages) is a bad entry: cleared as pmd_clear_bad does, then the walk goes on.
 */
export function pteSlot(c: KCtx, mm: Mm, va: bigint): bigint {
  const geo = cpuGeometry(c);
  for (;;) {
    const s = slotAt(c.mem, geo, mm.pgd, va, 3, (level) => {
      const t = allocZeroed(c, pageSize(c), 'pgtable', `page table L${level} (ASID ${mm.asid})`);
      mm.tables.push(t);
      return { pa: t, desc: userTableDesc(eraOf(c.k.era).config.arm64, t) };
    });
    if (s.level === 3) return s.pa;
    clearBad(c, s);
  }
}

/**
 * pXd_clear_bad (mm/pgtable-generic.c): a valid descriptor that is not a table where the kernel
 * expects one is reported (arm64 pXd_ERROR: "bad pmd …") and cleared.
 */
function clearBad(c: KCtx, s: Slot): void {
  log(
    c,
    `mm: bad level-${s.level} descriptor ${hex64(s.desc)} at ${hex(s.pa)} (not a table: written behind the kernel's back): cleared (pmd_clear_bad)`,
  );
  c.mem.write64(s.pa, 0n);
}

/** Writes the PTE for `va` (allocating page tables on the way). */
export function setPte(c: KCtx, mm: Mm, va: bigint, pte: bigint): void {
  c.mem.write64(pteSlot(c, mm, va), pte);
}

/**
 * Clears the PTE for `va` if the tables reach one (zap_pte_range); a missing table has nothing
 * to clear (pmd_none: skipped, nothing allocated), a bad entry on the way is cleared.
 */
export function clearPte(c: KCtx, mm: Mm, va: bigint): void {
  const s = slotAt(c.mem, cpuGeometry(c), mm.pgd, va, 3);
  if (s.level === 3) c.mem.write64(s.pa, 0n);
  else if ((s.desc & 1n) === 1n) clearBad(c, s);
}

export function ptePa(c: KCtx, mm: Mm, va: bigint): bigint {
  return slotAt(c.mem, cpuGeometry(c), mm.pgd, va, 3).pa;
}

function pteFor(c: KCtx, vma: Vma, page: UserPage): bigint {
  return userPte(eraOf(c.k.era).config.arm64, page.pa, vma.prot, page);
}

/** What handle_mm_fault did: nothing to do (a spurious fault), or it changed the tables. */
export type Fault =
  { readonly ok: true; readonly spurious: boolean } | { readonly ok: false; readonly why: string };

/**
 * handle_mm_fault for one page. Returns undefined when handled, or why the access is invalid
 * (no VMA, or the VMA forbids it) — the caller decides between SIGSEGV and a page-response.
 * Out of memory it throws -ENOMEM (VM_FAULT_OOM) with the mm consistent: page tables come first
 * (__handle_mm_fault, then do_anonymous_page's pte_alloc), the page last, and nothing is
 * recorded before its PTE is written.
 */
export function handleMmFault(
  c: KCtx,
  proc: Process,
  va: bigint,
  access: Access,
): string | undefined {
  const f = faultIn(c, proc, va, access);
  return f.ok ? undefined : f.why;
}

/** handle_mm_fault, saying whether it changed anything (see handleMmFault). */
export function faultIn(c: KCtx, proc: Process, va: bigint, access: Access): Fault {
  const mm = proc.mm;
  const vma = findVma(mm, va);
  if (!vma) return { ok: false, why: `no VMA at ${hex(va)}` };
  if (!allows(vma.prot, access))
    return { ok: false, why: `the VMA at ${hex(va)} is ${permsString(vma.prot)}, not ${access}` };
  const pageVa = va & ~(pageSize(c) - 1n);
  // Linux keeps no record of a mapped page but its PTE: read it, as handle_pte_fault does.
  const seen = readPte(c, proc, vma, pageVa, access);
  const cur = seen.page;
  if (cur && !(cur.zero && access === 'w')) return { ok: true, spurious: !seen.fixed };
  if (access !== 'w') {
    const page: UserPage = { pa: c.k.zeroPage, zero: true, dirty: false };
    log(c, `mm: ${proc.name}: read fault at ${hex(pageVa)} maps the zero page read-only`);
    setPte(c, mm, pageVa, pteFor(c, vma, page));
    mm.pages.set(pageVa, page);
    return { ok: true, spurious: false };
  }
  if (!cur) pteSlot(c, mm, pageVa);
  const pa = allocZeroed(c, pageSize(c), 'user', `${proc.name} page at ${hex(pageVa)}`);
  const page: UserPage = { pa, zero: false, dirty: true };
  log(
    c,
    `mm: ${proc.name}: write fault at ${hex(pageVa)}: new page ${hex(pa)}${cur ? ' replaces the zero page' : ''}`,
  );
  if (cur) {
    // Copy-on-write from the zero page: clear, flush (CPU + secondary TLBs), then install.
    setPte(c, mm, pageVa, 0n);
    const next = pageVa + pageSize(c);
    mmChanged(c, proc, pageVa, next, [pageVa, next], 'copy-on-write');
  }
  setPte(c, mm, pageVa, pteFor(c, vma, page));
  mm.pages.set(pageVa, page);
  return { ok: true, spurious: false };
}

/** Would a user access through this PTE (a valid page descriptor with AF set) be allowed? */
export function pteAllows(pte: bigint, a: Access): boolean {
  if ((pte & 3n) !== 3n || (pte & (1n << 10n)) === 0n || (pte & (1n << 6n)) === 0n) return false;
  if (a === 'w') return (pte & (1n << 7n)) === 0n;
  return a === 'x' ? (pte & (1n << 54n)) === 0n : true;
}

/**
 * The page the kernel mapped at `pageVa`, checked against its PTE in memory, which a
 * hardware-level write may have changed behind the kernel's back. The PTE decides, as in Linux:
 * - none (or no table down to it): the fault is a first touch (do_anonymous_page) and a new page
 *   comes; the old one stays allocated but unmapped — Linux leaks it too (its rss counter still
 *   counts it: check_mm reports it at exit, see lifecycle.ts);
 * - present but not letting the access through (another frame, no AF, read-only, not user …):
 *   the handler makes it what the kernel maps there (pte_mkyoung / do_wp_page), and flushes;
 * - present and allowing it: nothing to do (a spurious fault).
 */
function readPte(
  c: KCtx,
  proc: Process,
  vma: Vma,
  pageVa: bigint,
  access: Access,
): { page: UserPage | undefined; fixed: boolean } {
  const mm = proc.mm;
  const page = mm.pages.get(pageVa);
  if (!page) return { page, fixed: false };
  const s = slotAt(c.mem, cpuGeometry(c), mm.pgd, pageVa, 3);
  const want = pteFor(c, vma, page);
  const frame = s.desc & ones(48) & ~(pageSize(c) - 1n);
  if (s.level === 3 && frame === page.pa && (s.desc === want || pteAllows(s.desc, access)))
    return { page, fixed: false };
  if (s.level === 3 && s.desc !== 0n) {
    log(
      c,
      `mm: ${proc.name}: fault at ${hex(pageVa)}: its PTE at ${hex(s.pa)} is ${hex64(s.desc)}, not the ${hex64(want)} the kernel wrote for page ${hex(page.pa)} (changed behind its back): the fault handler writes it back`,
    );
    c.mem.write64(s.pa, want);
    mmChanged(
      c,
      proc,
      pageVa,
      pageVa + pageSize(c),
      [pageVa, pageVa + pageSize(c)],
      'PTE rewritten',
    );
    return { page, fixed: true };
  }
  const lost = !page.zero && !mm.pins.has(pageVa);
  log(
    c,
    `mm: ${proc.name}: fault at ${hex(pageVa)}: ${s.level === 3 ? `its PTE at ${hex(s.pa)} is empty` : `the walk stops at level ${s.level} (${hex64(s.desc)} at ${hex(s.pa)})`}, though the kernel mapped page ${hex(page.pa)} there (changed behind its back): handled as a first touch${lost ? `; page ${hex(page.pa)} stays allocated, unmapped (leaked, as in Linux)` : ''}`,
  );
  mm.pages.delete(pageVa);
  if (lost) mm.lost = (mm.lost ?? 0) + 1;
  return { page: undefined, fixed: true };
}

/**
 * The span [first, last page end) of the present pages in [start, end) — skipping pinned ones
 * when `keepPinned` (what reclaim leaves) — or undefined when there is none: what an mmu_gather
 * would flush.
 */
export function presentSpan(
  c: KCtx,
  mm: Mm,
  start: bigint,
  end: bigint,
  keepPinned: boolean,
): [bigint, bigint] | undefined {
  let lo: bigint | undefined;
  let hi = 0n;
  for (const va of mm.pages.keys()) {
    if (va < start || va >= end || (keepPinned && mm.pins.has(va))) continue;
    if (lo === undefined || va < lo) lo = va;
    if (va >= hi) hi = va + pageSize(c);
  }
  return lo === undefined ? undefined : [lo, hi];
}

/**
 * Removes the PTEs of [start, end) and frees unpinned frames; returns the pages cleared and their
 * span (what presentSpan gives before the zap: what the mmu_gather flushes), found in the same pass.
 */
export function zapRange(
  c: KCtx,
  proc: Process,
  start: bigint,
  end: bigint,
  keepPinned: boolean,
): { n: number; span: [bigint, bigint] | undefined } {
  const mm = proc.mm;
  let n = 0;
  let lo: bigint | undefined;
  let hi = 0n;
  const page = pageSize(c);
  // In the pages' order, one pass (a munmap of 1 GB visits 262,144 of them).
  mm.pages.deleteWhere((va, p) => {
    if (va < start || va >= end) return false;
    const pin = mm.pins.get(va);
    if (keepPinned && pin) return false;
    clearPte(c, mm, va);
    if (!p.zero && !pin) freeFrames(c.k.frames, p.pa);
    if (lo === undefined || va < lo) lo = va;
    if (va >= hi) hi = va + page;
    n++;
    return true;
  });
  return { n, span: lo === undefined ? undefined : [lo, hi] };
}

/**
 * Re-writes the present PTEs of a range after its VMA protection changed (change_pte_range: a
 * PTE that is none — cleared behind the kernel's back — is skipped, not brought back).
 */
export function reprotect(c: KCtx, mm: Mm, start: bigint, end: bigint): void {
  const geo = cpuGeometry(c);
  for (const [va, page] of mm.pages) {
    if (va < start || va >= end) continue;
    const vma = findVma(mm, va)!;
    const s = slotAt(c.mem, geo, mm.pgd, va, 3);
    if (s.level === 3 && s.desc !== 0n) c.mem.write64(s.pa, pteFor(c, vma, page));
  }
}

export function newMm(c: KCtx, name: string, asid: number): Mm {
  const geo = cpuGeometry(c);
  const pgd = allocZeroed(c, pageSize(c), 'pgtable', `pgd of ${name}`);
  void geo;
  return {
    pgd,
    asid,
    asidPinned: false,
    vmas: [],
    pages: new CowMap(),
    pins: new CowMap(),
    tables: [pgd],
  };
}
