// Context descriptors the driver writes (docs/research/linux-facts.md §5; smmuv3.md §3.3):
// an io-pgtable CD (arm_smmu_domain_finalise_s1 / arm_smmu_make_s1_cd) and a shared-mm CD
// (2018 arm_smmu_alloc_shared_cd; v5.x arm_smmu_write_ctx_desc; v6.11+ arm_smmu_make_sva_cd).
import { CD, encode, paSizeEncoding, type GranuleShift } from '../../engine/index.ts';
import { CPU_MAIR, CPU_PA_BITS } from '../arm64.ts';
import type { KCtx } from '../ctx.ts';
import { eraOf } from '../eras/index.ts';
import type { IoPgtable, Mm } from '../state.ts';

/** CD.TG0 encoding: 00 4 KB, 01 64 KB, 10 16 KB. */
export const tg0 = (g: GranuleShift): number => (g === 12 ? 0 : g === 16 ? 1 : 2);

/** Stalls for a CD: forced by the SMMU, or the master can stall (dma-can-stall). */
export function cdStall(c: KCtx, masterCanStall: boolean): boolean {
  const s = c.smmu.platform.stall;
  return s === 'forced' || (s === 'supported' && masterCanStall);
}

export function ioPgtableCd(c: KCtx, pt: IoPgtable, stall: boolean): bigint[] {
  return encode(CD, 8, {
    T0SZ: 64 - pt.ias,
    TG0: tg0(pt.g),
    IR0: 1,
    OR0: 1,
    SH0: 3,
    EPD1: 1,
    V: 1,
    IPS: paSizeEncoding(pt.oas),
    AA64: 1,
    S: stall ? 1 : 0,
    R: 1,
    A: 1,
    ASET: 1, // private to the SMMU: no CPU broadcast TLBI needs to reach it
    ASID: pt.asid,
    TTB0: pt.root >> 4n,
    MAIR0: pt.mair & 0xffff_ffffn,
    MAIR1: pt.mair >> 32n,
  });
}

/** What distinguishes one era's shared-mm CD from another's. */
export interface SharedCdStyle {
  /** CD.ASET: 0 when the CPU's ASID is shared (TLBIs broadcast by the CPU may reach it). */
  readonly aset: boolean;
  /** CD.HA / CD.HD: hardware Access flag / Dirty state updates. */
  readonly ha: boolean;
  readonly hd: boolean;
}

/**
 * The CD that shares a process's page tables with the SMMU (2018 arm_smmu_alloc_shared_cd,
 * v5.x arm_smmu_write_ctx_desc, v6.11+ arm_smmu_make_sva_cd): TTB0 = pgd, the CPU's TCR
 * geometry, MAIR = mair_el1, and the era's ASET and HA/HD (`style`). TBI0 stays clear although
 * the CPU sets it.
 */
export function sharedMmCd(
  c: KCtx,
  mm: Mm,
  asid: number,
  stall: boolean,
  style: SharedCdStyle,
): bigint[] {
  const mair = CPU_MAIR[eraOf(c.k.era).config.arm64];
  return encode(CD, 8, {
    T0SZ: 64 - c.k.cpu.vaBits,
    TG0: tg0(c.k.cpu.granule),
    IR0: 1,
    OR0: 1,
    SH0: 3,
    EPD1: 1,
    V: 1,
    IPS: paSizeEncoding(Math.min(CPU_PA_BITS, c.smmu.platform.oas)),
    AA64: 1,
    HA: style.ha ? 1 : 0,
    HD: style.hd ? 1 : 0,
    S: stall ? 1 : 0,
    R: 1,
    A: 1,
    ASET: style.aset ? 1 : 0,
    ASID: asid,
    TTB0: mm.pgd >> 4n,
    MAIR0: mair & 0xffff_ffffn,
    MAIR1: mair >> 32n,
  });
}

/**
 * v6.11+ arm_smmu_make_sva_cd(target, master, NULL, asid), written by arm_smmu_mm_release when
 * the mm exits while bound: V stays 1 (no C_BAD_CD for late DMA) but EPD0=1, so TTB0 and the
 * TCR fields are ignored and every access faults; S and R cleared unless stalls are forced, so
 * the device's accesses are aborted at once, without a stall or an event record.
 */
export function svaFaultCd(c: KCtx, asid: number, stall: boolean): bigint[] {
  const forced = c.smmu.platform.stall === 'forced';
  const mair = CPU_MAIR[eraOf(c.k.era).config.arm64];
  return encode(CD, 8, {
    EPD0: 1,
    EPD1: 1,
    V: 1,
    IPS: paSizeEncoding(Math.min(CPU_PA_BITS, c.smmu.platform.oas)),
    AA64: 1,
    S: stall && forced ? 1 : 0,
    R: forced ? 1 : 0,
    A: 1,
    ASET: 1,
    ASID: asid,
    MAIR0: mair & 0xffff_ffffn,
    MAIR1: mair >> 32n,
  });
}
