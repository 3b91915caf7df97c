// The guest's STE (vSTE) and the physical STE the host builds from it: arm-smmu-v3-iommufd.c
// arm_smmu_validate_vste, arm_smmu_make_nested_domain_ste / _nested_cd_table_ste, and
// arm-smmu-v3.c arm_smmu_make_s2_domain_ste (v6.13 nesting series; docs/research/nesting.md).
// Pure: words in, words out.
import { encode, getNum, STE, STE_CONFIG } from '../../engine/index.ts';
import type { Errno } from '../errors.ts';

/**
 * STRTAB_STE_0_NESTING_ALLOWED = V | Config | S1Fmt | S1ContextPtr[51:6] | S1CDMax and
 * STRTAB_STE_1_NESTING_ALLOWED = S1DSS | S1CIR | S1COR | S1CSH | S1STALLD | EATS (arm-smmu-v3.h).
 */
export const NESTING_ALLOWED: readonly [bigint, bigint] = [
  0x1n | (0x7n << 1n) | (0x3n << 4n) | (((1n << 46n) - 1n) << 6n) | (0x1fn << 59n),
  0x3n | (0x3n << 2n) | (0x3n << 4n) | (0x3n << 6n) | (1n << 27n) | (0x3n << 28n),
];

const CONFIG = 0x7n << 1n; // STRTAB_STE_0_CFG
const EATS_MASK = 0x3n << 28n; // STRTAB_STE_1_EATS
const V = 1n;

/** What arm_smmu_validate_vste leaves in the nested domain: the vSTE (EATS stripped) and ATS. */
export interface NestedVste {
  /** Config the host acts on: V=0 reads as abort (the vSTE was zeroed). */
  readonly config: 0 | 4 | 5;
  readonly ste: readonly [bigint, bigint];
  /** enable_ats: a stage-1 vSTE that asked for EATS=TRANS. */
  readonly enableAts: boolean;
}

export type VsteVerdict =
  | ({ readonly ok: true } & NestedVste)
  | { readonly ok: false; readonly errno: Errno; readonly why: string };

const hexw = (v: bigint): string => `0x${v.toString(16)}`;

/** arm_smmu_validate_vste + the EATS strip of arm_vsmmu_alloc_domain_nested. */
export function validateVste(dw0: bigint, dw1: bigint): VsteVerdict {
  if ((dw0 & V) === 0n) return { ok: true, config: 0, ste: [0n, 0n], enableAts: false };
  const bad0 = dw0 & ~NESTING_ALLOWED[0];
  const bad1 = dw1 & ~NESTING_ALLOWED[1];
  if (bad0 !== 0n || bad1 !== 0n)
    return {
      ok: false,
      errno: '-EIO',
      why: `the vSTE sets bits the guest may not own (${bad0 !== 0n ? `dword 0 ${hexw(bad0)}` : ''}${bad0 !== 0n && bad1 !== 0n ? ', ' : ''}${bad1 !== 0n ? `dword 1 ${hexw(bad1)}` : ''}; allowed: STRTAB_STE_0/1_NESTING_ALLOWED)`,
    };
  const cfg = Number((dw0 & CONFIG) >> 1n);
  if (cfg !== STE_CONFIG.ABORT && cfg !== STE_CONFIG.BYPASS && cfg !== STE_CONFIG.S1_TRANS)
    return {
      ok: false,
      errno: '-EIO',
      why: `vSTE Config=0b${cfg.toString(2).padStart(3, '0')}: a guest may ask for abort, bypass or stage 1 only`,
    };
  const eats = Number((dw1 & EATS_MASK) >> 28n);
  if (eats !== 0 && eats !== 1)
    return {
      ok: false,
      errno: '-EIO',
      why: `vSTE EATS=0b${eats.toString(2).padStart(2, '0')}: only ATS off (0b00) or full ATS (0b01)`,
    };
  return {
    ok: true,
    config: cfg,
    ste: [dw0, dw1 & ~EATS_MASK],
    enableAts: cfg === STE_CONFIG.S1_TRANS && eats === 1,
  };
}

/** The stage-2 parent as arm_smmu_make_s2_domain_ste reads it (s2_cfg, io-pgtable VTCR/VTTBR). */
export interface S2Parent {
  readonly vmid: number;
  readonly vtcr: {
    readonly tsz: number;
    readonly sl: number;
    readonly irgn: number;
    readonly orgn: number;
    readonly sh: number;
    readonly tg: number;
    readonly ps: number;
  };
  readonly vttbr: bigint;
  /** IO_PGTABLE_QUIRK_ARM_S2FWB (FEAT_S2FWB and a nest parent). */
  readonly s2fwb: boolean;
}

/** The master as the STE builders read it. */
export interface NestMaster {
  /** state.ats_enabled of the attach. */
  readonly ats: boolean;
  /** master->stall_enabled: S2S on the stage-2 STE. */
  readonly stall: boolean;
  /** ARM_SMMU_FEAT_ATTR_TYPES_OVR: SHCFG = incoming. */
  readonly attrTypesOvr: boolean;
}

/** arm_smmu_make_s2_domain_ste (v6.13+): Config=0b110 on the parent's stage 2. */
export function s2DomainSte(p: S2Parent, m: NestMaster): bigint[] {
  return encode(STE, 8, {
    V: 1,
    Config: STE_CONFIG.S2_TRANS,
    EATS: m.ats ? 1 : 0,
    S2FWB: p.s2fwb ? 1 : 0,
    SHCFG: m.attrTypesOvr ? 1 : 0,
    S2VMID: p.vmid,
    S2T0SZ: p.vtcr.tsz,
    S2SL0: p.vtcr.sl,
    S2IR0: p.vtcr.irgn,
    S2OR0: p.vtcr.orgn,
    S2SH0: p.vtcr.sh,
    S2TG: p.vtcr.tg,
    S2PS: p.vtcr.ps,
    S2AA64: 1,
    S2PTW: 1,
    S2S: m.stall ? 1 : 0,
    S2R: 1,
    // STRTAB_STE_3_S2TTB_MASK = GENMASK_ULL(51, 4): the field holds VTTBR[51:4].
    S2TTB: (p.vttbr & ((1n << 52n) - 1n)) >> 4n,
  });
}

/** arm_smmu_make_abort_ste: V=1, Config=abort, every other word zero. */
export const abortSteWords = (): bigint[] => encode(STE, 8, { V: 1, Config: STE_CONFIG.ABORT });

export type PhysicalKind = 'abort' | 'stage2' | 'nested';

/** arm_smmu_make_nested_domain_ste: the physical STE for a validated vSTE. */
export function physicalSte(
  v: NestedVste,
  p: S2Parent,
  m: NestMaster,
): { kind: PhysicalKind; words: bigint[] } {
  if (v.config === STE_CONFIG.BYPASS) return { kind: 'stage2', words: s2DomainSte(p, m) };
  if (v.config !== STE_CONFIG.S1_TRANS) return { kind: 'abort', words: abortSteWords() };
  // arm_smmu_make_nested_cd_table_ste: the S2 STE, then the guest's dword 0 (its CD table IPA,
  // format, CDMax) under Config=nested, its dword 1 ORed in, and MEV forced on.
  const w = s2DomainSte(p, m);
  w[0] = V | (BigInt(STE_CONFIG.NESTED) << 1n) | (v.ste[0] & ~CONFIG);
  w[1] = w[1]! | v.ste[1] | (1n << 19n);
  return { kind: 'nested', words: w };
}

/**
 * Which bits of a physical STE came from the guest's vSTE: S1Fmt, S1ContextPtr, S1CDMax, S1DSS,
 * S1CIR/COR/CSH, S1STALLD of a nested STE. V, Config, EATS, MEV and dwords 2–3 the host wrote.
 */
export function guestOwnedBits(kind: PhysicalKind): readonly bigint[] {
  if (kind !== 'nested') return [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n];
  return [
    NESTING_ALLOWED[0] & ~CONFIG & ~V,
    NESTING_ALLOWED[1] & ~EATS_MASK,
    0n,
    0n,
    0n,
    0n,
    0n,
    0n,
  ];
}

/** STE.Config of a physical STE, for labels. */
export const steConfig = (words: readonly bigint[]): number => getNum(words, STE.Config);
