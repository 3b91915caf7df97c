// Goldens derived by hand from arm-smmu-v3-iommufd.c (arm_smmu_validate_vste,
// arm_smmu_make_nested_*_ste), arm-smmu-v3.c arm_smmu_make_s2_domain_ste and the STE layout of
// arm-smmu-v3.h / spec §5.2 (docs/research/nesting.md). Never copied from the program's output.
import { describe, expect, it } from 'vitest';
import {
  guestOwnedBits,
  NESTING_ALLOWED,
  physicalSte,
  s2DomainSte,
  validateVste,
  type NestMaster,
  type S2Parent,
} from './vste.ts';

/** VMID 1; VTCR of a 48-bit, 4 KB, coherent stage 2 (T0SZ 16, SL0 2 = start L0, PS 48-bit). */
const PARENT: S2Parent = {
  vmid: 1,
  vtcr: { tsz: 16, sl: 2, irgn: 1, orgn: 1, sh: 3, tg: 0, ps: 5 },
  vttbr: 0x4010_0000n,
  s2fwb: false,
};
const MASTER: NestMaster = { ats: false, stall: false, attrTypesOvr: false };

// dword 2, by field: S2R (bit 58) 0x0400_…, S2PTW (54) 0x0040_…, S2AA64 (51) 0x0008_…,
// S2PS 5 (50:48) 0x0005_…, S2SH0 3 (45:44) 0x3000_0000_0000, S2OR0 1 (43:42) 0x400_0000_0000,
// S2IR0 1 (41:40) 0x100_0000_0000, S2SL0 2 (39:38) 0x80_0000_0000, S2T0SZ 16 (37:32)
// 0x10_0000_0000, S2VMID 1.
const DW2 = 0x044d_3590_0000_0001n;
const S2_STE = [0xdn, 0n, DW2, 0x4010_0000n, 0n, 0n, 0n, 0n];

// A guest stage-1 vSTE: V, Config=5, linear CD table at IPA 0x8000, S1CDMax=4 (16 CDs);
// S1DSS=1 (bypass), S1CIR=S1COR=1 (WBRA), S1CSH=3 (ISH) = 0x1 | 0x4 | 0x10 | 0xc0.
const VSTE0 = 0x2000_0000_0000_800bn;
const VSTE1 = 0xd5n;

describe('arm_smmu_validate_vste', () => {
  it('the allowed masks are the values Jason Gunthorpe quoted for the uAPI', () => {
    expect(NESTING_ALLOWED).toEqual([0xf80f_ffff_ffff_ffffn, 0x3800_00ffn]);
  });

  it('accepts abort, bypass and stage 1; EATS is stripped and decides ATS', () => {
    expect(validateVste(0x1n, 0n)).toEqual({
      ok: true,
      config: 0,
      ste: [1n, 0n],
      enableAts: false,
    });
    expect(validateVste(0x9n, 0n)).toMatchObject({ ok: true, config: 4, enableAts: false });
    expect(validateVste(VSTE0, VSTE1 | (1n << 28n))).toEqual({
      ok: true,
      config: 5,
      ste: [VSTE0, VSTE1],
      enableAts: true,
    });
    // EATS=1 with bypass: accepted, but ATS stays off (only a CD-table vSTE enables it).
    expect(validateVste(0x9n, 1n << 28n)).toMatchObject({ ok: true, enableAts: false });
  });

  it('a vSTE with V=0 is zeroed whatever else it holds', () => {
    expect(validateVste(0xffff_0000_0000_800an, 0xffff_ffffn)).toEqual({
      ok: true,
      config: 0,
      ste: [0n, 0n],
      enableAts: false,
    });
  });

  it.each([
    ['S1ContextPtr bit 52 (above Linux mask 51:6)', VSTE0 | (1n << 52n), VSTE1],
    ['dword 1 STRW (bit 30)', VSTE0, VSTE1 | (1n << 30n)],
    ['dword 1 MEV (bit 19): host-owned', VSTE0, VSTE1 | (1n << 19n)],
    ['dword 1 SHCFG (bits 45:44)', VSTE0, VSTE1 | (1n << 44n)],
    ['Config=6 (stage 2)', 0xdn, 0n],
    ['Config=7 (nested)', 0xfn, 0n],
    ['Config=1 (reserved)', 0x3n, 0n],
    ['EATS=0b10 (split-stage)', VSTE0, VSTE1 | (2n << 28n)],
    ['EATS=0b11', VSTE0, VSTE1 | (3n << 28n)],
  ])('refuses %s with -EIO', (_, dw0, dw1) => {
    expect(validateVste(dw0, dw1)).toMatchObject({ ok: false, errno: '-EIO' });
  });
});

describe('physical STE per guest config', () => {
  it('arm_smmu_make_s2_domain_ste of the parent', () => {
    expect(s2DomainSte(PARENT, MASTER)).toEqual(S2_STE);
  });

  it('abort vSTE (and V=0) → abort STE: dword 0 = V | Config 0', () => {
    for (const [a, b] of [
      [0x1n, 0n],
      [0x0n, 0xffn],
    ] as const) {
      const v = validateVste(a, b);
      if (!v.ok) throw new Error(v.why);
      expect(physicalSte(v, PARENT, MASTER)).toEqual({
        kind: 'abort',
        words: [1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n],
      });
    }
  });

  it('bypass vSTE → the stage-2 STE, Config=6, no MEV', () => {
    const v = validateVste(0x9n, 0n);
    if (!v.ok) throw new Error(v.why);
    expect(physicalSte(v, PARENT, MASTER)).toEqual({ kind: 'stage2', words: S2_STE });
  });

  it('stage-1 vSTE → nested: Config=7, the guest CD table IPA, guest dword 1 | MEV, S2 fields', () => {
    const v = validateVste(VSTE0, VSTE1);
    if (!v.ok) throw new Error(v.why);
    // dword 0: V | 7 << 1 | guest bits = 0x2000_0000_0000_8001 | 0xf; dword 1: 0xd5 | MEV (1 << 19).
    expect(physicalSte(v, PARENT, MASTER)).toEqual({
      kind: 'nested',
      words: [0x2000_0000_0000_800fn, 0x8_00d5n, DW2, 0x4010_0000n, 0n, 0n, 0n, 0n],
    });
  });

  it('with ATS on the attach: EATS=1 from the host; a stalling master: S2S (bit 57)', () => {
    const v = validateVste(VSTE0, VSTE1 | (1n << 28n));
    if (!v.ok) throw new Error(v.why);
    const w = physicalSte(v, PARENT, { ats: true, stall: true, attrTypesOvr: false }).words;
    expect(w[1]).toBe(0x1008_00d5n);
    expect(w[2]).toBe(DW2 | (1n << 57n));
  });

  it('guest-owned bits of a nested STE: S1Fmt, S1ContextPtr, S1CDMax; S1DSS … S1STALLD', () => {
    expect(guestOwnedBits('nested').slice(0, 2)).toEqual([0xf80f_ffff_ffff_fff0n, 0x0800_00ffn]);
    expect(guestOwnedBits('stage2').every((w) => w === 0n)).toBe(true);
  });
});
