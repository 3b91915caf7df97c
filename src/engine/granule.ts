// VMSAv8-64 walk geometry (Arm ARM D8.2; Linux io-pgtable-arm.c ARM_LPAE_LVL_SHIFT/IDX,
// QEMU smmu-common.c smmu_ptw_64): which input-address bits index which level.

/** Granule shift g: 12 (4 KB), 14 (16 KB), 16 (64 KB). Stride s = g − 3 bits per level. */
export type GranuleShift = 12 | 14 | 16;

export const GRANULES: readonly GranuleShift[] = [12, 14, 16];

export const granuleName = (g: GranuleShift): string =>
  g === 12 ? '4K' : g === 14 ? '16K' : '64K';

export function granuleFromName(name: string): GranuleShift | undefined {
  return name === '4K' ? 12 : name === '16K' ? 14 : name === '64K' ? 16 : undefined;
}

export const stride = (g: GranuleShift): number => g - 3;

/** Lowest input-address bit resolved at `level`. */
export const levelShift = (g: GranuleShift, level: number): number => g + (3 - level) * stride(g);

/**
 * Start level for an input size (stage 1, or stage 2 without concatenation):
 * 4 − ⌊(inputsize − 4) / s⌋, the same as the spec pseudocode 3 − ⌊(inputsize − 1 − g) / s⌋.
 */
export const startLevel = (g: GranuleShift, inputSize: number): number =>
  4 - Math.floor((inputSize - 4) / stride(g));

/** Input-address bits [hi:lo] that index the table at `level`. */
export function levelBits(g: GranuleShift, level: number, inputSize: number): [number, number] {
  const lo = levelShift(g, level);
  return [Math.min(lo + stride(g) - 1, inputSize - 1), lo];
}

/** Index into the table at `level` for input address `ia`. */
export function levelIndex(g: GranuleShift, level: number, inputSize: number, ia: bigint): number {
  const [hi, lo] = levelBits(g, level, inputSize);
  return Number((ia >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n));
}

/** Bytes mapped by one entry at `level` (a block, or a page at level 3). */
export const blockShift = (g: GranuleShift, level: number): number => levelShift(g, level);

/**
 * Levels at which a block descriptor is allowed without FEAT_LPA2/52-bit OA:
 * 4 KB: L1 (1 GB), L2 (2 MB); 16 KB: L2 (32 MB); 64 KB: L2 (512 MB).
 */
export function blockAllowed(g: GranuleShift, level: number): boolean {
  if (level >= 3) return false;
  if (g === 12) return level === 1 || level === 2;
  return level === 2;
}

/** Stage-1 TxSZ range without STT or 52-bit VA: 16..39 (Arm ARM; SMMUv3 §5.4 CD.T0SZ). */
export const MIN_TXSZ = 16;
export const MAX_TXSZ = 39;

/**
 * Stage-2 start level from S2SL0 (§5.2; Arm ARM VTCR_EL2.SL0): 4 KB 0→L2, 1→L1, 2→L0;
 * 16 KB and 64 KB 0→L3, 1→L2, 2→L1. Returns undefined for reserved encodings.
 */
export function s2StartLevel(g: GranuleShift, sl0: number): number | undefined {
  if (g === 12) return sl0 === 0 ? 2 : sl0 === 1 ? 1 : sl0 === 2 ? 0 : undefined;
  return sl0 === 0 ? 3 : sl0 === 1 ? 2 : sl0 === 2 ? 1 : undefined;
}

/**
 * Bits resolved by the stage-2 start-level table; up to s+4 (16 concatenated tables).
 * The S2T0SZ/S2SL0/S2TG combination is consistent when this lies in 1..s+4.
 */
export function s2StartBits(g: GranuleShift, level: number, inputSize: number): number {
  return inputSize - levelShift(g, level);
}

/** STE.S2TG encoding → granule shift: 00 4 KB, 01 64 KB, 10 16 KB. */
export function s2tgShift(tg: number): GranuleShift | undefined {
  return tg === 0 ? 12 : tg === 1 ? 16 : tg === 2 ? 14 : undefined;
}
