// What the SMMU is told about a CPU-side change of a bound mm, v5.14 … v6.7: the shared-CD
// notifier (arm_smmu_mm_invalidate_range ≤ v6.5, arm_smmu_mm_arch_invalidate_secondary_tlbs
// v6.6+; docs/research/eras.md §1–§3). No BTM upstream: always explicit TLBI_NH_VA (Leaf=0) by
// the shared CPU ASID, then ATC_INV of the PASID on every ATS master of the domain.
import { hex, type Command } from '../engine/index.ts';
import { log, type KCtx } from './ctx.ts';
import { eraOf } from './eras/index.ts';
import { atsDevices } from './lookup.ts';
import { liveIommuProcess } from './query.ts';
import { submit } from './smmu/cmdq.ts';
import { domainMasters } from './smmu/cdtable.ts';
import { atcInv, tlbiAsid, tlbiRange } from './smmu/inv.ts';
import type { Process } from './state.ts';

export interface SharedCdInvParams {
  /** size = end − start + 1 (≤ v5.17; "Fix size calculation in arm_smmu_mm_invalidate_range()"). */
  readonly sizeOffByOne: boolean;
  /**
   * Without RANGE_INV a range of CMDQ_MAX_TLBI_OPS (PAGE_SIZE/8) pages or more, and with it the
   * whole address space (flush_tlb_mm's 0…−1UL), become one TLBI by ASID (v6.6 code).
   */
  readonly capOps: boolean;
}

/** The full 64-bit range flush_tlb_mm reports (0 … −1UL). */
export const ALL_VA = (1n << 64n) - 1n;

export function invalidateSharedCd(
  c: KCtx,
  proc: Process,
  start: bigint,
  end: bigint,
  p: SharedCdInvParams,
): void {
  const ip = liveIommuProcess(c.k, proc.name);
  if (!ip || ip.cpuAsid === undefined) return;
  const plat = c.smmu.platform;
  const page = 1n << BigInt(c.k.cpu.granule);
  const maxOps = 1n << BigInt(c.k.cpu.granule - 3);
  let size = end - start + (p.sizeOffByOne ? 1n : 0n);
  if (p.capOps && (plat.rangeInv ? size === ALL_VA : size >= maxOps * page)) size = 0n;
  const asid = ip.cpuAsid;
  // One notifier per (domain, mm), each added at the head of the mm's list
  // (__mmu_notifier_register: hlist_add_head_rcu) and called from the head: newest domain first.
  for (const dn of [...ip.domains].reverse()) {
    const d = c.k.domains.get(dn);
    if (!d) continue;
    const cmds: Command[] =
      size === 0n
        ? [tlbiAsid(asid)]
        : tlbiRange(
            asid,
            start,
            size,
            page,
            false,
            plat.rangeInv,
            c.k.cpu.granule,
            eraOf(c.k.era).config.rangeTtl,
          );
    submit(c, cmds, true);
    const atc = atsDevices(
      c,
      domainMasters(c, d).map((m) => m.name),
    ).map((m) => atcInv(m.sid, ip.pasid, start, size));
    if (atc.length) submit(c, atc, true);
    const fn = p.capOps
      ? 'arm_smmu_mm_arch_invalidate_secondary_tlbs'
      : 'arm_smmu_mm_invalidate_range';
    log(
      c,
      `${fn}(${proc.name}, ${dn}, ${hex(start)}…): ${size === 0n ? `TLBI_NH_ASID ${asid}` : `${cmds.length} TLBI_NH_VA (ASID ${asid}, Leaf=0) for ${hex(size)} bytes${p.sizeOffByOne ? ' (size = end − start + 1: one byte too long)' : ''}`}${atc.length ? `, ATC_INV of PASID ${ip.pasid} on ${atc.length} ATS device(s)` : ''} — explicit: the SMMU does not snoop the CPU's TLBIs`,
    );
  }
}
