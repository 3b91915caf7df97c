// CPU TLB maintenance and the mmu_notifier that mirrors it to the SMMU.
// The CPU side is arm64 flush_tlb_range (TLBI VAE1IS per page, or ASIDE1IS past MAX_TLB_RANGE
// = 1024 pages in v4.14), broadcast to every agent that snoops — the SMMU too when BTM is used.
// The IOMMU side is iommu_process_mmu_notfier.invalidate_range → process_invalidate per context
// (RFCv2 iommu-process.c): explicit TLBI only without BTM, then ATC_INV with the PASID.
import { broadcastTlbi, hex, type Command } from '../engine/index.ts';
import { log, type KCtx } from './ctx.ts';
import { submit } from './smmu/cmdq.ts';
import { atcInv, tlbiAsid, tlbiRange } from './smmu/inv.ts';
import { invalidateSva } from './svaNotifier.ts';
import type { Process } from './state.ts';

const MAX_TLB_RANGE = 1024n;

export function flushRange(c: KCtx, proc: Process, start: bigint, end: bigint, why: string): void {
  const page = 1n << BigInt(c.k.cpu.granule);
  const pages = (end - start) / page;
  const asid = proc.mm.asid;
  const t =
    pages > MAX_TLB_RANGE
      ? ({ op: 'TLBI ASIDE1IS', asid } as const)
      : ({
          op: 'TLBI VAE1IS',
          asid,
          va: start,
          pages: Number(pages),
          pageShift: c.k.cpu.granule,
        } as const);
  const removed = broadcastTlbi(c.smmu, t);
  const snooped = c.smmu.platform.btm && !c.smmu.derived.ptm;
  log(
    c,
    `CPU (${why}): ${t.op} ASID ${asid}${t.op === 'TLBI VAE1IS' ? ` × ${pages} page(s) from ${hex(start)}` : ''}, broadcast${snooped ? `; the SMMU snoops it (BTM): ${removed} TLB entr${removed === 1 ? 'y' : 'ies'} removed` : ''}`,
  );
  invalidateSecondary(c, proc, start, end);
}

/**
 * mmu_notifier invalidate_range for a bound mm: every (domain, PASID) context of the process
 * (mainline: the SVA domain's arch_invalidate_secondary_tlbs, svaNotifier.ts).
 */
export function invalidateSecondary(c: KCtx, proc: Process, start: bigint, end: bigint): void {
  if (c.k.profile === 'mainline') return invalidateSva(c, proc, start, end);
  const ip = [...c.k.iommuProcesses.values()].find((p) => p.proc === proc.name);
  if (!ip) return;
  const p = c.smmu.platform;
  const page = 1n << BigInt(c.k.cpu.granule);
  const size = end - start;
  for (const domName of ip.domains) {
    const d = c.k.domains.get(domName);
    if (!d) continue;
    const asid = proc.mm.asid;
    const cmds: Command[] = [];
    if (!c.k.driver.btm) {
      // No broadcast reaches the SMMU: invalidate by VA, or the whole ASID past 512 pages without RIL.
      if (!p.rangeInv && size >= page << 9n) cmds.push(tlbiAsid(asid));
      else
        for (const t of tlbiRange(asid, start, size, page, false, p.rangeInv, c.k.cpu.granule))
          cmds.push(t);
      submit(c, cmds, true);
    }
    const atc = d.devices
      .map((n) => c.k.devices.get(n)!)
      .filter((dev) => dev.ats)
      .map((dev) => atcInv(dev.sid, ip.pasid, start, size));
    if (atc.length) submit(c, atc, true);
    log(
      c,
      `iommu: process_invalidate(${domName}, PASID ${ip.pasid}, ${hex(start)}, ${hex(size)}): ${c.k.driver.btm ? 'TLB covered by the broadcast TLBI' : `${cmds.length} TLBI command(s)`}${atc.length ? `, ATC_INV on ${atc.length} device(s)` : ''}`,
    );
  }
}
