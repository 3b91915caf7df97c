// Comparing one scenario under two eras. Expected values derived by hand from the eras' sources
// (docs/research/eras.md): the CD of a bind shares the CPU's ASID with ASET=0 up to v6.7
// (arm_smmu_alloc_shared_cd; the model's first CPU ASID is 64) and carries the SVA domain's own
// ASID with ASET=1 from v6.11 (arm_smmu_make_sva_cd; xa_alloc's lowest free after the DMA
// domain's 1 → 2); a munmap of pages never touched sends TLBI_NH_VA per page until v6.5 (the
// mmu_notifier's invalidate_range) and nothing from v6.6 (the arm64 TLB flush never runs).
import { describe, expect, it } from 'vitest';
import { compareAt, diffOps } from './eraDiff.ts';
import type { OpDoc } from './format.ts';
import { eraTimeline } from './run.testkit.ts';

const OPS: OpDoc[] = [
  { op: 'device', name: 'gpu', sid: 0x100, bus: 'pci', pasidBits: 8 },
  { op: 'domain', name: 'd' },
  { op: 'attach', dev: 'gpu', domain: 'd' },
  { op: 'process', name: 'app' },
  { op: 'mmap', proc: 'app', addr: '0x7f00_0000_0000', size: '0x4000', prot: 'rw' },
  { op: 'bind', dev: 'gpu', proc: 'app' },
  { op: 'munmap', proc: 'app', addr: '0x7f00_0000_0000', size: '0x2000' },
  { op: 'process', name: 'other' },
];

describe('eraDiff', () => {
  it('an era compared with itself: every op the same', () => {
    const a = eraTimeline('v6.7', OPS);
    const b = eraTimeline('v6.7', OPS);
    expect(diffOps(a, b).every((k) => k === 'same')).toBe(true);
    const c = compareAt(a, b, 5);
    expect(c.result.some((p) => p.differs)).toBe(false);
    expect(c.structures.map((s) => s.title)).toEqual(['STE of gpu (SID 0x100)', 'CD 1 of gpu']);
  });

  it('two moments: op 4 (the mmap) of one run against op 5 (the bind) of another', () => {
    const a = eraTimeline('v6.7', OPS);
    const b = eraTimeline('v6.7', OPS);
    expect(compareAt(a, b, 5, 5)).toEqual(compareAt(a, b, 5));
    const c = compareAt(a, b, 4, 5);
    expect(c.index).toBe(4);
    expect(c.kind).toBe('differs');
    // The bind returns the first PASID (1: PASID 0 is the device's own), the mmap no PASID; the
    // bind wrote gpu's CD 1, which is valid on b's side only.
    const rv = c.result.find((p) => p.label === 'return value')!;
    expect(rv.b).toBe('PASID 1');
    expect(rv.a).not.toContain('PASID');
    const cd = c.structures.find((x) => x.title === 'CD 1 of gpu');
    expect(cd?.fields[0]).toMatchObject({ a: 'no valid CD', differs: true });
  });

  it('v5.18 against v6.11: the bind’s CD differs in ASID and ASET, field by field', () => {
    const a = eraTimeline('v5.18', OPS);
    const b = eraTimeline('v6.11', OPS);
    const kinds = diffOps(a, b);
    expect(kinds[5]).toBe('differs');
    expect(kinds[3]).toBe('same'); // a process: pid 100 under both
    const c = compareAt(a, b, 5);
    expect(c.result.find((p) => p.label === 'return value')).toMatchObject({
      a: 'PASID 1',
      b: 'PASID 1',
      differs: false,
    });
    const cd = c.structures.find((s) => s.title === 'CD 1 of gpu')!;
    expect(cd.differs).toBe(true);
    const field = (name: string) => cd.fields.find((f) => f.label === name)!;
    expect(field('ASID')).toMatchObject({ a: '64', b: '2', differs: true });
    expect(field('ASET')).toMatchObject({ a: '0', b: '1', differs: true });
    expect(field('V')).toMatchObject({ a: '1', b: '1', differs: false });
    expect(field('TTB0')).toMatchObject({ address: true });
  });

  it('v5.18 against v6.6: munmap of untouched pages — TLBIs, then nothing', () => {
    const a = eraTimeline('v5.18', OPS);
    const b = eraTimeline('v6.6', OPS);
    const kinds = diffOps(a, b);
    expect(kinds[6]).toBe('differs');
    const c = compareAt(a, b, 6);
    expect(c.commands.differs).toBe(true);
    // Two pages: TLBI_NH_VA per page (ASID 64, the CPU's) + CMD_SYNC; v6.6 sends none.
    expect(c.commands.a.filter((t) => t.startsWith('CMD_TLBI_NH_VA'))).toHaveLength(2);
    expect(c.commands.a.at(-1)).toMatch(/^CMD_SYNC/);
    expect(c.commands.b).toEqual([]);
    // The bind writes the same CD in both (the shared CD; only the invalidation path changed).
    expect(diffOps(a, b)[5]).toBe('same');
  });
});

describe('eraDiff marks the ops, not the state they inherit', () => {
  it('after the bind, ops that change no STE or CD alike are not marked', () => {
    const ops: OpDoc[] = [
      ...OPS,
      { op: 'touch', proc: 'app', addr: '0x7f00_0000_3000', access: 'w' },
      { op: 'unbind', dev: 'gpu', proc: 'app' },
    ];
    const kinds = diffOps(eraTimeline('v5.18', ops), eraTimeline('v6.11', ops));
    expect(kinds[7]).toBe('same'); // process "other": pid 101 in both
    // touch: the same fault-in; only its PA may differ (frames allocated differently).
    expect(kinds[8]).not.toBe('differs');
    expect(compareAt(eraTimeline('v5.18', ops), eraTimeline('v6.11', ops), 5).kind).toBe('differs');
  });
});
