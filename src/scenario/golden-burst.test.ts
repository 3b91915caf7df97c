// Golden scenario 14 (issue 3): `dma` with count/stride runs a burst and reports totals
// (scenario-format.md: translated, faults, tlbHits, tlbMisses). Every total is counted by hand
// from the mappings and the TLB rules: a TLB entry covers the leaf that was walked (a 4 KB page
// or a 2 MB block, smmuv3.md §4), only successful walks are cached (a translation fault leaves
// no entry, so every access to an unmapped page misses), and the TLB (128 entries by default)
// never evicts in these few accesses. The device has no ATS, PRI or stall: a fault is recorded
// (F_TRANSLATION 0x10, smmuv3.md §5.1) and the access terminated.
import { describe, expect, it } from 'vitest';
import { loadGolden } from './golden.testkit.ts';

describe('golden 14: dma bursts and their totals', () => {
  const g = loadGolden('14-burst');

  it('mappings: four 4 KB pages, and one 2 MB block (IOVA and PA 2 MB-aligned)', () => {
    const leaves = g.k(4).domains.get('dom')!.pgtable!.leaves;
    expect([...leaves].map(([iova, l]) => [iova, l.size])).toEqual([
      [0x1000_0000n, 0x1000n],
      [0x1000_1000n, 0x1000n],
      [0x1000_2000n, 0x1000n],
      [0x1000_3000n, 0x1000n],
      [0x20_0000n, 0x20_0000n],
    ]);
  });

  it('10 reads 0x800 apart over 4 pages and past them: 8 translated, 2 faults, 4 hits, 6 misses', () => {
    // Offsets 0x0, 0x800 | 0x1000, 0x1800 | 0x2000, 0x2800 | 0x3000, 0x3800 hit pages 0–3 twice:
    // the first access of each page walks (miss), the second hits the entry it left. Offsets
    // 0x4000 and 0x4800 are unmapped: two walks that fault, both misses.
    const r = g.rec(5);
    expect(r.status).toBe('ok');
    expect(r.dma).toMatchObject({ outcome: 'translated', pa: 0x8000_0000n, tlb: 'miss' });
    expect(r.dma!.totals).toEqual({ translated: 8, faults: 2, tlbHits: 4, tlbMisses: 6 });
    // One F_TRANSLATION record per fault (CD.R=1), in access order.
    expect(r.events.map((e) => [e.event.id, e.event.addr])).toEqual([
      [0x10, 0x1000_4000n],
      [0x10, 0x1000_4800n],
    ]);
  });

  it('16 writes 128 KB apart inside the 2 MB block: 16 translated, 1 miss then 15 hits', () => {
    const r = g.rec(6);
    expect(r.dma).toMatchObject({ outcome: 'translated', pa: 0x9000_0000n, tlb: 'miss' });
    expect(r.dma!.totals).toEqual({ translated: 16, faults: 0, tlbHits: 15, tlbMisses: 1 });
    expect(r.events).toEqual([]);
  });

  it('4 reads 64 KB apart from the block into unmapped space: 1 hit, then 3 faulting misses', () => {
    // 0x3f_0000 is in the block cached by the previous burst (a hit); 0x40_0000, 0x41_0000 and
    // 0x42_0000 are past it and unmapped.
    const r = g.rec(7);
    expect(r.dma).toMatchObject({ outcome: 'translated', pa: 0x901f_0000n, tlb: 'hit' });
    expect(r.dma!.totals).toEqual({ translated: 1, faults: 3, tlbHits: 1, tlbMisses: 3 });
    expect(r.events).toHaveLength(3);
  });
});
