// Upstream SMMUv3 SVA before SVA domains had their own ASID — the eras v5.14 … v6.7
// (docs/research/eras.md §1–§4): arm-smmu-v3-sva.c arm_smmu_sva_bind / __arm_smmu_sva_bind,
// arm_smmu_mmu_notifier_get/put (one notifier and one CD per (domain, mm)),
// arm_smmu_alloc_shared_cd / arm_smmu_share_asid (the CPU's ASID, pinned, in a CD with ASET=0),
// arm_smmu_mm_release (quiet_cd). What differs between those releases is a SharedCdParams.
import { hex } from '../engine/index.ts';
import { allocAsidLowest, freeAsid } from './asid.ts';
import { bindCount, holdBond, releaseBond } from './bond.ts';
import { log, type KCtx } from './ctx.ts';
import { eraOf } from './eras/index.ts';
import { fail, type Errno } from './errors.ts';
import { idaAllocLowest, idaCommit } from './idr.ts';
import {
  atsDevices,
  bindTask,
  dropMm,
  enableSvaFeature,
  maxPasids,
  refuseGhost,
  staleBond,
} from './lookup.ts';
import { isStale, liveIommuProcess } from './query.ts';
import { submit } from './smmu/cmdq.ts';
import {
  clearCd,
  domainMasters,
  domainSite,
  masterSite,
  quietCd,
  writeCd,
  type CdSite,
} from './smmu/cdtable.ts';
import { cdStall, ioPgtableCd } from './smmu/cd.ts';
import { atcInv, tlbiAsid } from './smmu/inv.ts';
import type { Bond, Context, Device, Domain, IommuProcess, Process } from './state.ts';

/** What one release of this family does its own way. */
export interface SharedCdParams {
  /**
   * The mm's PASID: refcounted by its bonds and freed at the last unbind (iommu_sva_free_pasid,
   * ≤ v5.17), or kept by the mm until the mm is freed (mm_pasid_drop in __mmdrop, v5.18+).
   */
  readonly pasidLife: 'bonds' | 'mm';
  /** No PASID left: ioasid_alloc fails → -ENOMEM (≤ v6.3); the global IDA → -ENOSPC (v6.4+). */
  readonly exhausted: Errno;
  /** RID domain not a stage-1 paging domain: -EINVAL (arm_smmu_sva_bind) or -ENODEV (v6.2+). */
  readonly notPaging: Errno;
  /** v6.7: the CD goes into every master's table of the RID domain (arm_smmu_mmu_notifier_get). */
  readonly replicate: boolean;
}

/** Where this family keeps a (domain, mm) CD: the domain's table, or each master's (v6.7). */
function sitesOf(c: KCtx, d: Domain, p: SharedCdParams): { site: CdSite; stall: boolean }[] {
  if (!p.replicate) return [{ site: domainSite(c, d), stall: d.stall ?? false }];
  return domainMasters(c, d).map((m) => ({ site: masterSite(m), stall: cdStall(c, m.stall) }));
}

/** The private io-pgtable (domain CD 0, or a private PASID) whose SMMU ASID the CPU's equals. */
function privateUserOf(
  c: KCtx,
  asid: number,
): { pt: { asid: number }; redo: () => void } | undefined {
  for (const d of c.k.domains.values())
    if (d.pgtable?.asid === asid) {
      const pt = d.pgtable;
      const redo = (): void => {
        if (d.cdtable) writeCd(c, domainSite(c, d), 0, ioPgtableCd(c, pt, d.stall ?? false));
        else
          for (const m of domainMasters(c, d))
            writeCd(c, masterSite(m), 0, ioPgtableCd(c, pt, cdStall(c, m.stall)));
      };
      return { pt, redo };
    }
  for (const p of c.k.privates.values()) {
    if (p.pgtable.asid !== asid) continue;
    const dev = c.k.devices.get(p.dev)!;
    const d = c.k.domains.get(dev.domain!)!;
    const site = d.cdtable ? domainSite(c, d) : masterSite(dev);
    return {
      pt: p.pgtable,
      redo: () => writeCd(c, site, p.pasid, ioPgtableCd(c, p.pgtable, cdStall(c, dev.stall))),
    };
  }
  return undefined;
}

/** __arm_smmu_sva_bind for the mm of `procName`; returns the PASID. */
export function bindSharedCd(c: KCtx, dev: Device, procName: string, p: SharedCdParams): number {
  const proc = bindTask(c, procName);
  enableSvaFeature(c, dev);
  const held = dev.bonds.get(procName);
  if (held?.tables === 'private')
    fail('-EEXIST', `${dev.name} already has a private PASID context for ${procName}`);
  if (held && isStale(c.k, procName, held)) staleBond(c, dev.name, procName, held.pasid);
  const d = dev.domain ? c.k.domains.get(dev.domain) : undefined;
  if (!d || d.type !== 'dma')
    fail(
      p.notPaging,
      `${dev.name} is ${d ? `in ${d.type} domain ${d.name}` : 'not attached'}: SVA needs its RID in a stage-1 paging domain, whose CD table takes the PASID (arm_smmu_sva_bind)`,
    );
  if (held) {
    holdBond(dev, procName, held.pasid, 'shared');
    log(
      c,
      `__arm_smmu_sva_bind(${dev.name}, ${procName}): bind() was already called for this (dev, mm): bond refs ${bindCount(held)}, nothing written`,
    );
    return held.pasid;
  }
  refuseGhost(c, procName);
  let ip = liveIommuProcess(c.k, procName);
  const max = maxPasids(dev);
  if (ip && ip.pasid >= max)
    fail(
      '-EOVERFLOW',
      `${procName}'s mm already has PASID ${ip.pasid}, beyond ${dev.name}'s ${max} PASIDs (iommu_sva_alloc_pasid)`,
    );
  const pasid =
    ip?.pasid ??
    idaAllocLowest(c.k.idr, 1, max - 1) ??
    fail(p.exhausted, `no free PASID in 1–${max - 1} (iommu_sva_alloc_pasid)`);
  const ctx = d.contexts.get(procName);
  const share = ip?.cpuAsid === undefined;
  const seize = !ctx && share ? privateUserOf(c, proc.mm.asid) : undefined;
  if (seize && c.k.driver.asids.used.size >= 2 ** c.smmu.platform.asidBits - 1)
    fail('-ENOSPC', 'arm_smmu_share_asid: no free SMMU ASID to move the private domain to');
  if (!ctx && p.replicate)
    for (const m of domainMasters(c, d))
      if (pasid >= 2 ** m.cdtable!.s1cdmax)
        fail(
          '-E2BIG',
          `arm_smmu_write_ctx_desc: ${m.name}'s own CD table holds ${2 ** m.cdtable!.s1cdmax} CD(s), none at ${pasid} (WARN_ON); arm_smmu_mmu_notifier_get writes the CD into every master of ${d.name}, so the loop unwinds and the bind fails`,
        );

  // Commit.
  if (!ip) {
    idaCommit(c.k.idr, pasid, { kind: 'process', proc: procName });
    ip = { pasid, proc: procName, pid: proc.pid, domains: [] };
    c.k.iommuProcesses.set(pasid, ip);
    log(
      c,
      `iommu_sva_alloc_pasid: ${procName}'s mm gets PASID ${pasid} (the lowest free in 1–${max - 1}); ${p.pasidLife === 'bonds' ? 'each bond holds a reference, the last unbind frees it' : 'the mm keeps it until the mm is freed'}`,
    );
  } else log(c, `iommu_sva_alloc_pasid: ${procName}'s mm already has PASID ${pasid}`);
  holdBond(dev, procName, pasid, 'shared');
  if (ctx) {
    ctx.ref++;
    ctx.devices.push(dev.name);
    log(
      c,
      `arm_smmu_mmu_notifier_get(${d.name}, ${procName}): the (domain, mm) notifier exists: refs ${ctx.ref}; CD ${pasid} is already written${p.replicate ? ` in every master of ${d.name}` : ` in ${d.name}'s table`}`,
    );
  } else attachMm(c, d, ip, proc, p, seize, dev.name);
  log(
    c,
    dev.stall
      ? `arm_smmu_master_sva_enable_iopf: ${dev.name} can stall: on the IOPF queue — its stalled faults on PASID ${pasid} are recoverable`
      : `${dev.name} cannot stall: its faults on PASID ${pasid} are not recoverable (SMMUv3 recovers stalled faults only; PRI requests are denied)`,
  );
  return pasid;
}

/** A new (domain, mm) notifier: the mm's shared CD (pinning the CPU ASID) written at CD[pasid]. */
function attachMm(
  c: KCtx,
  d: Domain,
  ip: IommuProcess,
  proc: Process,
  p: SharedCdParams,
  seize: ReturnType<typeof privateUserOf>,
  devName: string,
): void {
  const asid = proc.mm.asid;
  if (ip.cpuAsid === undefined) {
    if (seize) {
      const fresh = allocAsidLowest(c.k.driver.asids, c.smmu.platform.asidBits)!;
      seize.pt.asid = fresh;
      c.k.driver.asids.used.delete(asid);
      seize.redo();
      submit(c, [tlbiAsid(asid)], true);
      log(
        c,
        `arm_smmu_share_asid: ASID ${asid} was a private domain's: it moves to ASID ${fresh} (CD rewritten, TLBI by the old ASID) so the shared CD can use the CPU's`,
      );
    }
    c.k.driver.asids.used.add(asid);
    proc.mm.asidPinned = true;
    ip.cpuAsid = asid;
    log(
      c,
      `arm_smmu_alloc_shared_cd: arm64_mm_context_get pins CPU ASID ${asid} for ${proc.name}; the shared CD: TTB0 ${hex(proc.mm.pgd)}, ASID ${asid}, ASET=0`,
    );
  } else log(c, `arm_smmu_share_asid: ${proc.name}'s shared CD exists (refcount_inc)`);
  const ctx: Context = { pasid: ip.pasid, ref: 1, asid, aset: false, devices: [devName] };
  if (p.replicate) ctx.masters = domainMasters(c, d).map((m) => m.name);
  d.contexts.set(proc.name, ctx);
  ip.domains.push(d.name);
  const era = eraOf(c.k.era);
  for (const s of sitesOf(c, d, p))
    writeCd(c, s.site, ip.pasid, era.ops.sharedCd(c, proc.mm, asid, s.stall));
  log(
    c,
    `arm_smmu_mmu_notifier_get(${d.name}, ${proc.name}): notifier registered; arm_smmu_write_ctx_desc puts CD ${ip.pasid} in ${
      p.replicate
        ? `the CD table of every master of ${d.name} (${domainMasters(c, d)
            .map((m) => m.name)
            .join(', ')})`
        : `${d.name}'s CD table`
    }`,
  );
}

/** arm_smmu_sva_unbind: one bind of the driver's; the last one puts the (domain, mm) notifier. */
export function unbindSharedCd(
  c: KCtx,
  dev: Device,
  procName: string,
  bond: Bond,
  p: SharedCdParams,
): void {
  if (releaseBond(dev, procName) > 0) {
    log(c, `arm_smmu_sva_unbind(${dev.name}, PASID ${bond.pasid}): bond refs ${bindCount(bond)}`);
    return;
  }
  const ip = c.k.iommuProcesses.get(bond.pasid)!;
  const d = c.k.domains.get(dev.domain!)!;
  const ctx = d.contexts.get(ip.proc)!;
  ctx.ref--;
  ctx.devices.splice(ctx.devices.indexOf(dev.name), 1);
  log(c, `arm_smmu_sva_unbind(${dev.name}, PASID ${bond.pasid}): the bond is gone`);
  if (ctx.ref === 0) notifierPut(c, d, ip, p);
  else log(c, `arm_smmu_mmu_notifier_put(${d.name}): refs ${ctx.ref}, CD ${ip.pasid} stays`);
  if (dev.stall && ![...dev.bonds.values()].some((b) => b.tables === 'shared'))
    log(c, `arm_smmu_master_sva_disable_iopf: iopf_queue_remove_device(${dev.name})`);
  if (p.pasidLife === 'bonds') {
    const bonded = [...c.k.devices.values()].some((x) =>
      [...x.bonds.values()].some((b) => b.tables === 'shared' && b.pasid === ip.pasid),
    );
    if (bonded) return;
    c.k.idr.used.delete(ip.pasid);
    c.k.iommuProcesses.delete(ip.pasid);
    log(
      c,
      `iommu_sva_free_pasid: the mm's last bond is gone: PASID ${ip.pasid} back to the ioasid allocator`,
    );
  } else if (ip.exited && ip.domains.length === 0) dropMm(c, ip);
}

/** arm_smmu_mmu_notifier_put at its last ref: CD cleared, TLB and ATC invalidated, CD freed. */
function notifierPut(c: KCtx, d: Domain, ip: IommuProcess, p: SharedCdParams): void {
  const asid = ip.cpuAsid!;
  for (const s of sitesOf(c, d, p)) clearCd(c, s.site, ip.pasid);
  if (!ip.exited) {
    submit(c, [tlbiAsid(asid)], true);
    const atc = atsDevices(
      c,
      domainMasters(c, d).map((m) => m.name),
    ).map((m) => atcInv(m.sid, ip.pasid, 0n, 0n));
    if (atc.length) submit(c, atc, true);
  }
  d.contexts.delete(ip.proc);
  ip.domains = ip.domains.filter((n) => n !== d.name);
  log(
    c,
    `arm_smmu_mmu_notifier_put(${d.name}): last ref: CD ${ip.pasid} cleared${ip.exited ? ' (the mm already exited: TLB and ATC were invalidated then)' : `, TLBI_NH_ASID ${asid} and ATC_INV of the PASID`}; mmu_notifier_put`,
  );
  if (ip.domains.length > 0) return;
  // arm_smmu_free_shared_cd: the mm's last shared CD.
  c.k.driver.asids.used.delete(asid);
  const proc = ip.exited ? undefined : c.k.processes.get(ip.proc);
  if (proc) proc.mm.asidPinned = false;
  else freeAsid(c.k.cpuAsids, asid);
  delete ip.cpuAsid;
  log(
    c,
    `arm_smmu_free_shared_cd: arm64_mm_context_put unpins CPU ASID ${asid}${proc ? '' : ' (the mm is gone: the ASID goes back to the CPU allocator)'}`,
  );
}

/**
 * arm_smmu_mm_release, once per (domain, mm) notifier, when the bound mm exits: the CD is quieted
 * (quiet_cd: EPD0 set, V kept — "Keep the cd valid to avoid C_BAD_CD events, but disable
 * translation"), then TLBI by the shared ASID and ATC_INV of everything for the PASID. No exit
 * handler reaches the driver; the PASID stays until the drivers unbind.
 */
export function releaseSharedCd(c: KCtx, proc: Process, p: SharedCdParams): void {
  const ip = liveIommuProcess(c.k, proc.name);
  if (!ip) return;
  if (ip.domains.length === 0) {
    dropMm(c, ip);
    return;
  }
  const asid = ip.cpuAsid!;
  // __mmu_notifier_release walks the mm's notifiers from the head: the newest (domain, mm) first.
  for (const dn of [...ip.domains].reverse()) {
    const d = c.k.domains.get(dn)!;
    for (const s of sitesOf(c, d, p)) quietCd(c, s.site, ip.pasid, []);
    submit(c, [tlbiAsid(asid)], true);
    const atc = atsDevices(
      c,
      domainMasters(c, d).map((m) => m.name),
    ).map((m) => atcInv(m.sid, ip.pasid, 0n, 0n));
    if (atc.length) submit(c, atc, true);
    log(
      c,
      `arm_smmu_mm_release(${dn}, ${proc.name}): quiet_cd — CD ${ip.pasid} keeps V=1, gains EPD0 (S and R unchanged): the device's late accesses fault; TLBI_NH_ASID ${asid}${atc.length ? ', ATC_INV of the PASID' : ''}. PASID ${ip.pasid} stays until the drivers unbind`,
    );
  }
  ip.exited = true;
}

/** The CPU ASID of an exited mm goes back to the allocator only once no shared CD pins it. */
export const cpuAsidFreeSharedCd = (c: KCtx, proc: Process): boolean => !proc.mm.asidPinned;
