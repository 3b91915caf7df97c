// Configuration-path outcomes of translate(): SMMUEN/GBPA, StreamID → STE, SubstreamID → CD, and
// every configuration event (smmuv3.md §1–§3, §5.2; spec-facts Q3, Q4, Q5, Q9). Each event is
// checked as raw event-queue dwords computed from the §5.1 layout: dw0 = EventID[7:0] |
// SSV[11] | SubstreamID[31:12] | StreamID[63:32]; configuration events carry nothing else.
import { describe, expect, it } from 'vitest';
import { writeRegister } from './regwrite.ts';
import type { Smmu } from './smmu.ts';
import {
  CDTAB,
  PT,
  STRTAB,
  env,
  eventAt,
  evtProd,
  putCd,
  putSte,
  steWords,
  txn,
  type SteOpts,
} from './tables.testkit.ts';
import { translate } from './translate.ts';

const run = (s: Smmu, sid: number, ssid?: number) =>
  translate(s, txn(sid, 0x1000n, 'r', ssid === undefined ? {} : { ssid })).outcome;

/** An S1 stream at SID 1 whose CD (and empty TTB0) exist: a walk ends in F_TRANSLATION. */
function s1(o: Partial<SteOpts> = {}, platform = {}): Smmu {
  const s = env({ platform });
  putSte(s, 1, { config: 5, s1ctx: CDTAB, ...o });
  putCd(s, CDTAB, { ttb0: PT });
  return s;
}

describe('SMMUEN=0 and the abort/bypass configurations', () => {
  it('SMMUEN=0 bypass: an address beyond the OAS aborts with no event (§3.4)', () => {
    // §3.4: with SMMUEN=0 and GBPA.ABORT=0, "If the input address of a transaction exceeds the
    // size of the OAS, the transaction is terminated with an abort and no event is recorded."
    const s = env({ platform: { oas: 40 } });
    writeRegister(s, 'CR0', 0b1110n);
    const top = translate(s, txn(1, (1n << 40n) - 1n)).outcome;
    expect(top).toMatchObject({ type: 'translated', pa: 0xff_ffff_ffffn, stages: 'none' });
    const over = translate(s, txn(1, 1n << 40n)).outcome;
    expect(over).toMatchObject({ type: 'aborted', termination: 'abort' });
    expect(evtProd(s)).toBe(0n);
  });

  it('SMMUEN=0: GBPA.ABORT=0 bypasses, ABORT=1 aborts; no event either way (spec-facts Q1)', () => {
    const s = env();
    writeRegister(s, 'CR0', 0b1110n);
    expect(run(s, 1)).toMatchObject({ type: 'translated', pa: 0x1000n, stages: 'none' });
    writeRegister(s, 'GBPA', (1n << 31n) | (1n << 20n));
    expect(run(s, 1)).toMatchObject({ type: 'aborted', termination: 'abort' });
    expect(evtProd(s)).toBe(0n);
  });

  it('Config=0 aborts silently; Config=4 passes the address through', () => {
    const s = env();
    putSte(s, 1, { config: 0 });
    putSte(s, 2, { config: 4 });
    expect(run(s, 1)).toMatchObject({ type: 'aborted' });
    expect(run(s, 1)).not.toHaveProperty('event');
    expect(run(s, 2)).toMatchObject({ type: 'translated', pa: 0x1000n, stages: 'none' });
    expect(evtProd(s)).toBe(0n);
  });
});

describe('C_BAD_STREAMID (0x02)', () => {
  it('StreamID 256 ≥ 2^LOG2SIZE (8)', () => {
    const s = env();
    expect(run(s, 256)).toMatchObject({ type: 'fault', event: { name: 'C_BAD_STREAMID' } });
    expect(eventAt(s, 0)).toEqual([0x0000_0100_0000_0002n, 0n, 0n, 0n]);
  });

  it('CR2.RECINVSID=0: aborted, nothing recorded', () => {
    const s = env({ bring: { recinvsid: false } });
    expect(run(s, 300)).toMatchObject({ type: 'aborted', event: { name: 'C_BAD_STREAMID' } });
    expect(evtProd(s)).toBe(0n);
  });

  // 2-level table, SPLIT 8, LOG2SIZE 16: SID 0x0305 → L1STD[3] at base + 0x18, STE index 5 (E12).
  const twoLevel = (l1std: bigint): Smmu => {
    const s = env({ bring: { fmt: '2level', split: 8, log2size: 16 } });
    s.mem.write64(STRTAB + 0x18n, l1std);
    return s;
  };

  it('E12: L1STD Span 9 → STE at L2Ptr + 0x140', () => {
    const s = twoLevel(0x0000_0000_8001_0009n);
    s.mem.writeWords(0x8001_0140n, steWords({ config: 4 }));
    const t = translate(s, txn(0x305, 0x1000n));
    expect(t.outcome).toMatchObject({ type: 'translated', pa: 0x1000n });
    expect(t.steps.flatMap((x) => ('pa' in x ? [[x.kind, x.pa]] : []))).toEqual([
      ['l1std', STRTAB + 0x18n],
      ['ste', 0x8001_0140n],
    ]);
  });

  it('L1STD Span=0 is invalid', () => {
    const s = twoLevel(0x8001_0000n);
    expect(run(s, 0x305)).toMatchObject({ event: { name: 'C_BAD_STREAMID' } });
    expect(eventAt(s, 0)).toEqual([0x0000_0305_0000_0002n, 0n, 0n, 0n]);
  });

  it('index 5 beyond the 2^(Span−1) = 4 STEs of Span 3', () => {
    const s = twoLevel(0x8001_0003n);
    expect(run(s, 0x305)).toMatchObject({ event: { name: 'C_BAD_STREAMID' } });
    expect(run(s, 0x303)).toMatchObject({ event: { name: 'C_BAD_STE' } }); // index 3 < 4: V=0
  });
});

describe('F_STE_FETCH (0x03) and C_BAD_STE (0x04)', () => {
  it('an STE outside RAM: FetchAddr in dw3[55:3]', () => {
    const s = env({ bring: { strtab: 0x3000_0000n } });
    expect(run(s, 2)).toMatchObject({ type: 'fault', event: { name: 'F_STE_FETCH' } });
    expect(eventAt(s, 0)).toEqual([0x0000_0002_0000_0003n, 0n, 0n, 0x3000_0080n]);
  });

  it('an L1STD outside RAM', () => {
    const s = env({ bring: { strtab: 0x3000_0000n, fmt: '2level', split: 8, log2size: 16 } });
    expect(run(s, 0x305)).toMatchObject({ event: { name: 'F_STE_FETCH' } });
    expect(eventAt(s, 0)[3]).toBe(0x3000_0018n);
  });

  it('V=0', () => {
    const s = env();
    expect(run(s, 7)).toMatchObject({ type: 'fault', event: { name: 'C_BAD_STE' } });
    expect(eventAt(s, 0)).toEqual([0x0000_0007_0000_0004n, 0n, 0n, 0n]);
  });

  const s2 = { s2t0sz: 24, s2sl0: 1, s2ttb: PT } as const;
  it.each<[string, SteOpts, object]>([
    ['Config=0b101 on an SMMU without stage 1', { config: 5, s1ctx: CDTAB }, { s1: false }],
    ['Config=0b110 on an SMMU without stage 2', { config: 6, ...s2 }, { s2: false }],
    ['S2AA64=0', { config: 6, ...s2, s2aa64: false }, {}],
    ['S2TG=0b11 reserved', { config: 6, ...s2, s2tg: 3 }, {}],
    ['S2TTB above the 32-bit S2PS', { config: 6, ...s2, s2ps: 0, s2ttb: 0x1_0000_0000n }, {}],
    [
      'S2T0SZ/S2SL0 inconsistent (4K, SL0=2 → L0 for a 30-bit IPA)',
      { config: 6, s2t0sz: 34, s2sl0: 2 },
      {},
    ],
    ['S1CDMax 5 > SSIDSIZE 4', { config: 5, s1ctx: CDTAB, s1cdmax: 5 }, { ssidBits: 4 }],
    ['STRW=0b01', { config: 5, s1ctx: CDTAB, strw: 1 }, {}],
    [
      'S1STALLD=1 with STALL_MODEL=0b01',
      { config: 5, s1ctx: CDTAB, s1stalld: true },
      { stall: 'none' },
    ],
    ['EATS=0b10 with NS1ATS=1', { config: 5, s1ctx: CDTAB, eats: 2 }, {}],
    ['S2HA=1 with HTTU=0b00', { config: 6, ...s2, s2ha: true }, {}],
  ])('ILLEGAL: %s', (_, ste, platform) => {
    const s = env({ platform });
    putSte(s, 3, ste);
    putCd(s, CDTAB, { ttb0: PT });
    expect(run(s, 3)).toMatchObject({ type: 'fault', event: { name: 'C_BAD_STE' } });
    expect(eventAt(s, 0)).toEqual([0x0000_0003_0000_0004n, 0n, 0n, 0n]);
  });
});

describe('F_STREAM_DISABLED (0x06) and C_BAD_SUBSTREAMID (0x08)', () => {
  it('no SubstreamID with S1DSS=0b00', () => {
    const s = s1({ s1cdmax: 2, s1dss: 0 });
    expect(run(s, 1)).toMatchObject({ type: 'fault', event: { name: 'F_STREAM_DISABLED' } });
    expect(eventAt(s, 0)).toEqual([0x0000_0001_0000_0006n, 0n, 0n, 0n]);
  });

  it('SubstreamID 0 with S1DSS=0b10 (SSV=1, SSID 0 recorded as carried)', () => {
    const s = s1({ s1cdmax: 2, s1dss: 2 });
    expect(run(s, 1, 0)).toMatchObject({ event: { name: 'F_STREAM_DISABLED' } });
    expect(eventAt(s, 0)).toEqual([0x0000_0001_0000_0806n, 0n, 0n, 0n]);
    // Without a SubstreamID the same STE uses CD 0 and reaches the (empty) tables.
    expect(run(s, 1)).toMatchObject({ event: { name: 'F_TRANSLATION' } });
  });

  it('S1DSS=0b01 bypasses stage 1 for traffic without a SubstreamID', () => {
    const s = s1({ s1cdmax: 2, s1dss: 1 });
    expect(run(s, 1)).toMatchObject({ type: 'translated', pa: 0x1000n, stages: 'none' });
  });

  // dw0[11:8] is RES0 for C_BAD_SUBSTREAMID: the SubstreamID is always valid (spec-facts Q5).
  it('a SubstreamID with S1CDMax=0: dw0 = 0x08 | 3 << 12 | SID << 32, bit 11 clear', () => {
    const s = s1();
    expect(run(s, 1, 3)).toMatchObject({ event: { name: 'C_BAD_SUBSTREAMID' } });
    expect(eventAt(s, 0)).toEqual([0x0000_0001_0000_3008n, 0n, 0n, 0n]);
  });

  it('SubstreamID 4 ≥ 2^S1CDMax (S1CDMax 2)', () => {
    const s = s1({ s1cdmax: 2 });
    expect(run(s, 1, 4)).toMatchObject({ event: { name: 'C_BAD_SUBSTREAMID' } });
    expect(eventAt(s, 0)[0]).toBe(0x0000_0001_0000_4008n);
  });

  it('an invalid L1CD (S1Fmt=01, SSID 0x45 → L1CD[1])', () => {
    const s = s1({ s1cdmax: 8, s1fmt: 1 });
    s.mem.write64(CDTAB, 0x4021_0001n);
    s.mem.write64(CDTAB + 8n, 0x4022_0000n); // V=0
    expect(run(s, 1, 0x45)).toMatchObject({ event: { name: 'C_BAD_SUBSTREAMID' } });
    expect(eventAt(s, 0)[0]).toBe(0x0000_0001_0004_5008n);
  });

  it.each([4, 6])('a SubstreamID with stage 1 disabled (Config=%i)', (config) => {
    const s = env();
    putSte(s, 1, { config, s2t0sz: 24, s2sl0: 1, s2ttb: PT });
    expect(run(s, 1, 9)).toMatchObject({ event: { name: 'C_BAD_SUBSTREAMID' } });
    expect(eventAt(s, 0)[0]).toBe(0x0000_0001_0000_9008n);
  });
});

describe('CD fetch: F_CD_FETCH (0x09), C_BAD_CD (0x0A), two-level tables', () => {
  it('E13: S1Fmt=10, SSID 0x1234 → L1CD[4], CD at L2Ptr + 0x8D00', () => {
    const s = s1({ s1cdmax: 16, s1fmt: 2 });
    s.mem.write64(CDTAB + 0x20n, 0x4030_0001n);
    putCd(s, 0x4030_8d00n, { ttb0: PT });
    const t = translate(s, txn(1, 0x1000n, 'r', { ssid: 0x1234 }));
    expect(t.steps.filter((x) => x.kind === 'l1cd' || x.kind === 'cd').map((x) => x.pa)).toEqual([
      CDTAB + 0x20n,
      0x4030_8d00n,
    ]);
    // The walk of the empty TTB0 faults: dw0 carries SSV and SSID 0x1234.
    expect(eventAt(s, 0)[0]).toBe(0x0000_0001_0123_4810n);
  });

  it('a CD outside RAM: F_CD_FETCH with FetchAddr = CD address', () => {
    const s = env();
    putSte(s, 1, { config: 5, s1ctx: 0x3000_0000n, s1cdmax: 4 });
    expect(run(s, 1, 3)).toMatchObject({ type: 'fault', event: { name: 'F_CD_FETCH' } });
    expect(eventAt(s, 0)).toEqual([0x0000_0001_0000_3809n, 0n, 0n, 0x3000_00c0n]);
  });

  it('an L1CD outside RAM: F_CD_FETCH at the L1CD', () => {
    const s = env();
    putSte(s, 1, { config: 5, s1ctx: 0x3000_0000n, s1cdmax: 8, s1fmt: 1 });
    expect(run(s, 1, 0x45)).toMatchObject({ event: { name: 'F_CD_FETCH' } });
    expect(eventAt(s, 0)[3]).toBe(0x3000_0008n);
  });

  it('CD V=0', () => {
    const s = s1();
    putCd(s, CDTAB, { v: false, ttb0: PT });
    expect(run(s, 1)).toMatchObject({ type: 'fault', event: { name: 'C_BAD_CD' } });
    expect(eventAt(s, 0)).toEqual([0x0000_0001_0000_000an, 0n, 0n, 0n]);
  });

  it.each<[string, object, object]>([
    ['AA64=0', { aa64: false }, {}],
    ['T0SZ 40 out of 16..39', { t0sz: 40 }, {}],
    ['TG0=0b11 reserved', { tg0: 3 }, {}],
    ['HA=1 with HTTU=0b00', { ha: true }, {}],
    // §5.4: "It is ILLEGAL to set HD if SMMU_IDR0.HTTU == 0b00 or 0b01", with or without HA.
    ['HD=1, HA=0 with HTTU=0b01', { hd: true }, { httu: 'af' }],
    ['HD=1, HA=1 with HTTU=0b01', { hd: true, ha: true }, { httu: 'af' }],
    ['HD=1, HA=0 with HTTU=0b00', { hd: true }, {}],
    ['ASID 0x100 without ASID16', { asid: 0x100 }, { asidBits: 8 }],
    ['S=1 with STALL_MODEL=0b01', { s: true }, { stall: 'none' }],
  ])('ILLEGAL: %s', (_, cd, platform) => {
    const s = s1({}, platform);
    putCd(s, CDTAB, { ttb0: PT, ...cd });
    expect(run(s, 1)).toMatchObject({ event: { name: 'C_BAD_CD' } });
    expect(eventAt(s, 0)[0]).toBe(0x0000_0001_0000_000an);
  });

  it('EPD0=1 skips the TTB0 checks: a reserved TG0 is not ILLEGAL (spec-facts Q4)', () => {
    const s = s1();
    putCd(s, CDTAB, { epd0: true, tg0: 3, t0sz: 63 });
    expect(run(s, 1)).toMatchObject({ event: { name: 'F_TRANSLATION' } });
  });
});
