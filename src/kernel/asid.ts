// ASID allocation. CPU ASIDs come from arm64's allocator (mm/context.c) — modelled as the next
// free number, never 0; the SMMU's private ASIDs come from the driver's allocator (1..2^bits−1).

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
