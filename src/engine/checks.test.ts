// ILLEGAL STEs, CDs and L1STDs on their own (§5.2 SteIllegal(), §5.4 CdIllegal(), §5.1 L1STD.Span;
// docs/research/spec-facts.md Q3/Q4). Each rule is broken once from a legal baseline, and the
// value just inside its limit is shown legal; the limits are the spec's (worked out by hand below).
import { describe, expect, it } from 'vitest';
import type { CdView } from './cd.ts';
import { cdCheckContext, cdIllegal, l1stdIllegal, steIllegal } from './checks.ts';
import { DEFAULT_SMMU, type SmmuPlatform } from './platform.ts';
import type { SteView } from './ste.ts';

const P: SmmuPlatform = DEFAULT_SMMU; // STALL_MODEL 0b00, HTTU 0b00, OAS 48, SSIDSIZE 20, CD2L
const plat = (o: Partial<SmmuPlatform>): SmmuPlatform => ({ ...P, ...o });

// Stage 1 only (Config 0b101), EL1 StreamWorld; its stage-2 fields describe a legal 4 KB stage 2
// (S2T0SZ 24: 40-bit IPA; S2SL0 1: start at level 1, which resolves IPA[39:30] = 10 bits ≤ 9+4).
const S1: SteView = {
  V: true,
  Config: 5,
  S1Fmt: 0,
  S1ContextPtr: 0x4020_0000n,
  S1CDMax: 0,
  S1DSS: 0,
  S1STALLD: false,
  CONT: 0,
  PPAR: false,
  EATS: 0,
  STRW: 0,
  PRIVCFG: 0,
  INSTCFG: 0,
  S2VMID: 0,
  S2T0SZ: 24,
  S2SL0: 1,
  S2TG: 0,
  S2PS: 2, // 40 bits
  S2AA64: true,
  S2AFFD: false,
  S2PTW: false,
  S2HD: false,
  S2HA: false,
  S2S: false,
  S2R: false,
  S2TTB: 0x4100_0000n,
};
const S2: SteView = { ...S1, Config: 6 };
const ste = (base: SteView, o: Partial<SteView>, p: SmmuPlatform = P): string | undefined =>
  steIllegal({ ...base, ...o }, p);

describe('steIllegal (§5.2)', () => {
  it('the baselines are legal', () => {
    expect(ste(S1, {})).toBeUndefined();
    expect(ste(S2, {})).toBeUndefined();
    expect(ste(S1, { Config: 7 })).toBeUndefined();
  });

  it('V=0 is invalid; abort and bypass configurations are checked no further', () => {
    expect(ste(S1, { V: false })).toBe('V=0: the STE is invalid');
    // Config 0b000 with EATS=0b10 would be ILLEGAL under ATS if it were checked (below).
    expect(ste(S1, { Config: 0, EATS: 2, S2AA64: false })).toBeUndefined();
    expect(ste(S1, { Config: 4, EATS: 2, S2AA64: false })).toBeUndefined();
  });

  it('a stage the ID registers do not implement', () => {
    expect(ste(S1, {}, plat({ s1: false }))).toBe('Config enables stage 1 but IDR0.S1P=0');
    expect(ste(S2, {}, plat({ s1: false }))).toBeUndefined();
    expect(ste(S2, {}, plat({ s2: false }))).toBe('Config enables stage 2 but IDR0.S2P=0');
    expect(ste(S1, {}, plat({ s2: false }))).toBeUndefined();
  });

  it('EATS: split-stage ATS, and full ATS with a stalling stage 2, only with ATS', () => {
    expect(ste(S1, { EATS: 2 })).toBe('EATS=0b10 (split-stage ATS) with IDR0.NS1ATS=1');
    expect(ste(S1, { EATS: 2 }, plat({ ats: false }))).toBeUndefined();
    expect(ste(S2, { EATS: 1, S2S: true })).toBe('EATS=0b01 with stage 2 stalling (S2S=1)');
    expect(ste(S2, { EATS: 1, S2S: true }, plat({ ats: false }))).toBeUndefined();
    expect(ste(S2, { EATS: 1 })).toBeUndefined();
    expect(ste(S2, { EATS: 0, S2S: true })).toBeUndefined();
    expect(ste(S1, { EATS: 1, S2S: true })).toBeUndefined(); // no stage 2: S2S unused
  });

  it('STRW=0b01 and 0b11 are reserved for a Non-secure stage-1-only stream', () => {
    expect(ste(S1, { STRW: 1 })).toBe('STRW=0b01 is reserved for a Non-secure stream');
    expect(ste(S1, { STRW: 3 })).toBe('STRW=0b11 is reserved for a Non-secure stream');
    expect(ste(S1, { STRW: 2 })).toBeUndefined();
    expect(ste(S2, { STRW: 1 })).toBeUndefined();
  });

  it('S1STALLD needs STALL_MODEL 0b00', () => {
    const msg = 'S1STALLD=1 but IDR0.STALL_MODEL is not 0b00';
    expect(ste(S1, { S1STALLD: true })).toBeUndefined();
    expect(ste(S1, { S1STALLD: true }, plat({ stall: 'none' }))).toBe(msg);
    expect(ste(S1, { S1STALLD: true }, plat({ stall: 'forced' }))).toBe(msg);
    // Stage 1 bypassed: its fields are not checked.
    expect(ste(S2, { S1STALLD: true, S2S: true }, plat({ stall: 'forced' }))).toBeUndefined();
  });

  it('S1CDMax up to IDR1.SSIDSIZE; a two-level CD table needs CD2L', () => {
    expect(ste(S1, { S1CDMax: 20 })).toBeUndefined();
    expect(ste(S1, { S1CDMax: 21 })).toBe('S1CDMax=21 exceeds IDR1.SSIDSIZE=20');
    // SSIDSIZE=0: no substreams, S1CDMax is not checked (§5.2: ignored).
    expect(ste(S1, { S1CDMax: 21, S1Fmt: 1 }, plat({ ssidBits: 0, cd2l: false }))).toBeUndefined();
    const twoLevel = 'two-level CD table (S1Fmt) but IDR0.CD2L=0';
    const noCd2l = plat({ cd2l: false });
    expect(ste(S1, { S1CDMax: 4, S1Fmt: 1 }, noCd2l)).toBe(twoLevel);
    expect(ste(S1, { S1CDMax: 4, S1Fmt: 2 }, noCd2l)).toBe(twoLevel);
    expect(ste(S1, { S1CDMax: 4, S1Fmt: 0 }, noCd2l)).toBeUndefined();
    expect(ste(S1, { S1CDMax: 0, S1Fmt: 1 }, noCd2l)).toBeUndefined(); // one CD: S1Fmt ignored
    expect(ste(S1, { S1CDMax: 4, S1Fmt: 1 })).toBeUndefined();
  });

  it('S1ContextPtr within the OAS', () => {
    expect(ste(S1, { S1ContextPtr: (1n << 48n) - 64n })).toBeUndefined();
    expect(ste(S1, { S1ContextPtr: 1n << 48n })).toBe(
      'S1ContextPtr beyond the 48-bit address size',
    );
    expect(ste(S1, { S1ContextPtr: 1n << 40n }, plat({ oas: 40 }))).toBe(
      'S1ContextPtr beyond the 40-bit address size',
    );
  });

  it('S2S against the stall model', () => {
    expect(ste(S2, { S2S: true }, plat({ stall: 'none' }))).toBe(
      'S2S=1 but the SMMU cannot stall (STALL_MODEL=0b01)',
    );
    expect(ste(S2, {}, plat({ stall: 'forced' }))).toBe(
      'S2S=0 but stalls are forced (STALL_MODEL=0b10)',
    );
    expect(ste(S2, { S2S: true }, plat({ stall: 'forced' }))).toBeUndefined();
    expect(ste(S2, {}, plat({ stall: 'none' }))).toBeUndefined();
    expect(ste(S2, { S2S: true })).toBeUndefined();
  });

  it('S2AA64 and the HTTU bits', () => {
    expect(ste(S2, { S2AA64: false })).toBe(
      'S2AA64=0: AArch32 stage-2 tables are not supported (IDR0.TTF=AArch64)',
    );
    const none = 'S2HA/S2HD set but IDR0.HTTU=0b00';
    expect(ste(S2, { S2HA: true })).toBe(none);
    expect(ste(S2, { S2HD: true })).toBe(none);
    const af = plat({ httu: 'af' });
    expect(ste(S2, { S2HA: true }, af)).toBeUndefined();
    expect(ste(S2, { S2HD: true }, af)).toBe('S2HD set but IDR0.HTTU only updates the access flag');
    expect(ste(S2, { S2HD: true, S2HA: true }, plat({ httu: 'af+dirty' }))).toBeUndefined();
  });

  it('S2TG, S2T0SZ and S2SL0 (§5.2, with VTCR_EL2 rules for the start level)', () => {
    expect(ste(S2, { S2TG: 3 })).toBe('S2TG=0b11 is reserved');
    expect(ste(S2, { S2T0SZ: 40 })).toBe('S2T0SZ=40 is out of range 16..39');
    expect(ste(S2, { S2T0SZ: 15 })).toBe('S2T0SZ=15 is out of range 16..39');
    // OAS 40: the IPA can be no wider, so S2T0SZ ≥ 64 − 40 = 24 (S2PS 40 bits fits too).
    expect(ste(S2, { S2T0SZ: 23 }, plat({ oas: 40 }))).toBe('S2T0SZ=23 is out of range 24..39');
    expect(ste(S2, { S2T0SZ: 24 }, plat({ oas: 40 }))).toBeUndefined();
    // 25-bit IPA from level 2 (4 KB): IPA[24:21] = 4 bits.
    expect(ste(S2, { S2T0SZ: 39, S2SL0: 0 })).toBeUndefined();
    expect(ste(S2, { S2SL0: 3 })).toBe('S2SL0=3 is reserved for this granule');
    expect(ste(S2, { S2SL0: 3, S2TG: 1 })).toBe('S2SL0=3 is reserved for this granule');
    // From level 1 a 4 KB stage 2 resolves IPA[n:30]: at most 9 + 4 = 13 bits (16 concatenated
    // tables), at least 1.
    expect(ste(S2, { S2T0SZ: 21 })).toBeUndefined(); // 43-bit IPA: 13 bits
    expect(ste(S2, { S2T0SZ: 20 })).toBe(
      'S2T0SZ=20, S2SL0=1 and S2TG are inconsistent (start level L1 would resolve 14 bits)',
    );
    expect(ste(S2, { S2T0SZ: 33 })).toBeUndefined(); // 31-bit IPA: 1 bit
    expect(ste(S2, { S2T0SZ: 34 })).toBe(
      'S2T0SZ=34, S2SL0=1 and S2TG are inconsistent (start level L1 would resolve 0 bits)',
    );
    // 64 KB granule (S2TG 0b01), S2SL0 1 → level 2 at IPA[41:29]: 40-bit IPA resolves 11 bits.
    expect(ste(S2, { S2TG: 1 })).toBeUndefined();
  });

  it('S2TTB within the effective S2PS: min(S2PS, OAS)', () => {
    expect(ste(S2, { S2TTB: (1n << 40n) - 4096n })).toBeUndefined();
    expect(ste(S2, { S2TTB: 1n << 40n })).toBe('S2TTB beyond the effective S2PS (40 bits)');
    expect(ste(S2, { S2PS: 1, S2TTB: 1n << 36n })).toBe(
      'S2TTB beyond the effective S2PS (36 bits)',
    );
    const oas36 = plat({ oas: 36 });
    expect(ste(S2, { S2T0SZ: 28, S2TTB: 1n << 36n }, oas36)).toBe(
      'S2TTB beyond the effective S2PS (36 bits)',
    );
  });

  it('S2VMID[15:8] must be zero without VMID16, wherever a VMID is used', () => {
    const vmid8 = plat({ vmidBits: 8 });
    const msg = 'S2VMID[15:8] non-zero without IDR0.VMID16';
    expect(ste(S2, { S2VMID: 0x100 }, vmid8)).toBe(msg);
    expect(ste(S2, { S2VMID: 0xff }, vmid8)).toBeUndefined();
    expect(ste(S2, { S2VMID: 0x100 })).toBeUndefined();
    // Stage 1 only, EL1 StreamWorld: the VMID still tags the TLB entries (§5.2 S2VMID).
    expect(ste(S1, { S2VMID: 0x100 }, vmid8)).toBe(msg);
    expect(ste(S1, { S2VMID: 0x100, STRW: 2 }, vmid8)).toBeUndefined();
    expect(ste(S1, { S2VMID: 0x100 }, plat({ vmidBits: 8, s2: false }))).toBeUndefined();
    expect(ste(S1, { Config: 4, S2VMID: 0x100 }, vmid8)).toBeUndefined(); // bypass: no VMID
  });
});

// A legal CD: TTB0 with a 48-bit VA (T0SZ 16, 4 KB), TTB1 disabled, IPS 48 bits, ASID 1.
const CD0: CdView = {
  V: true,
  T0SZ: 16,
  TG0: 0,
  EPD0: false,
  ENDI: false,
  T1SZ: 16,
  TG1: 2,
  EPD1: true,
  IPS: 5,
  AFFD: false,
  WXN: false,
  TBI0: false,
  TBI1: false,
  PAN: false,
  AA64: true,
  HD: false,
  HA: false,
  S: false,
  R: true,
  A: true,
  ASET: false,
  ASID: 1,
  HAD0: false,
  E0PD0: false,
  TTB0: 0x4100_0000n,
  HAD1: false,
  E0PD1: false,
  TTB1: 0n,
  MAIR: 0n,
};
const EL1 = cdCheckContext(S1, false);
const cd = (o: Partial<CdView>, p: SmmuPlatform = P, ctx = EL1): string | undefined =>
  cdIllegal({ ...CD0, ...o }, p, ctx);

describe('cdCheckContext: the StreamWorld a CD is read in', () => {
  it('EL2 without E2H has one VA range and no ASID; EL1, EL2-E2H and stage 2 have both', () => {
    expect(cdCheckContext({ ...S1, STRW: 2 }, false)).toMatchObject({
      singleRange: true,
      hasAsid: false,
    });
    expect(cdCheckContext({ ...S1, STRW: 2 }, true)).toMatchObject({
      singleRange: false,
      hasAsid: true,
    });
    expect(EL1).toMatchObject({ singleRange: false, hasAsid: true });
    expect(cdCheckContext({ ...S2, STRW: 2 }, false)).toMatchObject({ singleRange: false });
  });
});

describe('cdIllegal (§5.4)', () => {
  it('the baseline is legal; V=0 is invalid', () => {
    expect(cd({})).toBeUndefined();
    expect(cd({ V: false })).toBe('V=0: the CD is invalid');
  });

  it('CD.S against S1STALLD and the stall model', () => {
    const stalld = cdCheckContext({ ...S1, S1STALLD: true }, false);
    expect(cd({ S: true }, P, stalld)).toBe('CD.S=1 but the STE forbids stalls (S1STALLD=1)');
    expect(cd({}, P, stalld)).toBeUndefined();
    expect(cd({ S: true })).toBeUndefined();
    expect(cd({ S: true }, plat({ stall: 'none' }))).toBe(
      'CD.S=1 but the SMMU cannot stall (STALL_MODEL=0b01)',
    );
    expect(cd({}, plat({ stall: 'forced' }))).toBe(
      'CD.S=0 but stalls are forced (STALL_MODEL=0b10)',
    );
    expect(cd({ S: true }, plat({ stall: 'forced' }))).toBeUndefined();
  });

  it('ENDI=1 is legal only when both ranges are disabled (the walks never happen)', () => {
    const msg = 'ENDI=1 (big-endian walks) but IDR0.TTENDIAN is little-endian only';
    expect(cd({ ENDI: true })).toBe(msg);
    expect(cd({ ENDI: true, EPD0: true })).toBeUndefined();
    // A single-range StreamWorld reads EPD0 as 0: TTB0 is walked whatever EPD0 says.
    const el2 = cdCheckContext({ ...S1, STRW: 2 }, false);
    expect(cd({ ENDI: true, EPD0: true }, P, el2)).toBe(msg);
  });

  it('AA64 and the HTTU bits (HD is ILLEGAL unless HTTU is 0b10)', () => {
    expect(cd({ AA64: false })).toBe(
      'AA64=0: AArch32 translation tables are not supported (IDR0.TTF=AArch64)',
    );
    expect(cd({ HA: true })).toBe('HA/HD set but IDR0.HTTU=0b00');
    expect(cd({ HD: true })).toBe('HA/HD set but IDR0.HTTU=0b00');
    const af = plat({ httu: 'af' });
    expect(cd({ HA: true }, af)).toBeUndefined();
    expect(cd({ HD: true }, af)).toBe('HD set but IDR0.HTTU only updates the access flag');
    expect(cd({ HD: true }, plat({ httu: 'af+dirty' }))).toBeUndefined();
  });

  it('ASID[15:8] without ASID16, unless the StreamWorld has no ASID', () => {
    const asid8 = plat({ asidBits: 8 });
    expect(cd({ ASID: 0x100 }, asid8)).toBe('ASID[15:8] non-zero without IDR0.ASID16');
    expect(cd({ ASID: 0xff }, asid8)).toBeUndefined();
    expect(cd({ ASID: 0x100 })).toBeUndefined();
    expect(cd({ ASID: 0x100 }, asid8, cdCheckContext({ ...S1, STRW: 2 }, false))).toBeUndefined();
  });

  it('each enabled range: TxSZ 16..39, a defined TGx, TTBx within min(IPS, OAS)', () => {
    expect(cd({ T0SZ: 15 })).toBe('T0SZ=15 is out of range 16..39');
    expect(cd({ T0SZ: 40 })).toBe('T0SZ=40 is out of range 16..39');
    expect(cd({ T0SZ: 39 })).toBeUndefined();
    expect(cd({ TG0: 3 })).toBe('TG0 is a reserved encoding');
    expect(cd({ TTB0: 1n << 48n })).toBe(
      'TTB0 is beyond the effective IPS (48 bits): C_BAD_CD, not F_ADDR_SIZE',
    );
    expect(cd({ IPS: 2, TTB0: 1n << 40n })).toBe(
      'TTB0 is beyond the effective IPS (40 bits): C_BAD_CD, not F_ADDR_SIZE',
    );
    expect(cd({ IPS: 6, TTB0: 1n << 48n }, plat({ oas: 44 }))).toBe(
      'TTB0 is beyond the effective IPS (44 bits): C_BAD_CD, not F_ADDR_SIZE',
    );
    // A disabled range is not checked; an enabled TTB1 is, with TG1's own encoding (0b00 reserved).
    expect(cd({ EPD0: true, T0SZ: 99, TG0: 3 })).toBeUndefined();
    expect(cd({ EPD1: false })).toBeUndefined();
    expect(cd({ EPD1: false, T1SZ: 40 })).toBe('T1SZ=40 is out of range 16..39');
    expect(cd({ EPD1: false, TG1: 0 })).toBe('TG1 is a reserved encoding');
    expect(cd({ EPD1: false, TTB1: 1n << 48n })).toBe(
      'TTB1 is beyond the effective IPS (48 bits): C_BAD_CD, not F_ADDR_SIZE',
    );
    // A single-range StreamWorld reads EPD1 as 1: TTB1 is never checked.
    const el2 = cdCheckContext({ ...S1, STRW: 2 }, false);
    expect(cd({ EPD1: false, TG1: 0 }, P, el2)).toBeUndefined();
  });
});

describe('l1stdIllegal (§5.1 Span)', () => {
  it('Span 0 is invalid; Span above 11 or above SPLIT+1 is reserved', () => {
    expect(l1stdIllegal(0x4010_0000n, 8)).toBe('Span=0: the L1STD is invalid');
    expect(l1stdIllegal(0x4010_0000n | 9n, 8)).toBeUndefined();
    expect(l1stdIllegal(0x4010_0000n | 10n, 8)).toBe(
      'Span=10 is reserved or exceeds SPLIT+1 (SPLIT=8)',
    );
    expect(l1stdIllegal(0x4010_0000n | 11n, 11)).toBeUndefined();
    expect(l1stdIllegal(0x4010_0000n | 12n, 11)).toBe(
      'Span=12 is reserved or exceeds SPLIT+1 (SPLIT=11)',
    );
    // Span is L1STD[4:0]; bit 5 is RES0 (L2Ptr starts at bit 6), not part of Span.
    expect(l1stdIllegal(0x4010_0000n | 0x20n | 3n, 8)).toBeUndefined();
    expect(l1stdIllegal(0x4010_0000n | 0x20n, 8)).toBe('Span=0: the L1STD is invalid');
  });
});
