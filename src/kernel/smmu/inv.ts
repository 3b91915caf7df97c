// Invalidation commands the driver builds (arm-smmu-v3.c __arm_smmu_tlb_inv_range,
// arm_smmu_atc_inv_to_cmd).
import { buildCommand, commandSeries, type Command, type CommandList } from '../../engine/index.ts';

export const tlbiAsid = (asid: number): Command =>
  buildCommand('CMD_TLBI_NH_ASID', { ASID: asid, VMID: 0 });

/**
 * TLBI_NH_VA over [iova, iova+size): one command per `granule` without range invalidation;
 * with IDR3.RIL the range encoding (TG, TTL, NUM, SCALE) Linux uses. `ttl` (EraConfig.rangeTtl):
 * before v6.5 every range command carried the granule's TTL, leaf or not; since, only leaf ones,
 * and a non-leaf count whose low 5 bits are 1 grows by a page.
 */
export function tlbiRange(...args: Parameters<typeof tlbiRangeList>): Command[] {
  return listToArray(tlbiRangeList(...args));
}

/** The commands of a list as an array (an array as it is). */
export const listToArray = (l: CommandList): Command[] =>
  Array.isArray(l) ? (l as Command[]) : Array.from({ length: l.length }, (_, i) => l.at(i)!);

/**
 * tlbiRange as a list whose per-granule commands are made as the queue takes them (a 1 GB unmap
 * of 4 KB pages: 262,144, never all held at once).
 */
export function tlbiRangeList(
  asid: number,
  iova: bigint,
  size: bigint,
  granule: bigint,
  leaf: boolean,
  rangeInv: boolean,
  pageShift: number,
  ttlRule: 'granule' | 'leaf' = 'leaf',
): CommandList {
  if (!rangeInv) {
    const n = Number((size + granule - 1n) / granule);
    const base = { ASID: asid, VMID: 0, Leaf: leaf ? 1 : 0 };
    return n > 0 ? commandSeries('CMD_TLBI_NH_VA', base, 'Address', iova, granule, n) : [];
  }
  const out: Command[] = [];
  const tg = (pageShift - 10) / 2; // 4K→1, 16K→2, 64K→3
  const hinted = leaf || ttlRule === 'granule';
  const ttl = hinted ? 4 - Math.trunc((Math.log2(Number(granule)) - 3) / (pageShift - 3)) : 0;
  let pages = size >> BigInt(pageShift);
  // Non-leaf keeps TTL=0 (v6.5+), and TG≠0 with NUM=SCALE=TTL=0 is reserved: like
  // __arm_smmu_tlb_inv_range, bump a count whose low 5 bits are 1 by one page (smmuv3.md §6.2).
  if (!hinted && (pages & 31n) === 1n) pages++;
  let addr = iova;
  while (pages > 0n) {
    let scale = 0;
    while (((pages >> BigInt(scale)) & 1n) === 0n) scale++;
    const num = Number((pages >> BigInt(scale)) & 31n) - 1;
    out.push(
      buildCommand('CMD_TLBI_NH_VA', {
        ASID: asid,
        VMID: 0,
        Address: addr,
        Leaf: leaf ? 1 : 0,
        TG: tg,
        TTL: ttl,
        NUM: num,
        SCALE: scale,
      }),
    );
    const done = BigInt(num + 1) << BigInt(scale);
    addr += done << BigInt(pageShift);
    pages -= done;
  }
  return out;
}

/** ATC_INV covering [iova, iova+size) with the smallest naturally aligned span; size 0 = all. */
export function atcInv(sid: number, ssid: number | undefined, iova: bigint, size: bigint): Command {
  const base = { StreamID: sid, ...(ssid !== undefined ? { SubstreamID: ssid, SSV: 1 } : {}) };
  if (size === 0n) return buildCommand('CMD_ATC_INV', { ...base, Size: 52 });
  const first = iova >> 12n;
  const last = (iova + size - 1n) >> 12n;
  const span = (first ^ last).toString(2).length - (first === last ? 1 : 0);
  const page = first & ~((1n << BigInt(span)) - 1n);
  return buildCommand('CMD_ATC_INV', { ...base, Address: page << 12n, Size: span });
}
