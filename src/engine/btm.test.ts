// Broadcast TLB maintenance on a TLB filled by hand (§3.17; §5.4 ASET): which entries a CPU's
// TLBI ...IS removes. Only host (Non-secure EL1, VMID 0) stage-1 entries are the CPU's to
// invalidate: stage-2 entries, EL2 entries and a guest's (VMID ≠ 0) stay; VA- and ASID-scoped
// broadcasts skip ASET=1 entries; a VA-scoped one also takes global (nG=0) entries in its range.
import { describe, expect, it } from 'vitest';
import { broadcastTlbi } from './btm.ts';
import { env } from './tables.testkit.ts';
import { tlbTag, type TlbEntry } from './tlb.ts';

const VA = 0x7f00_0000_0000n;

function entry(
  name: string,
  o: Partial<Pick<TlbEntry, 'stage' | 'world' | 'vmid' | 'asid' | 'aset' | 'ia' | 'sizeShift'>>,
): TlbEntry {
  const stage = o.stage ?? 's1';
  const world = o.world ?? 'NS-EL1';
  const vmid = o.vmid ?? 0;
  const asid = o.asid ?? 5;
  const aset = o.aset ?? false;
  return {
    stage,
    tag: tlbTag(stage, world, vmid, asid, aset),
    vmid,
    asid,
    aset,
    world,
    ia: o.ia ?? VA,
    sizeShift: o.sizeShift ?? 12,
    oa: 0x9000_0000n,
    leafPa: 0n,
    src: [],
    // The name rides in the SID field: only for reading the test's results back.
    sid: Number.parseInt(name, 36),
    ssid: undefined,
  };
}

const ENTRIES: [string, Parameters<typeof entry>[1]][] = [
  ['host', {}],
  ['next', { ia: VA + 0x1000n }],
  ['other', { asid: 6 }],
  ['global', { asid: -1 }],
  ['aset', { aset: true }],
  ['guest', { vmid: 1 }],
  ['el2', { world: 'EL2' }],
  ['stage2', { stage: 's2', ia: VA }],
];

function filled(ptm = false) {
  const s = env({ bring: { ptm } });
  for (const [n, o] of ENTRIES) s.tlb.insert(entry(n, o));
  const left = () =>
    s.tlb
      .entries()
      .map((e) => e.sid.toString(36))
      .sort();
  return { s, left };
}

describe('broadcastTlbi', () => {
  it('TLBI VAE1IS: one page of one ASID, with the global entry there; not ASET, guests, EL2, stage 2', () => {
    const { s, left } = filled();
    expect(broadcastTlbi(s, { op: 'TLBI VAE1IS', asid: 5, va: VA, pages: 1 })).toBe(2);
    expect(left()).toEqual(['aset', 'el2', 'guest', 'next', 'other', 'stage2']);
    expect(s.log.broadcasts.at(-1)).toMatchObject({ op: 'TLBI VAE1IS', invalidated: 2 });
  });

  it('TLBI VAE1IS over two pages reaches the next page; 16 KB pages count in 16 KB', () => {
    const a = filled();
    expect(broadcastTlbi(a.s, { op: 'TLBI VAE1IS', asid: 5, va: VA, pages: 2 })).toBe(3);
    expect(a.left()).not.toContain('next');
    const b = filled();
    // One 16 KB page from VA covers VA + 0x1000 as well.
    expect(
      broadcastTlbi(b.s, { op: 'TLBI VAE1IS', asid: 5, va: VA, pages: 1, pageShift: 14 }),
    ).toBe(3);
    const c = filled();
    // The page before VA reaches none of them.
    expect(broadcastTlbi(c.s, { op: 'TLBI VAE1IS', asid: 5, va: VA - 0x1000n, pages: 1 })).toBe(0);
  });

  it('TLBI ASIDE1IS: that ASID only (not the global entry, not ASET)', () => {
    const { s, left } = filled();
    expect(broadcastTlbi(s, { op: 'TLBI ASIDE1IS', asid: 5 })).toBe(2);
    expect(left()).toEqual(['aset', 'el2', 'global', 'guest', 'other', 'stage2']);
  });

  it('TLBI VMALLE1IS: every host stage-1 entry, ASET ones too', () => {
    const { s, left } = filled();
    expect(broadcastTlbi(s, { op: 'TLBI VMALLE1IS' })).toBe(5);
    expect(left()).toEqual(['el2', 'guest', 'stage2']);
  });

  it('CR2.PTM=1: nothing is snooped, and the log says so', () => {
    const { s, left } = filled(true);
    expect(broadcastTlbi(s, { op: 'TLBI VMALLE1IS' })).toBe(0);
    expect(left()).toHaveLength(ENTRIES.length);
    expect(s.log.broadcasts.at(-1)).toMatchObject({ snooped: false, invalidated: 0 });
  });
});
