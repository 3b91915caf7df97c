// Stage 2 alone (Config=0b110) and nested (0b111): concatenated start tables, faults with S2=1 and
// CLASS CD/TT/IN, the IPA field, and nested trace steps (smmuv3.md §4.8, §5.1; spec-facts Q5, Q13).
import { describe, expect, it } from 'vitest';
import type { Smmu } from './smmu.ts';
import {
  AF,
  AP_EL0,
  PAGE,
  S2AP_R,
  S2AP_W,
  S2RW,
  S2XN,
  TABLE,
  Tables,
  env,
  eventAt,
  putCd,
  putSte,
  txn,
  type SteOpts,
} from './tables.testkit.ts';
import { translate } from './translate.ts';

const S2TTB = 0x4200_0000n;
// 4 KB granule, 40-bit IPA (S2T0SZ 24), SL0=1: start at L1 with IPA[39:30] = 10 bits, i.e. two
// concatenated 512-entry L1 tables (8 KB) (§4.8).
const S2: SteOpts = { config: 6, s2t0sz: 24, s2sl0: 1, s2tg: 0, s2ps: 5, s2ttb: S2TTB, s2vmid: 3 };

const ttSteps = (steps: ReturnType<typeof translate>['steps']) =>
  steps.filter((x) => x.kind === 'tt');

describe('stage 2 only (Config=0b110)', () => {
  const s2only = (o: Partial<SteOpts> = {}, platform = {}): Smmu => {
    const s = env({ platform });
    putSte(s, 1, { ...S2, ...o });
    s.mem.write64(S2TTB + 0x1008n, 0x4201_0000n | TABLE); // L1[0x201], in the second table
    s.mem.write64(0x4201_0008n, 0x4202_0000n | TABLE); // L2[1]
    s.mem.write64(0x4202_0008n, 0x8800_0000n | S2RW | PAGE); // L3[1]: 0x8800_04C3
    return s;
  };
  const IPA = 0x80_4020_1234n; // L1 0x201, L2 0x001, L3 0x001, offset 0x234

  it('walks two concatenated L1 tables: IPA[39:30] = 0x201 → S2TTB + 0x1008', () => {
    const t = translate(s2only(), txn(1, IPA));
    expect(t.outcome).toMatchObject({ type: 'translated', pa: 0x8800_0234n, stages: 's2' });
    expect(
      ttSteps(t.steps).map((x) => [
        x.stage,
        x.level,
        x.pa,
        x.input?.hi,
        x.input?.lo,
        x.input?.index,
      ]),
    ).toEqual([
      [2, 1, S2TTB + 0x1008n, 39, 30, 0x201],
      [2, 2, 0x4201_0008n, 29, 21, 1],
      [2, 3, 0x4202_0008n, 20, 12, 1],
    ]);
    expect(ttSteps(t.steps).every((x) => x.nested === undefined)).toBe(true);
  });

  it('16 KB, 40-bit IPA, SL0=1: 16 concatenated L2 tables indexed by IPA[39:25]', () => {
    const s = env();
    putSte(s, 1, { ...S2, s2tg: 2, s2ttb: 0x4240_0000n });
    s.mem.write64(0x4240_0000n + 0x21d90n, 0x4280_0000n | TABLE); // index 0x43B2
    s.mem.write64(0x4280_0000n + 0x2860n, 0x8800_0000n | S2RW | PAGE); // L3 index 0x50C
    const t = translate(s, txn(1, 0x87_6543_2100n));
    expect(t.outcome).toMatchObject({ pa: 0x8800_2100n });
    expect(ttSteps(t.steps)[0]?.input).toMatchObject({ hi: 39, lo: 25, index: 0x43b2 });
  });

  it('an unmapped IPA: F_TRANSLATION with S2=1, CLASS=IN, IPA = the input page', () => {
    const s = s2only();
    s.mem.write64(0x4202_0008n, 0n);
    // The record has room for IPA[55:12] only (§7.3.13, dw3): the fields say what it holds.
    expect(translate(s, txn(1, IPA)).outcome).toMatchObject({
      type: 'fault',
      event: { name: 'F_TRANSLATION', s2: true, class: 'IN', ipa: 0x80_4020_1000n },
    });
    // dw1: RnW (35) | S2 (39) | CLASS=IN (2 << 40); dw3: IPA[55:12].
    expect(eventAt(s, 0)).toEqual([0x1_0000_0010n, 0x0000_0288_0000_0000n, IPA, 0x80_4020_1000n]);
  });

  it('an IPA ≥ 2^40 faults at stage 2; an address ≥ 2^48 (IAS) is a stage-1 F_ADDR_SIZE', () => {
    const s = s2only();
    expect(translate(s, txn(1, 1n << 40n)).outcome).toMatchObject({
      event: { name: 'F_TRANSLATION', s2: true },
    });
    expect(translate(s, txn(1, 1n << 48n)).outcome).toMatchObject({
      event: { name: 'F_ADDR_SIZE', s2: false, class: 'IN' },
    });
    expect(eventAt(s, 1)).toEqual([0x1_0000_0011n, 0x0000_0208_0000_0000n, 1n << 48n, 0n]);
  });

  it('S2AP=01 (read-only): a write → F_PERMISSION at stage 2, RnW=0', () => {
    const s = s2only();
    s.mem.write64(0x4202_0008n, 0x8800_0000n | AF | S2AP_R | PAGE);
    expect(translate(s, txn(1, IPA)).outcome.type).toBe('translated');
    expect(translate(s, txn(1, IPA, 'w')).outcome).toMatchObject({
      event: { name: 'F_PERMISSION', s2: true, class: 'IN' },
    });
    expect(eventAt(s, 0)[1]).toBe(0x0000_0280_0000_0000n);
  });

  it('stage-2 AF=0 with S2AFFD=0 → F_ACCESS; S2R=0 terminates it silently', () => {
    const s = s2only();
    s.mem.write64(0x4202_0008n, 0x8800_0000n | S2AP_R | PAGE);
    expect(translate(s, txn(1, IPA)).outcome).toMatchObject({
      event: { name: 'F_ACCESS', s2: true },
    });
    const q = s2only({ s2r: false });
    q.mem.write64(0x4202_0008n, 0x8800_0000n | S2AP_R | PAGE);
    expect(translate(q, txn(1, IPA)).outcome).toMatchObject({
      type: 'aborted',
      termination: 'abort',
    });
    expect(q.regs.EVENTQ_PROD).toBe(0n);
  });

  it('a stage-2 table outside RAM: F_WALK_EABT with S2=1, CLASS=IN and FetchAddr', () => {
    const s = s2only({ s2ttb: 0x3000_0000n });
    expect(translate(s, txn(1, IPA)).outcome).toMatchObject({ event: { name: 'F_WALK_EABT' } });
    expect(eventAt(s, 0)).toEqual([0x1_0000_000bn, 0x0000_0288_0000_0000n, IPA, 0x3000_1008n]);
  });
});

describe('nested (Config=0b111)', () => {
  const VA = 0x0000_7fff_dead_b123n; // L0 0xFF, L1 0x1FF, L2 0xF5, L3 0xDB
  const CD_IPA = 0x1000_0000n;
  const OUT_IPA = 0x2000_0000n;
  /** IPA page 0x1001_k000 holds stage-1 table k at PA 0x4301_k000. */
  const tPa = (ipa: bigint): bigint => ipa - 0x1001_0000n + 0x4301_0000n;

  function nested(skip: bigint[] = [], sid = 1, platform = {}) {
    const s = env({ bring: { log2size: 9 }, platform });
    const t2 = new Tables(s.mem, 12, S2TTB);
    const root = t2.alloc(0x2000n);
    putSte(s, sid, { ...S2, config: 7, s1ctx: CD_IPA, s2ttb: root });
    const s2map = (ipa: bigint, pa: bigint, bits = S2RW, force = false) => {
      if (force || !skip.includes(ipa)) t2.map(root, 1, 40, ipa, 3, pa | bits | PAGE);
    };
    s2map(CD_IPA, 0x4300_0000n);
    putCd(s, 0x4300_0000n, { ttb0: 0x1001_0000n, asid: 9 });
    const tables = [0x1001_0000n, 0x1001_1000n, 0x1001_2000n, 0x1001_3000n];
    const offs = [0x7f8n, 0xff8n, 0x7a8n, 0x6d8n];
    tables.forEach((ipa, i) => {
      s2map(ipa, tPa(ipa));
      const next = i < 3 ? tables[i + 1]! | TABLE : OUT_IPA | AF | AP_EL0 | PAGE;
      s.mem.write64(tPa(ipa) + offs[i]!, next);
    });
    s2map(OUT_IPA, 0x4400_0000n);
    return { s, s2map };
  }

  it('translates VA → IPA → PA; stage-2 steps are marked nested CD, TT or IN', () => {
    const { s } = nested();
    const t = translate(s, txn(1, VA));
    expect(t.outcome).toMatchObject({ type: 'translated', pa: 0x4400_0123n, stages: 's1+s2' });
    const tt = ttSteps(t.steps);
    const marks = tt.map((x) => (x.stage === 1 ? 'S1' : x.nested));
    expect(marks).toEqual([
      ...['CD', 'CD', 'CD'],
      ...['TT', 'TT', 'TT', 'S1'],
      ...['TT', 'TT', 'TT', 'S1'],
      ...['TT', 'TT', 'TT', 'S1'],
      ...['TT', 'TT', 'TT', 'S1'],
      ...['IN', 'IN', 'IN'],
    ]);
    expect(tt.filter((x) => x.stage === 1).map((x) => [x.ipa, x.pa])).toEqual([
      [0x1001_07f8n, 0x4301_07f8n],
      [0x1001_1ff8n, 0x4301_1ff8n],
      [0x1001_27a8n, 0x4301_27a8n],
      [0x1001_36d8n, 0x4301_36d8n],
    ]);
    expect(t.steps.find((x) => x.kind === 'cd')).toMatchObject({ ipa: CD_IPA, pa: 0x4300_0000n });
  });

  it('CD IPA unmapped: stage-2 fault with CLASS=CD and IPA = the CD address', () => {
    const { s } = nested([CD_IPA]);
    expect(translate(s, txn(1, VA)).outcome).toMatchObject({
      event: { name: 'F_TRANSLATION', s2: true, class: 'CD', ipa: CD_IPA },
    });
    expect(eventAt(s, 0)).toEqual([0x1_0000_0010n, 0x0000_0088_0000_0000n, VA, CD_IPA]);
  });

  it('E10: a stage-1 table at unmapped IPA 0x8000_1000 → S2=1, CLASS=TT', () => {
    const { s } = nested([], 0x100);
    s.mem.write64(0x4301_07f8n, 0x8000_1000n | TABLE);
    translate(s, txn(0x100, VA));
    expect(eventAt(s, 0)).toEqual([
      0x0000_0100_0000_0010n,
      0x0000_0188_0000_0000n,
      VA,
      0x0000_0000_8000_1000n,
    ]);
  });

  it('final IPA unmapped: S2=1, CLASS=IN, IPA = the stage-1 output', () => {
    const { s } = nested([OUT_IPA]);
    expect(translate(s, txn(1, VA)).outcome).toMatchObject({
      // The stage-1 output is OUT_IPA + 0x123; the record keeps IPA[55:12] (§7.3.13).
      event: { name: 'F_TRANSLATION', s2: true, class: 'IN', ipa: OUT_IPA },
    });
    expect(eventAt(s, 0)).toEqual([0x1_0000_0010n, 0x0000_0288_0000_0000n, VA, OUT_IPA]);
  });

  it('stage-2 read-only page under an HTTU AF update: F_PERMISSION, CLASS=TT, TTRnW=0', () => {
    const { s, s2map } = nested([0x1001_3000n], 1, { httu: 'af' });
    s2map(0x1001_3000n, 0x4301_3000n, AF | S2AP_R, true);
    putCd(s, 0x4300_0000n, { ttb0: 0x1001_0000n, asid: 9, ha: true });
    s.mem.write64(0x4301_36d8n, OUT_IPA | AP_EL0 | PAGE); // AF=0: hardware must write it
    expect(translate(s, txn(1, VA)).outcome).toMatchObject({
      event: { name: 'F_PERMISSION', s2: true, class: 'TT', ttrnw: false },
    });
    expect(eventAt(s, 0)[1]).toBe(0x0000_0188_0000_0000n);
  });

  // §7.3.12: a stage-1 table whose IPA stage 2 maps to a PA outside RAM aborts the fetch:
  // F_WALK_EABT at stage 1 (S2=0, CLASS=TT), FetchAddr = the PA of the descriptor.
  it('a stage-1 table at an IPA mapped outside RAM: F_WALK_EABT, S2=0, FetchAddr = its PA', () => {
    const { s, s2map } = nested([0x1001_2000n]);
    s2map(0x1001_2000n, 0x3000_0000n, S2RW, true);
    expect(translate(s, txn(1, VA)).outcome).toMatchObject({
      type: 'fault',
      event: { name: 'F_WALK_EABT', s2: false, class: 'TT', fetchAddr: 0x3000_07a8n },
    });
  });

  it('stage-2 no-access page for a descriptor read: F_PERMISSION, CLASS=TT, TTRnW=1', () => {
    const { s, s2map } = nested([0x1001_2000n]);
    s2map(0x1001_2000n, 0x4301_2000n, AF, true);
    translate(s, txn(1, VA));
    expect(eventAt(s, 0)).toEqual([0x1_0000_0013n, 0x0000_1188_0000_0000n, VA, 0x1001_2000n]);
  });

  // §4.3: a nested TLB entry caches both stages' permissions; a hit is checked against stage 2's
  // too, and a denial faults at stage 2 (S2=1, CLASS=IN) from the entry, without a walk.
  it('a write the cached stage-2 permissions deny faults from the TLB hit at stage 2', () => {
    const { s, s2map } = nested([OUT_IPA]);
    s2map(OUT_IPA, 0x4400_0000n, AF | S2AP_R, true);
    expect(translate(s, txn(1, VA, 'r'))).toMatchObject({
      tlb: 'miss',
      outcome: { type: 'translated', pa: 0x4400_0123n },
    });
    const t = translate(s, txn(1, VA, 'w'));
    expect(t.tlb).toBe('hit');
    expect(t.outcome).toMatchObject({
      type: 'fault',
      event: { name: 'F_PERMISSION', s2: true, class: 'IN', rnw: false, addr: VA },
    });
    expect(ttSteps(t.steps)).toEqual([]);
    const hit = t.steps.find((x) => x.kind === 'tlb-hit');
    expect(hit?.note).toMatch(/: cached stage-2 permissions deny the access — /);
  });

  // §3.9.1.2: an ATS completion never grants more than stage 2 does; from a nested TLB hit the
  // permissions are stage 1's, each limited by S2AP[0] (read), S2AP[1] (write) and S2XN (exec).
  it.each([
    ['write-only stage 2', AF | S2AP_W, { read: false, write: true, exec: true }],
    ['read-only, XN stage 2', AF | S2AP_R | S2XN, { read: true, write: false, exec: false }],
  ])(
    'an ATS request on a nested TLB hit, %s, completes with both stages’ permissions',
    (_, s2, perms) => {
      const { s, s2map } = nested([OUT_IPA]);
      putSte(s, 1, { ...S2, config: 7, s1ctx: CD_IPA, s2ttb: S2TTB, eats: 1 });
      s2map(OUT_IPA, 0x4400_0000n, s2, true);
      translate(s, txn(1, VA, 'r'), { ats: true });
      const t = translate(s, txn(1, VA, 'r'), { ats: true });
      expect(t.tlb).toBe('hit');
      expect(t.outcome).toMatchObject({ type: 'translated', pa: 0x4400_0123n, perms });
    },
  );
});
