// The VMA list of an mm: sorted, disjoint ranges with their protection and name, as the kernel's
// maple tree keeps them (mm/vma.c vma_merge, __split_vma). Pure list work: no page tables here.
import { permsString } from './vocab.ts';
import type { Mm, Vma } from './state.ts';

export function findVma(mm: Mm, va: bigint): Vma | undefined {
  return mm.vmas.find((v) => va >= v.start && va < v.end);
}

/**
 * Every page of [addr, addr+size) lies in some VMA: the VMAs (sorted and disjoint, see insertVma
 * and cutVmas) cover it without a gap. One step per VMA, whatever the size of the range.
 */
export function covered(mm: Mm, addr: bigint, size: bigint): boolean {
  const end = addr + size;
  let at = addr;
  for (const v of mm.vmas) {
    if (v.end <= at) continue;
    if (v.start > at) return false;
    at = v.end;
    if (at >= end) return true;
  }
  return at >= end;
}

/** Inserts a VMA, merging with neighbours of the same protection and name (vma_merge). */
export function insertVma(mm: Mm, v: Vma): void {
  mm.vmas.push(v);
  mm.vmas.sort((a, b) => (a.start < b.start ? -1 : 1));
  const merged: Vma[] = [];
  for (const x of mm.vmas) {
    const last = merged[merged.length - 1];
    if (
      last &&
      last.end === x.start &&
      permsString(last.prot) === permsString(x.prot) &&
      last.name === x.name
    )
      last.end = x.end;
    else merged.push({ ...x });
  }
  mm.vmas = merged;
}

/** Cuts [start, end) out of the VMAs (splitting), returning the pieces removed. */
export function cutVmas(mm: Mm, start: bigint, end: bigint): Vma[] {
  const kept: Vma[] = [];
  const cut: Vma[] = [];
  for (const v of mm.vmas) {
    if (v.end <= start || v.start >= end) {
      kept.push(v);
      continue;
    }
    if (v.start < start) kept.push({ ...v, end: start });
    if (v.end > end) kept.push({ ...v, start: end });
    cut.push({
      ...v,
      start: v.start > start ? v.start : start,
      end: v.end < end ? v.end : end,
    });
  }
  mm.vmas = kept;
  return cut;
}
