// ASID allocation. CPU ASIDs come from arm64's allocator (mm/context.c) — modelled as the next
// free number, never 0; the SMMU's private ASIDs come from the driver's allocator (1..2^bits−1):
// rfc2017 the next free one from a cursor, upstream xa_alloc(&arm_smmu_asid_xa, …,
// XA_LIMIT(1, (1 << asid_bits) - 1)), the lowest free (arm-smmu-v3.c arm_smmu_domain_finalise_s1,
// arm-smmu-v3-sva.c arm_smmu_sva_domain_alloc) — the era's EraConfig.smmuAsids.

export interface AsidSpace {
  cursor: number;
  used: Set<number>;
}

/** Lowest free ASID at or after the cursor, wrapping; undefined when the space is full. */
export function allocAsid(s: AsidSpace, bits: number): number | undefined {
  const max = 2 ** bits;
  for (let i = 0; i < max; i++) {
    const a = ((s.cursor - 1 + i) % (max - 1)) + 1;
    if (!s.used.has(a)) {
      s.used.add(a);
      s.cursor = a + 1 >= max ? 1 : a + 1;
      return a;
    }
  }
  return undefined;
}

export function freeAsid(s: AsidSpace, a: number): void {
  s.used.delete(a);
}

/** xa_alloc over [1, 2^bits − 1]: the lowest free ASID; undefined when the space is full. */
export function allocAsidLowest(s: AsidSpace, bits: number): number | undefined {
  const max = 2 ** bits - 1;
  for (let a = 1; a <= max; a++) {
    if (!s.used.has(a)) {
      s.used.add(a);
      return a;
    }
  }
  return undefined;
}

/** An SMMU-private ASID as the era's driver allocates it. */
export const allocSmmuAsid = (
  s: AsidSpace,
  bits: number,
  how: 'cyclic' | 'lowest',
): number | undefined => (how === 'cyclic' ? allocAsid(s, bits) : allocAsidLowest(s, bits));
