// Golden E1 (golden/e1-era-lifecycle.json) run under one upstream era, and the hand encoders its
// per-era tests share. Field positions are smmuv3.md §3.2 (CD) and §6.1 (commands, E14); the
// CD and command sequences each test expects are derived in that test from the era's Linux
// source — never from the program's output.
import { readFileSync } from 'node:fs';
import type { OpRecord } from './run.ts';
import { goldenPath, type Dw2 } from './golden.testkit.ts';
import { timelineOf } from './run.testkit.ts';
import type { Timeline } from './timeline.ts';
import type { World } from './world.ts';

export const GPU = 0x100;
export const DSP = 0x400;
export const PAGE0 = 0x7fff_0000_0000n;

/** Op indices of golden E1 (the JSON's order). */
export const OP = {
  bindGpu: 10,
  dmaTouched: 11,
  dmaPri: 12,
  munmapTouched: 13,
  munmapUntouched: 14,
  unbindGpu: 15,
  bindOther: 17,
  bindDsp: 18,
  dmaStall: 19,
  exit: 20,
  dmaAfterExit: 21,
  unbindLate: 22,
} as const;

export interface EraRun {
  readonly t: Timeline;
  readonly rec: (i: number) => OpRecord;
  readonly after: (i: number) => World;
}

/**
 * Golden E1 under `era`. `dspPasid` is the PASID app's mm holds when the dsp binds it (the
 * era's PASID lifetime decides it, so each test states it); `platform` overrides the SMMU.
 */
export function runE1(era: string, dspPasid: number, platform?: object): EraRun {
  const doc = JSON.parse(readFileSync(goldenPath('e1-era-lifecycle'), 'utf8')) as {
    kernel: string;
    platform?: object;
    ops: { pasid?: number }[];
  };
  doc.kernel = era;
  if (platform) doc.platform = platform;
  doc.ops[OP.dmaStall]!.pasid = dspPasid;
  doc.ops[OP.dmaAfterExit]!.pasid = dspPasid;
  const t = timelineOf(doc);
  return { t, rec: (i) => t.records[i]!, after: (i) => t.stateAt(i + 1) };
}

const b = BigInt;
const bits = (w: bigint, hi: number, lo: number): number =>
  Number((w >> b(lo)) & ((1n << b(hi - lo + 1)) - 1n));

/** The CD fields the era goldens check one by one (smmuv3.md §3.2). */
export interface CdFields {
  readonly V: number;
  readonly T0SZ: number;
  readonly EPD0: number;
  readonly HD: number;
  readonly HA: number;
  readonly S: number;
  readonly R: number;
  readonly ASET: number;
  readonly ASID: number;
  readonly TTB0: bigint;
}

export function cdFields(cd: readonly bigint[]): CdFields {
  const w0 = cd[0]!;
  return {
    V: bits(w0, 31, 31),
    T0SZ: bits(w0, 5, 0),
    EPD0: bits(w0, 14, 14),
    HD: bits(w0, 42, 42),
    HA: bits(w0, 43, 43),
    S: bits(w0, 44, 44),
    R: bits(w0, 45, 45),
    ASET: bits(w0, 47, 47),
    ASID: bits(w0, 63, 48),
    TTB0: cd[1]! & (((1n << 52n) - 1n) & ~0xfn),
  };
}

/** EPD0 [14]: what quiet_cd (arm_smmu_write_ctx_desc case 4) ORs into word 0. */
export const EPD0 = 1n << 14n;

/**
 * TLBI_NH_VA with range fields (smmuv3.md §6.1 and E14: dw0 NUM [16:12], SCALE [24:20] as Linux
 * masks it, ASID [63:48]; dw1 Leaf [0], TTL [9:8], TG [11:10], Address [63:12]).
 */
export function tlbiNhVaRange(
  asid: number,
  va: bigint,
  f: { num: number; scale: number; ttl: number; tg: number; leaf: boolean },
): Dw2 {
  return [
    0x12n | (b(f.num) << 12n) | (b(f.scale) << 20n) | (b(asid) << 48n),
    va | (b(f.ttl) << 8n) | (b(f.tg) << 10n) | (f.leaf ? 1n : 0n),
  ];
}
