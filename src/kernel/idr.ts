// PASID allocation. RFCv2 uses idr_alloc_cyclic over [domain->min_pasid, domain->max_pasid]: the
// next ID after the last one handed out, wrapping — so a freed PASID is not reused until the
// counter comes round. Mainline uses an IDA: the lowest free ID (iommu_alloc_global_pasid).
import type { PasidIdr } from './state.ts';

export function idrAllocCyclic(idr: PasidIdr, min: number, max: number): number | undefined {
  if (max < min) return undefined;
  const start = idr.cursor >= min && idr.cursor <= max ? idr.cursor : min;
  for (let i = 0; i <= max - min; i++) {
    const id = min + ((start - min + i) % (max - min + 1));
    if (!idr.used.has(id)) return id;
  }
  return undefined;
}

/**
 * ida_alloc_range(&iommu_global_pasid_ida, min, max) as iommu_alloc_global_pasid calls it
 * (drivers/iommu/iommu.c): the lowest free ID. The search stops at the first free one, so it
 * takes at most one step per ID in use, whatever the range (up to 2^20 PASIDs).
 */
export function idaAllocLowest(idr: PasidIdr, min: number, max: number): number | undefined {
  for (let id = min; id <= max; id++) if (!idr.used.has(id)) return id;
  return undefined;
}

/** Records an IDA allocation: an IDA keeps no cursor (the next search starts at the bottom). */
export function idaCommit(
  idr: PasidIdr,
  id: number,
  owner: PasidIdr['used'] extends Map<number, infer V> ? V : never,
): void {
  idr.used.set(id, owner);
}

/** Records an allocation; the cyclic cursor moves past it. */
export function idrCommit(
  idr: PasidIdr,
  id: number,
  owner: PasidIdr['used'] extends Map<number, infer V> ? V : never,
): void {
  idr.used.set(id, owner);
  idr.cursor = id + 1;
}
