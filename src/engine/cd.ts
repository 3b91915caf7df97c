// Context Descriptor (§5.4): 64 bytes; and the level-1 descriptors of the two-level tables:
// L1STD (§5.1) for the stream table and L1CD (§5.3) for CD tables.
// Positions: spec text, Linux arm-smmu-v3.h (CTXDESC_CD_*, STRTAB_L1_DESC_*), QEMU CD_* macros.
import { f, getBool, getField, getNum, type FieldTable } from './bits.ts';
import type { GranuleShift } from './granule.ts';

export const CD_DWORDS = 8;
export const CD_BYTES = 64n;

export const CD = {
  T0SZ: f(0, 5, 0),
  TG0: f(0, 7, 6),
  IR0: f(0, 9, 8),
  OR0: f(0, 11, 10),
  SH0: f(0, 13, 12),
  EPD0: f(0, 14),
  ENDI: f(0, 15),
  T1SZ: f(0, 21, 16),
  TG1: f(0, 23, 22),
  IR1: f(0, 25, 24),
  OR1: f(0, 27, 26),
  SH1: f(0, 29, 28),
  EPD1: f(0, 30),
  V: f(0, 31),
  IPS: f(0, 34, 32),
  AFFD: f(0, 35),
  WXN: f(0, 36),
  UWXN: f(0, 37),
  TBI0: f(0, 38),
  TBI1: f(0, 39),
  PAN: f(0, 40),
  AA64: f(0, 41),
  HD: f(0, 42),
  HA: f(0, 43),
  S: f(0, 44),
  R: f(0, 45),
  A: f(0, 46),
  ASET: f(0, 47),
  ASID: f(0, 63, 48),
  NSCFG0: f(1, 0),
  HAD0: f(1, 1),
  E0PD0: f(1, 2),
  HAFT: f(1, 3),
  TTB0: f(1, 51, 4),
  PnCH: f(1, 58),
  EPAN: f(1, 59),
  HWU0: f(1, 63, 60),
  NSCFG1: f(2, 0),
  HAD1: f(2, 1),
  E0PD1: f(2, 2),
  AIE: f(2, 3),
  TTB1: f(2, 51, 4),
  HWU1: f(2, 63, 60),
  MAIR0: f(3, 31, 0),
  MAIR1: f(3, 63, 32),
  AMAIR0: f(4, 31, 0),
  AMAIR1: f(4, 63, 32),
} as const satisfies FieldTable;

export type CdField = keyof typeof CD;

/** Level-1 stream table descriptor (§5.1). Span 0 = invalid; L2 holds 2^(Span−1) STEs. */
export const L1STD = {
  Span: f(0, 4, 0),
  L2Ptr: f(0, 55, 6),
} as const satisfies FieldTable;

/** Level-1 CD table descriptor (§5.3). */
export const L1CD = {
  V: f(0, 0),
  L2Ptr: f(0, 55, 12),
} as const satisfies FieldTable;

/** CD.TG0 encoding: 00 4KB, 01 64KB, 10 16KB. Returns the granule shift or undefined. */
export function tg0Shift(tg: number): number | undefined {
  return tg === 0 ? 12 : tg === 1 ? 16 : tg === 2 ? 14 : undefined;
}

/** CD.TG1 has a different encoding: 01 16KB, 10 4KB, 11 64KB. */
export function tg1Shift(tg: number): number | undefined {
  return tg === 2 ? 12 : tg === 3 ? 16 : tg === 1 ? 14 : undefined;
}

/**
 * The granule of a walk through TTB0 / TTB1. A reserved TGx makes the CD ILLEGAL (§5.4: C_BAD_CD,
 * checks.ts cdIllegal), so no walk starts; whatever sets one up anyway (the TTB plan, a view that
 * draws the CD's tables, an invariant) uses 4 KB.
 */
export const tg0Granule = (tg: number): GranuleShift => (tg0Shift(tg) ?? 12) as GranuleShift;
export const tg1Granule = (tg: number): GranuleShift => (tg1Shift(tg) ?? 12) as GranuleShift;

/** The CD fields a stage-1 walk uses, decoded once (cached per StreamID+SubstreamID). */
export interface CdView {
  readonly V: boolean;
  readonly T0SZ: number;
  readonly TG0: number;
  readonly EPD0: boolean;
  readonly ENDI: boolean;
  readonly T1SZ: number;
  readonly TG1: number;
  readonly EPD1: boolean;
  readonly IPS: number;
  readonly AFFD: boolean;
  readonly WXN: boolean;
  readonly TBI0: boolean;
  readonly TBI1: boolean;
  readonly PAN: boolean;
  readonly AA64: boolean;
  readonly HD: boolean;
  readonly HA: boolean;
  readonly S: boolean;
  readonly R: boolean;
  readonly A: boolean;
  readonly ASET: boolean;
  readonly ASID: number;
  readonly HAD0: boolean;
  readonly E0PD0: boolean;
  readonly TTB0: bigint;
  readonly HAD1: boolean;
  readonly E0PD1: boolean;
  readonly TTB1: bigint;
  readonly MAIR: bigint;
}

export function viewCd(w: readonly bigint[]): CdView {
  return {
    V: getBool(w, CD.V),
    T0SZ: getNum(w, CD.T0SZ),
    TG0: getNum(w, CD.TG0),
    EPD0: getBool(w, CD.EPD0),
    ENDI: getBool(w, CD.ENDI),
    T1SZ: getNum(w, CD.T1SZ),
    TG1: getNum(w, CD.TG1),
    EPD1: getBool(w, CD.EPD1),
    IPS: getNum(w, CD.IPS),
    AFFD: getBool(w, CD.AFFD),
    WXN: getBool(w, CD.WXN),
    TBI0: getBool(w, CD.TBI0),
    TBI1: getBool(w, CD.TBI1),
    PAN: getBool(w, CD.PAN),
    AA64: getBool(w, CD.AA64),
    HD: getBool(w, CD.HD),
    HA: getBool(w, CD.HA),
    S: getBool(w, CD.S),
    R: getBool(w, CD.R),
    A: getBool(w, CD.A),
    ASET: getBool(w, CD.ASET),
    ASID: getNum(w, CD.ASID),
    HAD0: getBool(w, CD.HAD0),
    E0PD0: getBool(w, CD.E0PD0),
    TTB0: getField(w, CD.TTB0) << 4n,
    HAD1: getBool(w, CD.HAD1),
    E0PD1: getBool(w, CD.E0PD1),
    TTB1: getField(w, CD.TTB1) << 4n,
    MAIR: w[3] ?? 0n,
  };
}

/** IPS / S2PS / OAS encoding → bits: 000 32, 001 36, 010 40, 011 42, 100 44, 101 48, 110 52. */
export const PA_SIZE_BITS = [32, 36, 40, 42, 44, 48, 52, 56] as const;

export function paSizeBits(enc: number): number {
  return PA_SIZE_BITS[enc & 7] ?? 48;
}

export function paSizeEncoding(bits: number): number {
  const i = PA_SIZE_BITS.indexOf(bits as (typeof PA_SIZE_BITS)[number]);
  if (i < 0) throw new Error(`no PA-size encoding for ${bits} bits`);
  return i;
}
