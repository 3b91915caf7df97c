// The nesting parent's stage-2 io-pgtable (io-pgtable-arm.c ARM_64_LPAE_S2): geometry with the
// start-level concatenation of arm_64_lpae_alloc_pgtable_s2, the VTCR the STE carries, and the
// leaves iommufd writes for guest RAM (conv_iommu_prot: IOMMU_CACHE | READ | WRITE).
// docs/research/nesting.md "Stage-2 nesting parent".
import { hex, startLevel as naturalStart, type GranuleShift } from '../../engine/index.ts';
import { allocZeroed, type KCtx } from '../ctx.ts';
import { pickPgsize } from '../iopgtable.ts';
import { slotAt, type Geometry } from '../pgtable.ts';

/** ARM_LPAE_S2_MAX_CONCAT_PAGES: a start table of at most 16 entries is concatenated. */
const MAX_CONCAT = 16;

export interface S2Pgtable {
  root: bigint;
  g: GranuleShift;
  /** Input (IPA) size: smmu->ias = max(IAS, OAS). */
  ias: number;
  oas: number;
  startLevel: number;
  /** Table pages (root included). */
  tables: bigint[];
}

/** Start level after arm_64_lpae_alloc_pgtable_s2's concatenation. */
export function s2Start(g: GranuleShift, ias: number): number {
  const start = naturalStart(g, ias);
  if (start !== 0) return start;
  // pgd_bits = ias − (g + 3 × (g − 3)) at level 0; concatenate when 2^pgd_bits ≤ 16.
  const pgdBits = ias - (g + 3 * (g - 3));
  return 2 ** pgdBits <= MAX_CONCAT ? 1 : 0;
}

export const s2Geometry = (pt: Pick<S2Pgtable, 'g' | 'ias' | 'startLevel'>): Geometry => ({
  g: pt.g,
  inputSize: pt.ias,
  startLevel: pt.startLevel,
});

/** Bytes of the (possibly concatenated) start table. */
export function s2RootBytes(g: GranuleShift, ias: number, start: number): bigint {
  const lo = g + (3 - start) * (g - 3);
  return 8n << BigInt(ias - lo);
}

export function newS2Pgtable(c: KCtx, g: GranuleShift, label: string): S2Pgtable {
  const oas = c.smmu.platform.oas;
  // arm_smmu_device_hw_probe: ias = max(ias, oas); AArch32 tables unsupported, so IAS = OAS.
  const ias = oas;
  const start = s2Start(g, ias);
  const bytes = s2RootBytes(g, ias, start);
  const root = allocZeroed(
    c,
    bytes < 0x1000n ? 0x1000n : bytes,
    'iopgtable',
    `stage-2 io-pgtable root of ${label}`,
  );
  return { root, g, ias, oas, startLevel: start, tables: [root] };
}

/** The arm_lpae_s2_cfg.vtcr fields (arm_64_lpae_alloc_pgtable_s2, coherent walk). */
export function s2Vtcr(pt: S2Pgtable): {
  tsz: number;
  sl: number;
  irgn: number;
  orgn: number;
  sh: number;
  tg: number;
  ps: number;
} {
  const sl = pt.g === 12 ? pt.startLevel + 1 : pt.startLevel; // "SL0 format is different for 4K"
  return {
    tsz: 64 - pt.ias,
    sl: ~sl & 3,
    irgn: 1, // ARM_LPAE_TCR_RGN_WBWA
    orgn: 1,
    sh: 3, // ARM_LPAE_TCR_SH_IS
    tg: pt.g === 12 ? 0 : pt.g === 16 ? 1 : 2, // ARM_LPAE_TCR_TG0_4K / 64K / 16K
    ps: PS[pt.oas] ?? 5,
  };
}

const PS: Readonly<Record<number, number>> = { 32: 0, 36: 1, 40: 2, 42: 3, 44: 4, 48: 5 };

/**
 * A stage-2 leaf for guest RAM: AF | SH=IS | S2AP=RW (HAP) | MemAttr=0xF (outer/inner WB) and the
 * page (0b11) or block (0b01) type: `pa | 0x7ff` / `pa | 0x7fd` (arm_lpae_prot_to_pte, S2).
 */
export const s2Leaf = (pa: bigint, level: number): bigint =>
  pa | (1n << 10n) | (3n << 8n) | (3n << 6n) | (0xfn << 2n) | (level === 3 ? 3n : 1n);

const levelOfShift = (g: GranuleShift, shift: number): number => 3 - (shift - g) / (g - 3);

/** iommu_map of [ipa, ipa+size) → pa with the page sizes iommu_pgsize picks. Returns leaves. */
export function s2Map(c: KCtx, pt: S2Pgtable, ipa: bigint, pa: bigint, size: bigint): number {
  const geo = s2Geometry(pt);
  let leaves = 0;
  for (let off = 0n; off < size; leaves++) {
    let shift = pickPgsize(pt.g, ipa + off, pa + off, size - off);
    // A block above the start level cannot exist (e.g. 1 GB at a level-1 start is fine, none above).
    while (levelOfShift(pt.g, shift) < pt.startLevel) shift -= pt.g - 3;
    const level = levelOfShift(pt.g, shift);
    const slot = slotAt(c.mem, geo, pt.root, ipa + off, level, (l) => {
      const t = allocZeroed(c, 1n << BigInt(pt.g), 'iopgtable', `stage-2 L${l} table`);
      pt.tables.push(t);
      return { pa: t, desc: t | 3n };
    });
    if (slot.level !== level) throw new Error(`stage-2 map hit a block at ${hex(ipa + off)}`);
    c.mem.write64(slot.pa, s2Leaf(pa + off, level));
    off += 1n << BigInt(shift);
  }
  return leaves;
}
