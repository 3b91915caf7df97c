// Configuration cache, TLB, ATC and broadcast maintenance (smmuv3.md §4.4, §6.2, §7.3, §9;
// spec-facts Q10, Q11): a cached entry stays in use until an invalidation AND a CMD_SYNC.
import { describe, expect, it } from 'vitest';
import { broadcastTlbi } from './btm.ts';
import { atsAccess } from './endpoint.ts';
import type { Smmu } from './smmu.ts';
import { cmd, issue } from './testkit.ts';
import {
  AF,
  AP_EL0,
  CDTAB,
  NG,
  PAGE,
  PT,
  S2RW,
  Tables,
  env,
  putCd,
  putSte,
  txn,
  type CdOpts,
} from './tables.testkit.ts';
import { translate } from './translate.ts';

const VA = 0x0000_7fff_dead_b000n;
const leaf = (pa: bigint, ng = true): bigint => pa | AF | AP_EL0 | PAGE | (ng ? NG : 0n);

/** SID 1, linear CD table of 4 CDs (S1DSS=SSID0); CD n gets its own table root. */
function world(cds: CdOpts[], platform = {}, ste = {}) {
  const s = env({ platform });
  const t = new Tables(s.mem, 12);
  putSte(s, 1, { config: 5, s1ctx: CDTAB, s1cdmax: 2, s1dss: 2, eats: 1, ...ste });
  const roots = cds.map((cd, i) => {
    const root = t.alloc();
    putCd(s, CDTAB + BigInt(i) * 64n, { ttb0: root, ...cd });
    return root;
  });
  const map = (i: number, va: bigint, desc: bigint) => t.map(roots[i]!, 0, 48, va, 3, desc)[3]!;
  return { s, map };
}
const tr = (s: Smmu, va = VA, ssid?: number) =>
  translate(s, txn(1, va, 'r', ssid === undefined ? {} : { ssid }));
const pa = (s: Smmu, va = VA, ssid?: number) => {
  const o = tr(s, va, ssid).outcome;
  return o.type === 'translated' ? o.pa : o.type;
};

describe('configuration cache', () => {
  it('a changed STE is used only after CFGI_STE + CMD_SYNC', () => {
    const s = env();
    putSte(s, 1, { config: 4 });
    expect(pa(s, 0x1000n)).toBe(0x1000n);
    putSte(s, 1, { config: 0 });
    expect(tr(s, 0x1000n).steps[0]).toMatchObject({ kind: 'cfg-hit', struct: 'ste' });
    issue(s, [cmd('CFGI_STE', { StreamID: 1, Leaf: 1 })]);
    expect(pa(s, 0x1000n)).toBe(0x1000n);
    issue(s, [cmd('SYNC', {})]);
    expect(pa(s, 0x1000n)).toBe('aborted');
  });

  it('a CD made invalid: stale until CFGI_CD + SYNC (CFGI_STE also drops CDs)', () => {
    for (const inv of [
      cmd('CFGI_CD', { StreamID: 1, SubstreamID: 0, Leaf: 1 }),
      cmd('CFGI_STE', { StreamID: 1 }),
    ]) {
      const { s, map } = world([{}]);
      map(0, VA, leaf(0x9000_0000n));
      expect(pa(s)).toBe(0x9000_0000n);
      putCd(s, CDTAB, { v: false });
      expect(pa(s)).toBe(0x9000_0000n);
      issue(s, [inv, cmd('SYNC', {})]);
      expect(tr(s).outcome).toMatchObject({ event: { name: 'C_BAD_CD' } });
    }
  });

  it('an invalid L1CD stays cached until CFGI_CD with Leaf=0 (any SSID of its span) + SYNC', () => {
    const s = env();
    putSte(s, 1, { config: 5, s1ctx: CDTAB, s1cdmax: 8, s1fmt: 1 });
    const bad = () => tr(s, 0x1000n, 0x45).outcome;
    expect(bad()).toMatchObject({ event: { name: 'C_BAD_SUBSTREAMID' } }); // L1CD[1] V=0
    s.mem.write64(CDTAB + 8n, 0x4022_0001n);
    putCd(s, 0x4022_0000n + 5n * 64n, { ttb0: PT });
    expect(bad()).toMatchObject({ event: { name: 'C_BAD_SUBSTREAMID' } });
    issue(s, [cmd('CFGI_CD', { StreamID: 1, SubstreamID: 0x45, Leaf: 1 }), cmd('SYNC', {})]);
    expect(bad()).toMatchObject({ event: { name: 'C_BAD_SUBSTREAMID' } });
    issue(s, [cmd('CFGI_CD', { StreamID: 1, SubstreamID: 0x41, Leaf: 0 })]);
    expect(bad()).toMatchObject({ event: { name: 'C_BAD_SUBSTREAMID' } });
    issue(s, [cmd('SYNC', {})]);
    expect(bad()).toMatchObject({ event: { name: 'F_TRANSLATION' } }); // reached the CD
  });
});

describe("LRU replacement of the configuration cache and the ATC (§16.2: capacity is the platform's)", () => {
  it('configuration cache of 4 entries: a hit refreshes an STE; a fifth STE evicts the LRU one', () => {
    const s = env({ platform: { cfgCacheEntries: 4 } });
    for (let sid = 1; sid <= 5; sid++) putSte(s, sid, { config: 4 }); // bypass: STE only
    const sids = () => s.cfg.entries().map((e) => e.sid); // least recently used first
    for (const sid of [1, 2, 3, 4]) translate(s, txn(sid, 0x1000n));
    expect(sids()).toEqual([1, 2, 3, 4]);
    expect(tr(s, 0x1000n).steps[0]).toMatchObject({ kind: 'cfg-hit', struct: 'ste' }); // SID 1
    expect(sids()).toEqual([2, 3, 4, 1]);
    translate(s, txn(5, 0x1000n));
    expect(sids()).toEqual([3, 4, 1, 5]); // SID 2 was least recently used
    expect(translate(s, txn(2, 0x1000n)).steps[0]).toMatchObject({ kind: 'ste' }); // re-read
    expect(sids()).toEqual([4, 1, 5, 2]);
  });

  it('a CD counts like an STE: the one not used for longest goes, whatever its kind', () => {
    const { s, map } = world([{}, { asid: 1 }], { cfgCacheEntries: 3 });
    map(1, VA, leaf(0x9000_0000n));
    tr(s, VA, 1); // STE 1, CD 1/1
    putSte(s, 2, { config: 4 });
    translate(s, txn(2, 0x1000n)); // STE 2
    const names = () => s.cfg.entries().map((e) => `${e.kind}:${e.sid}`);
    expect(names()).toEqual(['ste:1', 'cd:1', 'ste:2']);
    putSte(s, 3, { config: 4 });
    translate(s, txn(3, 0x1000n)); // evicts STE 1 (its CD was fetched after it)
    expect(names()).toEqual(['cd:1', 'ste:2', 'ste:3']);
  });

  it('ATC of 2 entries: a hit refreshes a page; a third page evicts the LRU one', () => {
    const { s, map } = world([{ asid: 1 }], { atcEntries: 2 });
    const v = (i: number) => VA + BigInt(i) * 0x1000n;
    for (let i = 0; i < 3; i++) map(0, v(i), leaf(0x9000_0000n + BigInt(i) * 0x1000n));
    const pages = () => s.atc.entries().map((e) => e.ia);
    atsAccess(s, txn(1, v(0)));
    atsAccess(s, txn(1, v(1)));
    expect(pages()).toEqual([v(0), v(1)]);
    expect(atsAccess(s, txn(1, v(0)))).toMatchObject({ kind: 'translated', atcHit: true });
    expect(pages()).toEqual([v(1), v(0)]);
    atsAccess(s, txn(1, v(2)));
    expect(pages()).toEqual([v(0), v(2)]); // v(1) was least recently used
    expect(atsAccess(s, txn(1, v(1)))).toMatchObject({ kind: 'translated', atcHit: false });
  });
});

describe('TLB', () => {
  it('an unmapped PTE stays visible until TLBI + SYNC; a TLBI alone changes nothing', () => {
    const { s, map } = world([{ asid: 7 }]);
    const at = map(0, VA, leaf(0x9000_0000n));
    expect(pa(s)).toBe(0x9000_0000n);
    s.mem.write64(at, leaf(0x9100_0000n));
    expect(tr(s).tlb).toBe('hit');
    issue(s, [cmd('TLBI_NH_VA', { ASID: 7, Address: VA, Leaf: 1 })]);
    expect(pa(s)).toBe(0x9000_0000n);
    issue(s, [cmd('SYNC', {})]);
    expect(pa(s)).toBe(0x9100_0000n);
  });

  it('entries are tagged by ASID: TLBI_NH_ASID removes only its own', () => {
    const { s, map } = world([{}, { asid: 1 }, { asid: 2 }]);
    map(1, VA, leaf(0x9000_0000n));
    map(2, VA, leaf(0x9200_0000n));
    expect([pa(s, VA, 1), pa(s, VA, 2)]).toEqual([0x9000_0000n, 0x9200_0000n]);
    expect(s.tlb.entries().map((e) => e.asid)).toEqual([1, 2]);
    issue(s, [cmd('TLBI_NH_ASID', { ASID: 1 }), cmd('SYNC', {})]);
    expect([tr(s, VA, 1).tlb, tr(s, VA, 2).tlb]).toEqual(['miss', 'hit']);
  });

  it('a global (nG=0) entry serves every ASID; NH_ASID keeps it, NH_VA of any ASID removes it', () => {
    const { s, map } = world([{}, { asid: 1 }, { asid: 2 }]);
    map(1, VA, leaf(0x9000_0000n, false));
    expect(pa(s, VA, 1)).toBe(0x9000_0000n);
    expect(s.tlb.entries()[0]?.asid).toBe(-1);
    expect(pa(s, VA, 2)).toBe(0x9000_0000n); // CD 2's own table is empty
    issue(s, [cmd('TLBI_NH_ASID', { ASID: 1 }), cmd('SYNC', {})]);
    expect(tr(s, VA, 2).tlb).toBe('hit');
    issue(s, [cmd('TLBI_NH_VA', { ASID: 2, Address: VA }), cmd('SYNC', {})]);
    expect(tr(s, VA, 2).outcome).toMatchObject({ event: { name: 'F_TRANSLATION' } });
  });

  it('E14 range TLBI (raw 0x0042000000300012 / 0x0000000010000701) removes 8 pages', () => {
    const { s, map } = world([{ asid: 0x42 }], { rangeInv: true });
    const vas = Array.from({ length: 10 }, (_, i) => 0x0fff_f000n + BigInt(i) * 0x1000n);
    vas.forEach((va, i) => map(0, va, leaf(0x9000_0000n + BigInt(i) * 0x1000n)));
    vas.forEach((va) => tr(s, va));
    const raw = { name: 'raw', opcode: 0x12, fields: {} };
    issue(s, [
      { ...raw, raw: [0x0042_0000_0030_0012n, 0x0000_0000_1000_0701n] },
      { ...raw, opcode: 0x46, raw: [0x46n, 0n] },
    ]);
    expect(vas.map((va) => tr(s, va).tlb)).toEqual([
      'hit',
      ...Array<string>(8).fill('miss'),
      'hit',
    ]);
  });

  // §4.4.1 range invalidation (TG≠0): the range is (NUM+1) × 2^SCALE pages of the TG granule (TG 0b01
  // 4 KB, 0b10 16 KB, 0b11 64 KB) from Address; 4 KB TLB entries inside it go, the next one stays.
  it.each([
    [0, 0, 0, 1], // TG 0b00: one address, only the entry holding it
    [2, 0, 0, 4], // one 16 KB page: four 4 KB entries
    [3, 0, 0, 16], // one 64 KB page: sixteen
    [2, 1, 1, 16], // (1+1) × 2^1 = four 16 KB pages
  ])('range TLBI with TG=%i NUM=%i SCALE=%i removes %i 4 KB pages', (tg, n, scale, gone) => {
    const { s, map } = world([{ asid: 0x42 }], { rangeInv: true });
    const base = 0x1000_0000n;
    const vas = Array.from({ length: 18 }, (_, i) => base + BigInt(i) * 0x1000n);
    vas.forEach((va, i) => map(0, va, leaf(0x9000_0000n + BigInt(i) * 0x1000n)));
    vas.forEach((va) => tr(s, va));
    expect(s.tlb.entries()).toHaveLength(18);
    const range = {
      ASID: 0x42,
      Address: base,
      Leaf: 1,
      TG: tg,
      TTL: tg ? 3 : 0,
      NUM: n,
      SCALE: scale,
    };
    issue(s, [cmd('TLBI_NH_VA', range), cmd('SYNC', {})]);
    const left = s.tlb.entries().map((e) => e.ia);
    expect(left).toEqual(vas.slice(gone));
  });

  it('LRU replacement at capacity (4 entries): the least recently used goes first', () => {
    const { s, map } = world([{}], { tlbEntries: 4 });
    const v = (i: number) => VA + BigInt(i) * 0x1000n;
    for (let i = 0; i < 5; i++) map(0, v(i), leaf(0x9000_0000n + BigInt(i) * 0x1000n));
    for (const i of [0, 1, 2, 3, 0, 4]) tr(s, v(i));
    expect(s.tlb.entries().map((e) => e.ia)).toEqual([v(2), v(3), v(0), v(4)]);
  });

  it('a stage-2-only stream reports its second access as a TLB hit', () => {
    const s = env();
    const t = new Tables(s.mem, 12, 0x4200_0000n);
    const root = t.alloc(0x2000n);
    putSte(s, 1, { config: 6, s2t0sz: 24, s2sl0: 1, s2ttb: root, s2vmid: 3 });
    t.map(root, 1, 40, 0x1000n, 3, 0x9000_0000n | S2RW | PAGE);
    expect([tr(s, 0x1000n).tlb, tr(s, 0x1000n).tlb]).toEqual(['miss', 'hit']);
  });

  it('TLBI_S2_IPA leaves combined stage 1+2 entries; TLBI_S12_VMALL removes them', () => {
    const s = env();
    const t1 = new Tables(s.mem, 12);
    const root1 = t1.alloc();
    const t2 = new Tables(s.mem, 12, 0x4200_0000n);
    const root2 = t2.alloc(0x2000n);
    putSte(s, 1, { config: 7, s1ctx: CDTAB, s2t0sz: 24, s2sl0: 1, s2ttb: root2, s2vmid: 3 });
    putCd(s, CDTAB, { ttb0: root1 });
    const s1 = t1.map(root1, 0, 48, VA, 3, leaf(0x2000_0000n));
    // Stage 2: identity for the CD and stage-1 tables, IPA 0x2000_0000 → PA 0x4400_0000.
    for (const ipa of [CDTAB, ...s1.map((a) => a & ~0xfffn)])
      t2.map(root2, 1, 40, ipa, 3, ipa | S2RW | PAGE);
    t2.map(root2, 1, 40, 0x2000_0000n, 3, 0x4400_0000n | S2RW | PAGE);
    expect(pa(s)).toBe(0x4400_0000n);
    const s2Of = (ipa: bigint) => s.tlb.entries().filter((e) => e.stage === 's2' && e.ia === ipa);
    expect(s2Of(0x2000_0000n)).toHaveLength(1);
    issue(s, [cmd('TLBI_S2_IPA', { VMID: 3, Address: 0x2000_0000n, Leaf: 1 }), cmd('SYNC', {})]);
    expect(s2Of(0x2000_0000n)).toHaveLength(0);
    expect(tr(s).tlb).toBe('hit');
    issue(s, [cmd('TLBI_S12_VMALL', { VMID: 3 }), cmd('SYNC', {})]);
    expect(s.tlb.size).toBe(0);
    expect(tr(s).tlb).toBe('miss');
  });
});

describe('ATC and broadcast TLB maintenance', () => {
  it('ATC_INV with SSV removes only that PASID; without SSV every entry in range', () => {
    const { s, map } = world([{ asid: 1 }, { asid: 1 }]);
    map(0, VA, leaf(0x9000_0000n));
    map(1, VA, leaf(0x9100_0000n));
    const fill = () => {
      atsAccess(s, txn(1, VA));
      atsAccess(s, txn(1, VA, 'r', { ssid: 1 }));
      return s.atc.entries().map((e) => e.ssid);
    };
    expect(fill()).toEqual([undefined, 1]);
    issue(s, [cmd('ATC_INV', { StreamID: 1, SubstreamID: 1, Address: VA, Size: 0 })]);
    expect(s.atc.entries()).toHaveLength(2); // not before the CMD_SYNC
    issue(s, [cmd('SYNC', {})]);
    expect(s.atc.entries().map((e) => e.ssid)).toEqual([undefined]);
    fill();
    issue(s, [cmd('ATC_INV', { StreamID: 1, Address: VA, Size: 0 }), cmd('SYNC', {})]);
    expect(s.atc.entries()).toEqual([]);
  });

  const btm = (ptm = false) => {
    const s = env({ bring: { ptm } });
    const t = new Tables(s.mem, 12);
    const root = t.alloc();
    t.map(root, 0, 48, VA, 3, leaf(0x9000_0000n));
    putSte(s, 1, { config: 5, s1ctx: CDTAB, s1cdmax: 2, s1dss: 2 });
    putCd(s, CDTAB + 64n, { ttb0: root, asid: 5, aset: false });
    putCd(s, CDTAB + 128n, { ttb0: root, asid: 5, aset: true });
    tr(s, VA, 1);
    tr(s, VA, 2);
    return s;
  };
  const asets = (s: Smmu) => s.tlb.entries().map((e) => e.aset);

  it('VA- and ASID-scoped broadcasts skip ASET=1 entries; VMALLE1IS removes both', () => {
    const s = btm();
    expect(broadcastTlbi(s, { op: 'TLBI VAE1IS', asid: 5, va: VA, pages: 1 })).toBe(1);
    expect(asets(s)).toEqual([true]);
    const a = btm();
    expect(broadcastTlbi(a, { op: 'TLBI ASIDE1IS', asid: 5 })).toBe(1);
    expect(asets(a)).toEqual([true]);
    expect(broadcastTlbi(a, { op: 'TLBI VMALLE1IS' })).toBe(1);
    expect(a.tlb.size).toBe(0);
  });

  it('CR2.PTM=1: broadcasts are not snooped', () => {
    const s = btm(true);
    expect(broadcastTlbi(s, { op: 'TLBI VMALLE1IS' })).toBe(0);
    expect(s.log.broadcasts.at(-1)).toMatchObject({ snooped: false });
    expect(s.tlb.size).toBe(2);
  });
});
