// arm_64_lpae_alloc_pgtable_s2 by hand: start level after concatenation (a level-0 PGD of ≤ 16
// entries moves down one level), VTCR.SL0 (`~sl & 3`, sl + 1 for 4 KB), TG and PS codes, and
// the leaf bits of a cacheable read/write stage-2 mapping (smmuv3.md §4: `pa | 0x7ff` page).
import { describe, expect, it } from 'vitest';
import type { GranuleShift } from '../../engine/index.ts';
import { s2Leaf, s2RootBytes, s2Start, s2Vtcr, type S2Pgtable } from './s2pgtable.ts';

const pt = (g: GranuleShift, ias: number): S2Pgtable => ({
  root: 0n,
  g,
  ias,
  oas: ias,
  startLevel: s2Start(g, ias),
  tables: [],
});

describe('stage-2 geometry', () => {
  it.each([
    // g, IAS, start level, root bytes, SL0, TG, PS
    [12, 48, 0, 0x1000n, 2, 0, 5], // 512-entry PGD: 4 levels
    [12, 40, 1, 0x2000n, 1, 0, 2], // 2-entry PGD concatenated: 1024 entries at L1
    [12, 32, 1, 0x20n, 1, 0, 0], // 3 levels from L1 (4 entries)
    [14, 48, 1, 0x8000n, 2, 2, 5], // 16K: 2-entry L0 concatenated into a 4096-entry L1
    [16, 48, 1, 0x200n, 2, 1, 5], // 64K: 3 levels from L1 (64 entries)
    [16, 42, 2, 0x10000n, 1, 1, 3], // 64K: 42 bits → 2 levels from L2 (8192 entries)
  ] as const)('%i-bit granule, %i-bit IPA: start L%i', (g, ias, start, bytes, sl, tg, ps) => {
    expect(s2Start(g, ias)).toBe(start);
    expect(s2RootBytes(g, ias, start)).toBe(bytes);
    expect(s2Vtcr(pt(g, ias))).toEqual({ tsz: 64 - ias, sl, irgn: 1, orgn: 1, sh: 3, tg, ps });
  });

  it('leaves: AF | SH=IS | S2AP=RW | MemAttr 0xF | type', () => {
    expect(s2Leaf(0x8000_0000n, 3)).toBe(0x8000_07ffn);
    expect(s2Leaf(0x4020_0000n, 2)).toBe(0x4020_07fdn);
  });
});
