// How mainline writes a CD (arm-smmu-v3.c arm_smmu_write_entry with arm_smmu_get_cd_used, as
// arm_smmu_write_cd_entry calls it; linux-sva §3.6): compare the bits the SMMU uses in the current
// entry with those of the target and pick the update that never shows the SMMU a torn entry.
//  - One 64-bit word changes in used bits (installing: only V; clearing: only V; the exit-time
//    EPD0 rewrite: only word 0): hitless — first the words the current entry ignores, then that
//    critical word, then whatever the target no longer uses (each step that changed memory is
//    followed by a sync: CFGI_CD per StreamID + CMD_SYNC, arm_smmu_sync_cd).
//  - Several: V=0 first, then words 1–7, then word 0.
// The eras before v6.10 use the older writers of cdtable.ts (writeCd); this one is v6.10+'s.
import type { KCtx } from '../ctx.ts';
import { cdSlot, flushCd, type CdSite } from './cdtable.ts';

const WORDS = 8;
const V = 1n << 31n;
const EPD0 = 1n << 14n;
/** T0SZ [5:0], TG0 [7:6], IR0 [9:8], OR0 [11:10], SH0 [13:12]: ignored with EPD0 set. */
const TCR0 = 0x3fffn;
/** CTXDESC_CD_1_TTB0_MASK: GENMASK_ULL(51, 4). */
const TTB0 = ((1n << 52n) - 1n) & ~0xfn;
const ALL = (1n << 64n) - 1n;

/** arm_smmu_get_cd_used: which bits of each word the SMMU reads in this CD. */
export function cdUsed(entry: readonly bigint[]): bigint[] {
  const used = Array<bigint>(WORDS).fill(0n);
  used[0] = V;
  if ((entry[0]! & V) === 0n) return used;
  used.fill(ALL);
  if ((entry[0]! & EPD0) !== 0n) {
    used[0] = ALL & ~TCR0;
    used[1] = ALL & ~TTB0;
  }
  return used;
}

/** arm_smmu_entry_qword_diff: the words whose used bits must change, and the harmless update. */
function qwordDiff(entry: readonly bigint[], target: readonly bigint[]): [number, bigint[]] {
  const cur = cdUsed(entry);
  const tgt = cdUsed(target);
  const unused: bigint[] = [];
  let diff = 0;
  for (let i = 0; i < WORDS; i++) {
    unused[i] = (entry[i]! & cur[i]!) | (target[i]! & ~cur[i]! & ALL);
    if ((unused[i]! & tgt[i]!) !== target[i]) diff |= 1 << i;
  }
  return [diff, unused];
}

/** The CD's words as the table holds them (8 × 64 bits). */
function readCd(c: KCtx, pa: bigint): bigint[] {
  const w = c.mem.readWords(pa, WORDS) ?? [];
  return Array.from({ length: WORDS }, (_, i) => w[i] ?? 0n);
}

/** v6.10+ arm_smmu_write_cd_entry(master, ssid, cdptr, target). */
export function writeCdEntry(c: KCtx, site: CdSite, ssid: number, target: readonly bigint[]): void {
  const pa = cdSlot(c, site, ssid);
  const want = Array.from({ length: WORDS }, (_, i) => target[i] ?? 0n);
  const entry = readCd(c, pa);
  // entry_set: write the words of [start, start+len) that differ; sync if any did.
  const set = (from: readonly bigint[], start: number, len: number): boolean => {
    let changed = false;
    for (let i = start; i < start + len; i++) {
      if (entry[i] === from[i]) continue;
      c.mem.write64(pa + BigInt(i) * 8n, from[i]!);
      entry[i] = from[i]!;
      changed = true;
    }
    if (changed) flushCd(c, site, ssid, true);
    return changed;
  };
  const [diff, unused] = qwordDiff(entry, want);
  if (diff !== 0 && (diff & (diff - 1)) === 0) {
    const critical = Math.log2(diff);
    unused[critical] = entry[critical]!;
    set(unused, 0, WORDS);
    set(want, critical, 1);
    set(want, 0, WORDS);
  } else if (diff !== 0) {
    set([entry[0]! & ~V, ...entry.slice(1)], 0, 1);
    set(want, 1, WORDS - 1);
    set(want, 0, 1);
  } else set(want, 0, WORDS);
}
