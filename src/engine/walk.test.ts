// Stage-1 walk geometry for every granule and several start levels (smmuv3.md §4.1, worked
// examples E1–E7 of §11.4), block sizes, and the walk's own faults (§4.2, §4.5). Tables are
// written word by word at literal addresses; indices and descriptor addresses are the reference's.
import { describe, expect, it } from 'vitest';
import type { Smmu } from './smmu.ts';
import {
  AF,
  AP_EL0,
  BLOCK,
  CDTAB,
  PAGE,
  TABLE,
  env,
  eventAt,
  putCd,
  putSte,
  txn,
} from './tables.testkit.ts';
import type { CdOpts } from './tables.testkit.ts';
import { translate } from './translate.ts';

const T = 0x4100_0000n; // start-level table
const leaf = (pa: bigint): bigint => pa | AF | AP_EL0 | PAGE; // AP=01, AF, page: 0x443
const block = (pa: bigint): bigint => pa | AF | AP_EL0 | BLOCK; // 0x441

function s1(cd: CdOpts): Smmu {
  const s = env();
  putSte(s, 1, { config: 5, s1ctx: CDTAB });
  putCd(s, CDTAB, { ttb0: T, ...cd });
  return s;
}

const w = (s: Smmu, words: [bigint, bigint][]): void => {
  for (const [pa, v] of words) s.mem.write64(pa, v);
};

/** The tt steps: [level, descriptor PA, hi, lo, index]. */
function walked(s: Smmu, va: bigint) {
  const t = translate(s, txn(1, va));
  const tt = t.steps
    .filter((x) => x.kind === 'tt')
    .map((x) => [x.level, x.pa, x.input?.hi, x.input?.lo, x.input?.index]);
  return { out: t.outcome, tt };
}

describe('4 KB granule', () => {
  it('E1: T0SZ 16 starts at L0; indices 0xFF/0x1FF/0xF5/0xDB', () => {
    const s = s1({ t0sz: 16 });
    w(s, [
      [0x4100_07f8n, 0x4100_1000n | TABLE],
      [0x4100_1ff8n, 0x4100_2000n | TABLE],
      [0x4100_27a8n, 0x4100_3000n | TABLE],
      [0x4100_36d8n, 0x8765_4443n],
    ]);
    const r = walked(s, 0x0000_7fff_dead_b000n);
    expect(r.out).toMatchObject({ type: 'translated', pa: 0x8765_4000n, sizeShift: 12 });
    expect(r.tt).toEqual([
      [0, 0x4100_07f8n, 47, 39, 0xff],
      [1, 0x4100_1ff8n, 38, 30, 0x1ff],
      [2, 0x4100_27a8n, 29, 21, 0xf5],
      [3, 0x4100_36d8n, 20, 12, 0xdb],
    ]);
  });

  it('E2: the QEMU qtest walk of 0x80_8060_4567 reaches PA 0x4ECB_A567', () => {
    const s = s1({ t0sz: 16, ips: 4, asid: 0x1e20, ttb0: 0x4e4d_0000n });
    w(s, [
      [0x4e4d_0008n, 0x8000_0000_4e4d_1003n],
      [0x4e4d_1010n, 0x8000_0000_4e4d_2003n],
      [0x4e4d_2018n, 0x8000_0000_4e4d_3003n],
      [0x4e4d_3020n, 0x0400_0000_4ecb_a763n],
    ]);
    const r = walked(s, 0x80_8060_4567n);
    expect(r.out).toMatchObject({ type: 'translated', pa: 0x4ecb_a567n });
    expect(r.tt.map((x) => x[4])).toEqual([1, 2, 3, 4]);
  });

  it('E3: T0SZ 25 starts at L1 (3 levels); VA bit 39 set is outside TTB0', () => {
    const s = s1({ t0sz: 25 });
    w(s, [
      [T + 0xff8n, 0x4100_1000n | TABLE],
      [0x4100_1028n, 0x4100_2000n | TABLE],
      [0x4100_2008n, leaf(0x9000_0000n)],
    ]);
    const r = walked(s, 0x7f_c0a0_1abcn);
    expect(r.out).toMatchObject({ type: 'translated', pa: 0x9000_0abcn });
    expect(r.tt).toEqual([
      [1, T + 0xff8n, 38, 30, 0x1ff],
      [2, 0x4100_1028n, 29, 21, 0x005],
      [3, 0x4100_2008n, 20, 12, 0x001],
    ]);
    const out = walked(s, 0x80_0000_0000n);
    expect(out.tt).toEqual([]);
    expect(out.out).toMatchObject({
      type: 'fault',
      event: { name: 'F_TRANSLATION', s2: false, class: 'IN' },
    });
  });

  it('E4: T0SZ 32 starts at L1 with a 4-entry table indexed by VA[31:30]', () => {
    const s = s1({ t0sz: 32 });
    w(s, [
      [T + 0x18n, 0x4100_1000n | TABLE],
      [0x4100_1028n, 0x4100_2000n | TABLE],
      [0x4100_2008n, leaf(0x9000_0000n)],
    ]);
    const r = walked(s, 0xc0a0_1abcn);
    expect(r.out).toMatchObject({ type: 'translated', pa: 0x9000_0abcn });
    expect(r.tt[0]).toEqual([1, T + 0x18n, 31, 30, 3]);
  });

  it('T0SZ 34 starts at L2 (2 levels): VA[29:21] then VA[20:12]', () => {
    const s = s1({ t0sz: 34 });
    w(s, [
      [T + 0xff8n, 0x4100_1000n | TABLE],
      [0x4100_1008n, leaf(0x9000_0000n)],
    ]);
    const r = walked(s, 0x3fe0_1abcn);
    expect(r.out).toMatchObject({ type: 'translated', pa: 0x9000_0abcn });
    expect(r.tt).toEqual([
      [2, T + 0xff8n, 29, 21, 0x1ff],
      [3, 0x4100_1008n, 20, 12, 0x001],
    ]);
  });

  it('a 1 GB block at L1 and a 2 MB block at L2', () => {
    const s = s1({ t0sz: 25 });
    w(s, [[T + 0x100n * 8n, block(0xc000_0000n)]]); // VA[38:30] of 0x40_1234_5678 = 0x100
    expect(walked(s, 0x40_1234_5678n).out).toMatchObject({ pa: 0xd234_5678n, sizeShift: 30 });
    const s2 = s1({ t0sz: 16 });
    w(s2, [
      [0x4100_07f8n, 0x4100_1000n | TABLE],
      [0x4100_1ff8n, 0x4100_2000n | TABLE],
      [0x4100_27a8n, block(0x8060_0000n)],
    ]);
    const r = walked(s2, 0x7fff_dead_b123n); // offset VA[20:0] = 0xDB123
    expect(r.out).toMatchObject({ pa: 0x806d_b123n, sizeShift: 21 });
    expect(r.tt).toHaveLength(3);
  });
});

describe('16 KB granule', () => {
  it('E5: T0SZ 16 starts at L0 with one index bit; L1 0x123, L2 0x22B, L3 0x1E2', () => {
    const s = s1({ t0sz: 16, tg0: 2 });
    w(s, [
      [T, 0x4100_4000n | TABLE],
      [0x4100_4918n, 0x4100_8000n | TABLE],
      [0x4100_9158n, 0x4100_c000n | TABLE],
      [0x4100_cf10n, leaf(0x8765_c000n)],
    ]);
    const r = walked(s, 0x0000_1234_5678_9abcn);
    expect(r.out).toMatchObject({ type: 'translated', pa: 0x8765_dabcn, sizeShift: 14 });
    expect(r.tt).toEqual([
      [0, T, 47, 47, 0],
      [1, 0x4100_4918n, 46, 36, 0x123],
      [2, 0x4100_9158n, 35, 25, 0x22b],
      [3, 0x4100_cf10n, 24, 14, 0x1e2],
    ]);
  });

  it('E6: T0SZ 28 starts at L2; L2 0x55E, L3 0x37B, offset 0x3123', () => {
    const s = s1({ t0sz: 28, tg0: 2 });
    w(s, [
      [T + 0x55en * 8n, 0x4100_4000n | TABLE],
      [0x4100_4000n + 0x37bn * 8n, leaf(0x8765_c000n)],
    ]);
    const r = walked(s, 0xa_bcde_f123n);
    expect(r.out).toMatchObject({ type: 'translated', pa: 0x8765_f123n });
    expect(r.tt.map((x) => x[4])).toEqual([0x55e, 0x37b]);
  });

  it('T0SZ 17 starts at L1 (11 bits); a 32 MB block at L2', () => {
    const s = s1({ t0sz: 17, tg0: 2 });
    w(s, [
      [T + 0x123n * 8n, 0x4100_4000n | TABLE],
      [0x4100_4000n + 0x22bn * 8n, block(0x8200_0000n)],
    ]);
    const r = walked(s, 0x0000_1234_5678_9abcn);
    expect(r.out).toMatchObject({ pa: 0x8278_9abcn, sizeShift: 25 });
    expect(r.tt[0]).toEqual([1, T + 0x918n, 46, 36, 0x123]);
  });
});

describe('64 KB granule', () => {
  it('E7: T0SZ 16 starts at L1 (6 bits); L2 0x16E5, L3 0x1A98', () => {
    const s = s1({ t0sz: 16, tg0: 1 });
    w(s, [
      [T + 0x3fn * 8n, 0x4101_0000n | TABLE],
      [0x4101_0000n + 0x16e5n * 8n, 0x4102_0000n | TABLE],
      [0x4102_0000n + 0x1a98n * 8n, leaf(0x8765_0000n)],
    ]);
    const r = walked(s, 0xfedc_ba98_7654n);
    expect(r.out).toMatchObject({ type: 'translated', pa: 0x8765_7654n, sizeShift: 16 });
    expect(r.tt).toEqual([
      [1, T + 0x1f8n, 47, 42, 0x3f],
      [2, 0x4101_b728n, 41, 29, 0x16e5],
      [3, 0x4102_d4c0n, 28, 16, 0x1a98],
    ]);
  });

  it('E7: T0SZ 22 starts at L2; and a 512 MB block at L2', () => {
    const s = s1({ t0sz: 22, tg0: 1 });
    w(s, [
      [T + 0x1ff8n * 8n, 0x4101_0000n | TABLE],
      [0x4101_0000n + 0x1234n * 8n, leaf(0x8765_0000n)],
    ]);
    const r = walked(s, 0x3ff_1234_5678n);
    expect(r.out).toMatchObject({ pa: 0x8765_5678n });
    expect(r.tt.map((x) => x[4])).toEqual([0x1ff8, 0x1234]);
    const b = s1({ t0sz: 16, tg0: 1 });
    w(b, [
      [T + 0x3fn * 8n, 0x4101_0000n | TABLE],
      [0x4101_0000n + 0x16e5n * 8n, block(0xa000_0000n)],
    ]);
    expect(walked(b, 0xfedc_ba98_7654n).out).toMatchObject({ pa: 0xba98_7654n, sizeShift: 29 });
  });
});

describe('walk faults', () => {
  // F_TRANSLATION, SID 1, read, unprivileged, data, stage 1: dw0 = 0x10 | 1<<32,
  // dw1 = RnW (bit 35) | CLASS=IN (0b10 << 40) (smmuv3.md §5.1).
  const fTrans = (va: bigint): bigint[] => [0x1_0000_0010n, 0x0000_0208_0000_0000n, va, 0n];

  it('reserved L3 type (bits[1:0] = 0b01) → F_TRANSLATION at level 3', () => {
    const s = s1({ t0sz: 34 });
    w(s, [
      [T + 0xff8n, 0x4100_1000n | TABLE],
      [0x4100_1008n, block(0x9000_0000n)],
    ]);
    const r = walked(s, 0x3fe0_1abcn);
    expect(r.tt).toHaveLength(2);
    expect(r.out).toMatchObject({ type: 'fault', event: { name: 'F_TRANSLATION' } });
    expect(eventAt(s, 0)).toEqual(fTrans(0x3fe0_1abcn));
  });

  it.each([
    ['4 KB block at L0', 0, 16, T + 0x7f8n, 0x7fff_dead_b000n],
    ['16 KB block at L1', 2, 17, T + 0x918n, 0x1234_5678_9abcn],
    ['64 KB block at L1', 1, 16, T + 0x1f8n, 0xfedc_ba98_7654n],
  ])('%s is not allowed → F_TRANSLATION', (_, tg0, t0sz, at, va) => {
    const s = s1({ t0sz, tg0 });
    w(s, [[at, block(0x8000_0000n)]]);
    const r = walked(s, va);
    expect(r.tt).toHaveLength(1);
    expect(r.out).toMatchObject({ type: 'fault', event: { name: 'F_TRANSLATION' } });
  });

  it('leaf output address above the 32-bit IPS → F_ADDR_SIZE (0x11)', () => {
    const s = s1({ t0sz: 34, ips: 0 });
    w(s, [
      [T + 0xff8n, 0x4100_1000n | TABLE],
      [0x4100_1008n, leaf(0x1_2345_6000n)],
    ]);
    const r = walked(s, 0x3fe0_1abcn);
    expect(r.out).toMatchObject({ type: 'fault', event: { name: 'F_ADDR_SIZE' } });
    expect(eventAt(s, 0)).toEqual([0x1_0000_0011n, 0x0000_0208_0000_0000n, 0x3fe0_1abcn, 0n]);
  });

  it('next-level table address above IPS → F_ADDR_SIZE before any read of it', () => {
    const s = s1({ t0sz: 34, ips: 0 });
    w(s, [[T + 0xff8n, 0x1_0000_0000n | TABLE]]);
    const r = walked(s, 0x3fe0_1abcn);
    expect(r.tt).toHaveLength(1);
    expect(r.out).toMatchObject({ type: 'fault', event: { name: 'F_ADDR_SIZE' } });
  });

  it('TTB0 above the effective IPS → C_BAD_CD, not F_ADDR_SIZE (spec-facts Q14)', () => {
    const s = s1({ t0sz: 34, ips: 0, ttb0: 0x1_0000_0000n });
    const r = walked(s, 0x3fe0_1abcn);
    expect(r.tt).toEqual([]);
    expect(r.out).toMatchObject({ type: 'fault', event: { name: 'C_BAD_CD' } });
    expect(eventAt(s, 0)).toEqual([0x1_0000_000an, 0n, 0n, 0n]);
  });

  it('an invalid descriptor at L2 → F_TRANSLATION after two reads', () => {
    const s = s1({ t0sz: 25 });
    w(s, [[T + 0xff8n, 0x4100_1000n | TABLE]]);
    const r = walked(s, 0x7f_c0a0_1abcn);
    expect(r.tt.map((x) => x[1])).toEqual([T + 0xff8n, 0x4100_1028n]);
    expect(eventAt(s, 0)).toEqual(fTrans(0x7f_c0a0_1abcn));
  });
});
