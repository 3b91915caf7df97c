// The mmu_notifier of a v6.11+ SVA domain (arm-smmu-v3-sva.c arm_smmu_mmu_notifier_ops;
// linux-sva.md §3.3, §3.4): the mm's CPU-side invalidations mirrored to the SMMU by explicit
// commands (no BTM: the SVA domain's ASID is the SMMU's own), and the release at exit that keeps
// the CDs valid but faulting until the drivers unbind. Both go to the masters attached to the SVA
// domain (its devices list, newest first), each with its own CD.
import { hex, type Command } from '../engine/index.ts';
import { log, type KCtx } from './ctx.ts';
import { atsDevices, dropMm } from './lookup.ts';
import { liveIommuProcess } from './query.ts';
import { submit } from './smmu/cmdq.ts';
import { svaFaultCd, cdStall } from './smmu/cd.ts';
import { masterSite, quietCd } from './smmu/cdtable.ts';
import { atcInv, tlbiAsid, tlbiRange } from './smmu/inv.ts';
import { ALL_VA } from './sharedcdInv.ts';
import type { IommuProcess, Process } from './state.ts';

/** The SVA domain's masters, newest first. */
const masters = (ip: IommuProcess): string[] => ip.sva?.masters ?? [];

/**
 * arm_smmu_mm_arch_invalidate_secondary_tlbs(mn, mm, start, end): without range invalidation a
 * range of CMDQ_MAX_TLBI_OPS (PAGE_SIZE / 8) pages or more becomes size 0 — one TLBI_NH_ASID —
 * and with it the whole address space (flush_tlb_mm's 0…−1UL) does; else TLBI_NH_VA per page
 * (Leaf=0; range-encoded with RIL), then CMD_SYNC; then arm_smmu_atc_inv_domain: ATC_INV of the
 * PASID on every ATS master of the SVA domain (size 0 = all), then CMD_SYNC. v7.1's invalidation
 * arrays (arm_smmu_domain_inv_range) send the same commands.
 */
export function invalidateSva(c: KCtx, proc: Process, start: bigint, end: bigint): void {
  const ip = liveIommuProcess(c.k, proc.name);
  if (!ip?.sva) return;
  const p = c.smmu.platform;
  const page = 1n << BigInt(c.k.cpu.granule);
  const maxOps = 1n << BigInt(c.k.cpu.granule - 3);
  let size = end - start;
  if (p.rangeInv ? size === ALL_VA : size >= maxOps * page) size = 0n;
  const asid = ip.sva.asid;
  const cmds: Command[] =
    size === 0n
      ? [tlbiAsid(asid)]
      : tlbiRange(asid, start, size, page, false, p.rangeInv, c.k.cpu.granule);
  submit(c, cmds, true);
  const atc = atsDevices(c, masters(ip)).map((dev) => atcInv(dev.sid, ip.pasid, start, size));
  if (atc.length) submit(c, atc, true);
  log(
    c,
    `arm_smmu_mm_arch_invalidate_secondary_tlbs(${proc.name}, ${hex(start)}…): ${size === 0n ? `${end === ALL_VA ? 'flush_tlb_mm (0…−1UL)' : `${(end - start) / page} pages ≥ CMDQ_MAX_TLBI_OPS (${maxOps}) without range invalidation`}: TLBI_NH_ASID ${asid}` : `${cmds.length} TLBI_NH_VA (ASID ${asid}, Leaf=0)`}${atc.length ? `, ATC_INV of PASID ${ip.pasid} on ${atc.length} ATS device(s)` : ''} — explicit, the SMMU does not snoop the CPU's TLBIs`,
  );
}

/**
 * arm_smmu_mm_release, the notifier's release when the bound mm exits (exit_mmap, before the
 * pages go): every CD of the SVA domain is rewritten by arm_smmu_make_sva_cd(…, NULL, asid) —
 * still valid, EPD0=1 — then TLBI_NH_ASID + CMD_SYNC and ATC_INV of everything for the PASID.
 * The PASID, the ASID, the domain and the drivers' handles live on until the drivers unbind
 * (since v5.8 no mm_exit callback reaches the driver, linux-sva §2.4). An mm that is not bound
 * anywhere any more is freed now, and its PASID with it.
 */
export function releaseSva(c: KCtx, proc: Process): void {
  const ip = liveIommuProcess(c.k, proc.name);
  if (!ip) return;
  if (!ip.sva) {
    dropMm(c, ip);
    return;
  }
  const asid = ip.sva.asid;
  for (const name of masters(ip)) {
    const dev = c.k.devices.get(name)!;
    quietCd(c, masterSite(dev), ip.pasid, svaFaultCd(c, asid, cdStall(c, dev.stall)));
  }
  submit(c, [tlbiAsid(asid)], true);
  const atc = atsDevices(c, masters(ip)).map((dev) => atcInv(dev.sid, ip.pasid, 0n, 0n));
  if (atc.length) submit(c, atc, true);
  ip.exited = true;
  log(
    c,
    `arm_smmu_mm_release(${proc.name}): CD ${ip.pasid} of ${masters(ip).join(', ')} stays valid with EPD0=1${c.smmu.platform.stall === 'forced' ? '' : ' and S=R=0'}: the device's late accesses are aborted${c.smmu.platform.stall === 'forced' ? '' : ' silently'}; TLBI_NH_ASID ${asid}${atc.length ? ', ATC_INV of the PASID' : ''}. PASID ${ip.pasid} and ASID ${asid} stay until every driver unbinds (no exit handler is called)`,
  );
}
