// CPU TLB maintenance and the mmu_notifier that mirrors it to the SMMU. The CPU side is arm64
// flush_tlb_range: TLBI VAE1IS per page, or ASIDE1IS past MAX_TLB_RANGE = 1024 pages (v4.14)
// / MAX_TLBI_OPS = PTRS_PER_PTE pages (v5.x+, where it is flush_tlb_mm), broadcast to every agent
// that snoops — the SMMU too when BTM is used (RFCv2 only). When the SMMU hears of the change is
// the era's (EraConfig.notify, docs/research/eras.md §3): over the operation's range from
// mmu_notifier_invalidate_range_end (≤ v6.5), or only when and where the CPU flushes (v6.6+).
import { broadcastTlbi, hex, type CpuTlbi } from '../engine/index.ts';
import { log, type KCtx } from './ctx.ts';
import { eraOf } from './eras/index.ts';
import { ALL_VA } from './sharedcdInv.ts';
import type { Process } from './state.ts';

const MAX_TLB_RANGE = 1024n;

/** The CPU's broadcast TLBI for [start, end): what it sent, and whether it was flush_tlb_mm. */
function cpuTlbi(c: KCtx, proc: Process, start: bigint, end: bigint, why: string): boolean {
  const page = 1n << BigInt(c.k.cpu.granule);
  const pages = (end - start) / page;
  const asid = proc.mm.asid;
  const v414 = eraOf(c.k.era).config.arm64 === 'v4.14';
  const whole = v414 ? pages > MAX_TLB_RANGE : pages >= page / 8n;
  const t: CpuTlbi = whole
    ? { op: 'TLBI ASIDE1IS', asid }
    : { op: 'TLBI VAE1IS', asid, va: start, pages: Number(pages), pageShift: c.k.cpu.granule };
  const removed = broadcastTlbi(c.smmu, t);
  const snooped = c.smmu.platform.btm && !c.smmu.derived.ptm;
  log(
    c,
    `CPU (${why}): ${t.op} ASID ${asid}${t.op === 'TLBI VAE1IS' ? ` × ${pages} page(s) from ${hex(start)}` : ''}${whole && !v414 ? ' (flush_tlb_mm)' : ''}, broadcast${snooped ? `; the SMMU snoops it (BTM): ${removed} TLB entr${removed === 1 ? 'y' : 'ies'} removed` : ''}`,
  );
  return whole;
}

/** The 2017 way: the CPU flushes the whole range and the notifier reports it (rfc2017). */
export function flushRange(c: KCtx, proc: Process, start: bigint, end: bigint, why: string): void {
  cpuTlbi(c, proc, start, end, why);
  invalidateSecondary(c, proc, start, end);
}

/** The era's secondary-TLB invalidation for a bound mm (EraOps.invalidate). */
export function invalidateSecondary(c: KCtx, proc: Process, start: bigint, end: bigint): void {
  eraOf(c.k.era).ops.invalidate(c, proc, start, end);
}

/**
 * A CPU-side change of [start, end) of `proc`'s mm whose present PTEs span `changed` (undefined:
 * none was present). The CPU flushes only what changed (an mmu_gather with nothing cleared sends
 * no TLBI); the SMMU hears of the whole range (≤ v6.5) or of what the CPU flushed (v6.6+, with
 * 0…−1UL when that flush was flush_tlb_mm). rfc2017 keeps the 2017 model: always the whole range.
 *
 * `gather`: the change went through an mmu_gather (munmap: unmap_vmas). Before v6.6 its flush
 * told the secondary TLBs too — include/asm-generic/tlb.h tlb_flush_mmu_tlbonly called
 * mmu_notifier_invalidate_range(tlb->mm, tlb->start, tlb->end) right after tlb_flush(), and
 * tlb_end_vma flushes inside unmap_page_range, before unmap_vmas' mmu_notifier_invalidate_range_end
 * (mn_hlist_invalidate_end calls ->invalidate_range again over the whole range). So a munmap of
 * present pages reached arm_smmu_mm_invalidate_range twice: the gathered span, then the range.
 * Alistair Popple's v6.6 series removed the first call ("mmu_notifiers: call invalidate_range()
 * when invalidating TLBs" moved it into the arch flush) and the second ("don't invalidate
 * secondary TLBs as part of mmu_notifier_invalidate_range_end()"). [M] The gathered span is one
 * span even when the range covers several VMAs (Linux flushes at each VMA's tlb_end_vma).
 */
export function mmChanged(
  c: KCtx,
  proc: Process,
  start: bigint,
  end: bigint,
  changed: readonly [bigint, bigint] | undefined,
  why: string,
  gather = false,
): void {
  const notify = eraOf(c.k.era).config.notify;
  if (notify === 'whole') return flushRange(c, proc, start, end, why);
  const whole = changed ? cpuTlbi(c, proc, changed[0], changed[1], why) : false;
  if (notify === 'range') {
    if (gather && changed) {
      log(
        c,
        `${why}: tlb_end_vma → tlb_flush_mmu_tlbonly: after the CPU flush, mmu_notifier_invalidate_range over the gathered ${hex(changed[0])}–${hex(changed[1] - 1n)}; mmu_notifier_invalidate_range_end then reports the whole ${hex(start)}–${hex(end - 1n)} again`,
      );
      invalidateSecondary(c, proc, changed[0], changed[1]);
    }
    return invalidateSecondary(c, proc, start, end);
  }
  if (!changed) {
    log(
      c,
      `${why}: no PTE was present, so no TLB flush — and no secondary-TLB invalidation (arch_invalidate_secondary_tlbs runs from the CPU's flush)`,
    );
    return;
  }
  if (whole) invalidateSecondary(c, proc, 0n, ALL_VA);
  else invalidateSecondary(c, proc, changed[0], changed[1]);
}
