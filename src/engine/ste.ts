// Stream Table Entry (SMMUv3 spec §5.2): 64 bytes, 8 little-endian dwords.
// Field names are the spec's; positions cross-checked with Linux arm-smmu-v3.h (STRTAB_STE_*)
// and QEMU hw/arm/smmuv3-internal.h (STE_*).
import { f, getNum, getField, getBool, type FieldTable } from './bits.ts';

export const STE_DWORDS = 8;
export const STE_BYTES = 64n;

export const STE = {
  V: f(0, 0),
  Config: f(0, 3, 1),
  S1Fmt: f(0, 5, 4),
  S1ContextPtr: f(0, 55, 6),
  S1CDMax: f(0, 63, 59),
  S1DSS: f(1, 1, 0),
  S1CIR: f(1, 3, 2),
  S1COR: f(1, 5, 4),
  S1CSH: f(1, 7, 6),
  S2HWU59: f(1, 8),
  S2HWU60: f(1, 9),
  S2HWU61: f(1, 10),
  S2HWU62: f(1, 11),
  DRE: f(1, 12),
  CONT: f(1, 16, 13),
  DCP: f(1, 17),
  PPAR: f(1, 18),
  MEV: f(1, 19),
  SW_RESERVED: f(1, 23, 20),
  S1PIE: f(1, 24),
  S2FWB: f(1, 25),
  S1MPAM: f(1, 26),
  S1STALLD: f(1, 27),
  EATS: f(1, 29, 28),
  STRW: f(1, 31, 30),
  MemAttr: f(1, 35, 32),
  MTCFG: f(1, 36),
  ALLOCCFG: f(1, 40, 37),
  SHCFG: f(1, 45, 44),
  NSCFG: f(1, 47, 46),
  PRIVCFG: f(1, 49, 48),
  INSTCFG: f(1, 51, 50),
  IMPDEF: f(1, 63, 52),
  S2VMID: f(2, 15, 0),
  S2T0SZ: f(2, 37, 32),
  S2SL0: f(2, 39, 38),
  S2IR0: f(2, 41, 40),
  S2OR0: f(2, 43, 42),
  S2SH0: f(2, 45, 44),
  S2TG: f(2, 47, 46),
  S2PS: f(2, 50, 48),
  S2AA64: f(2, 51),
  S2ENDI: f(2, 52),
  S2AFFD: f(2, 53),
  S2PTW: f(2, 54),
  S2HD: f(2, 55),
  S2HA: f(2, 56),
  S2S: f(2, 57),
  S2R: f(2, 58),
  S2HAFT: f(2, 59),
  S2PIE: f(2, 60),
  S2POE: f(2, 61),
  DPT_VMATCH: f(2, 63, 62),
  S2NSW: f(3, 0),
  S2NSA: f(3, 1),
  S2SL0_2: f(3, 2),
  S2DS: f(3, 3),
  S2TTB: f(3, 51, 4),
} as const satisfies FieldTable;

export type SteField = keyof typeof STE;

/** STE.Config values (§5.2; Linux STRTAB_STE_0_CFG_*). 1..3 are reserved and behave as abort. */
export const STE_CONFIG = {
  ABORT: 0,
  BYPASS: 4,
  S1_TRANS: 5,
  S2_TRANS: 6,
  NESTED: 7,
} as const;

/** STE.S1DSS: what a transaction without a SubstreamID does (§5.2). 0b11 is reserved → 0b00. */
export const S1DSS = { TERMINATE: 0, BYPASS: 1, SSID0: 2 } as const;

/** STE.S1Fmt: CD table format (§5.2). */
export const S1FMT = { LINEAR: 0, L2_4K: 1, L2_64K: 2 } as const;

/** STE.EATS. */
export const EATS = { ABT: 0, TRANS: 1, S1CHK: 2, DPT: 3 } as const;

/** STE.STRW: StreamWorld. */
export const STRW = { NSEL1: 0, EL2: 2 } as const;

/** The STE fields the walk needs, decoded once and kept in the configuration cache. */
export interface SteView {
  readonly V: boolean;
  readonly Config: number;
  readonly S1Fmt: number;
  readonly S1ContextPtr: bigint;
  readonly S1CDMax: number;
  readonly S1DSS: number;
  readonly S1STALLD: boolean;
  readonly CONT: number;
  readonly PPAR: boolean;
  readonly EATS: number;
  readonly STRW: number;
  readonly PRIVCFG: number;
  readonly INSTCFG: number;
  readonly S2VMID: number;
  readonly S2T0SZ: number;
  readonly S2SL0: number;
  readonly S2TG: number;
  readonly S2PS: number;
  readonly S2AA64: boolean;
  readonly S2AFFD: boolean;
  readonly S2PTW: boolean;
  readonly S2HD: boolean;
  readonly S2HA: boolean;
  readonly S2S: boolean;
  readonly S2R: boolean;
  readonly S2TTB: bigint;
}

export function viewSte(w: readonly bigint[]): SteView {
  return {
    V: getBool(w, STE.V),
    Config: getNum(w, STE.Config),
    S1Fmt: getNum(w, STE.S1Fmt),
    S1ContextPtr: getField(w, STE.S1ContextPtr) << 6n,
    S1CDMax: getNum(w, STE.S1CDMax),
    S1DSS: getNum(w, STE.S1DSS),
    S1STALLD: getBool(w, STE.S1STALLD),
    CONT: getNum(w, STE.CONT),
    PPAR: getBool(w, STE.PPAR),
    EATS: getNum(w, STE.EATS),
    STRW: getNum(w, STE.STRW),
    PRIVCFG: getNum(w, STE.PRIVCFG),
    INSTCFG: getNum(w, STE.INSTCFG),
    S2VMID: getNum(w, STE.S2VMID),
    S2T0SZ: getNum(w, STE.S2T0SZ),
    S2SL0: getNum(w, STE.S2SL0),
    S2TG: getNum(w, STE.S2TG),
    S2PS: getNum(w, STE.S2PS),
    S2AA64: getBool(w, STE.S2AA64),
    S2AFFD: getBool(w, STE.S2AFFD),
    S2PTW: getBool(w, STE.S2PTW),
    S2HD: getBool(w, STE.S2HD),
    S2HA: getBool(w, STE.S2HA),
    S2S: getBool(w, STE.S2S),
    S2R: getBool(w, STE.S2R),
    S2TTB: getField(w, STE.S2TTB) << 4n,
  };
}

/**
 * The effective STE.EATS (§5.2 EATS; §3.9.1.2–3): 0b00 when Config=0b100 (no stage translates);
 * 0b11 (DPT checks) is Reserved and behaves as 0b00 because this SMMU has SMMU_IDR3.DPT=0;
 * 0b10 (split-stage) behaves as 0b00 when CR0.ATSCHK=0 (with IDR0.NS1ATS=1 it is ILLEGAL
 * anyway, steIllegal). Only 0b01 is full ATS here.
 */
export function effectiveEats(v: SteView, atschk: boolean): number {
  if (v.Config === 4) return EATS.ABT;
  if (v.EATS === EATS.DPT) return EATS.ABT; // Reserved without IDR3.DPT: absent.ts ABSENT.dpt
  if (v.EATS === EATS.S1CHK && !atschk) return EATS.ABT;
  return v.EATS;
}

/** Stage 1 enabled: Config = 0b1x1. Stage 2 enabled: Config = 0b11x. */
export const s1Enabled = (config: number): boolean => config === 5 || config === 7;
export const s2Enabled = (config: number): boolean => config === 6 || config === 7;

/** One-line meaning of a Config value, for the UI and traces. */
export function configMeaning(config: number): string {
  switch (config) {
    case 0:
      return 'abort: all traffic terminated, no event';
    case 4:
      return 'bypass: both stages bypassed';
    case 5:
      return 'stage 1 translates, stage 2 bypassed';
    case 6:
      return 'stage 1 bypassed, stage 2 translates';
    case 7:
      return 'nested: stage 1 then stage 2';
    default:
      return 'reserved: behaves as abort';
  }
}
