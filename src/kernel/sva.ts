// Shared Virtual Addressing with SVA domains that own their ASID — the eras v6.11 and mainline
// (docs/research/eras.md §5–§6; linux-sva.md §2.4–§2.7, §3.1, §3.2): drivers/iommu/iommu-sva.c
// iommu_sva_bind_device / iommu_sva_unbind_device, iommu.c iommu_alloc_global_pasid,
// arm-smmu-v3-sva.c arm_smmu_sva_domain_alloc / arm_smmu_sva_set_dev_pasid /
// arm_smmu_sva_domain_free, arm-smmu-v3.c arm_smmu_set_pasid / arm_smmu_update_ste /
// arm_smmu_remove_dev_pasid. The mm gets one PASID from the global IDA (lowest free) at its first
// bind and keeps it until the mm itself is freed; one SVA domain per (mm, SMMU) — this model has
// one SMMU — with its own ASID (CD.ASET=1) and an mmu_notifier that invalidates explicitly. Each
// master has its own CD table (v6.7+): binding one master writes and flushes only its CD, and a
// master whose RID domain is IDENTITY or BLOCKED gets a CD table and a CD-table STE with
// S1DSS=BYPASS or TERMINATE.
//
// Model note: checks run before anything changes — Linux allocates the mm's PASID before the
// later checks and keeps it if they fail, the model hands none out.
import { hex } from '../engine/index.ts';
import { allocAsidLowest, freeAsid } from './asid.ts';
import { bindCount, holdBond, releaseBond } from './bond.ts';
import { log, type KCtx } from './ctx.ts';
import { eraOf } from './eras/index.ts';
import { fail } from './errors.ts';
import { idaAllocLowest, idaCommit } from './idr.ts';
import {
  bindTask,
  dropMm,
  enableSvaFeature,
  maxPasids,
  refuseGhost,
  staleBond,
  svaUnsupported,
} from './lookup.ts';
import { isStale, liveIommuProcess } from './query.ts';
import { submit } from './smmu/cmdq.ts';
import { allocCdTable, clearCd, masterSite, writeCd } from './smmu/cdtable.ts';
import { cdStall } from './smmu/cd.ts';
import { atcInv, tlbiAsid } from './smmu/inv.ts';
import { abortSte, bypassSte, cdtableSte, writeSte } from './smmu/strtab.ts';
import type { Bond, Device, Domain, IommuProcess, Process } from './state.ts';

/** What one release of this family does its own way. */
export interface SvaParams {
  /** The driver enables IOMMU_DEV_FEAT_SVA first, which a master without SSIDs cannot (≤ v6.14). */
  readonly featureEnable: boolean;
}

/** Does the device use SubstreamIDs for anything but this bond (arm_smmu_ssids_in_use)? */
const otherSsids = (dev: Device): boolean => dev.bonds.size > 0;

/** iommu_sva_bind_device(dev, mm) for the mm of `procName`; returns the PASID. */
export function bindSva(c: KCtx, dev: Device, procName: string, p: SvaParams): number {
  const proc = bindTask(c, procName);
  if (p.featureEnable) enableSvaFeature(c, dev);
  const held = dev.bonds.get(procName);
  if (held?.tables === 'private')
    fail(
      '-EEXIST',
      `${dev.name} already has a private PASID context for ${procName} (model: one bond per device and process)`,
    );
  if (held && isStale(c.k, procName, held)) staleBond(c, dev.name, procName, held.pasid);
  if (held) return rebind(c, dev, procName, held);
  refuseGhost(c, procName);
  // iommu_alloc_mm_data: the mm's PASID, or a new one from the global IDA.
  const ip = liveIommuProcess(c.k, procName);
  const max = maxPasids(dev);
  if (ip && ip.pasid >= max)
    fail(
      '-EOVERFLOW',
      `${procName}'s mm already has PASID ${ip.pasid}, beyond ${dev.name}'s ${max} PASIDs (iommu_alloc_mm_data)`,
    );
  if (!ip && max === 0)
    fail(
      '-ENOSPC',
      `${dev.name} has no PASIDs: iommu_alloc_global_pasid returns IOMMU_PASID_INVALID`,
    );
  const pasid =
    ip?.pasid ??
    idaAllocLowest(c.k.idr, 1, max - 1) ??
    fail('-ENOSPC', `no free PASID in 1–${max - 1} (iommu_alloc_global_pasid)`);
  const why = svaUnsupported(c);
  if (why)
    fail('-EOPNOTSUPP', `arm_smmu_sva_domain_alloc: the SMMU has no ARM_SMMU_FEAT_SVA (${why})`);
  if (!ip?.sva && c.k.driver.asids.used.size >= 2 ** c.smmu.platform.asidBits - 1)
    fail('-EBUSY', 'arm_smmu_sva_domain_alloc: no free ASID in arm_smmu_asid_xa (xa_alloc)');
  const rid = dev.domain ? c.k.domains.get(dev.domain) : undefined;
  if (!rid) fail('-EINVAL', `${dev.name} is not attached to a domain`);

  // Commit.
  let owner = ip;
  if (!owner) {
    idaCommit(c.k.idr, pasid, { kind: 'process', proc: procName });
    owner = { pasid, proc: procName, pid: proc.pid, domains: [] };
    c.k.iommuProcesses.set(pasid, owner);
    log(
      c,
      `iommu_sva_bind_device(${dev.name}, ${procName}): iommu_alloc_mm_data gives the mm PASID ${pasid} (iommu_alloc_global_pasid: ida_alloc_range, the lowest free in 1–${max - 1}); mm->iommu_mm keeps it until the mm is freed`,
    );
  } else
    log(
      c,
      `iommu_sva_bind_device(${dev.name}, ${procName}): the mm already has PASID ${pasid} (mm->iommu_mm), whatever device binds it`,
    );
  if (!owner.sva) {
    const asid = allocAsidLowest(c.k.driver.asids, c.smmu.platform.asidBits)!;
    owner.sva = { asid, users: 0, masters: [] };
    log(
      c,
      `arm_smmu_sva_domain_alloc: an SVA domain for ${procName}'s mm with its own ASID ${asid} (xa_alloc, lowest free); mmu_notifier registered — CPU ASID ${proc.mm.asid} is neither shared nor pinned`,
    );
  }
  owner.sva.users++;
  owner.sva.masters!.unshift(dev.name);
  setDevPasid(c, dev, rid, owner, proc);
  holdBond(dev, procName, pasid, 'shared');
  return pasid;
}

/** A bind of a (device, mm) already bound: iommu_attach_handle_get finds the handle. */
function rebind(c: KCtx, dev: Device, procName: string, held: Bond): number {
  holdBond(dev, procName, held.pasid, 'shared');
  log(
    c,
    `iommu_sva_bind_device(${dev.name}, ${procName}): ${dev.name} already has the SVA handle of PASID ${held.pasid}: handle users ${bindCount(held)}, nothing written`,
  );
  return held.pasid;
}

/**
 * iommu_attach_device_pasid → arm_smmu_sva_set_dev_pasid → arm_smmu_set_pasid:
 * arm_smmu_attach_prepare (IOPF for a master that can stall), arm_smmu_make_sva_cd written by
 * arm_smmu_write_cd_entry into this master's own table, arm_smmu_update_ste (a CD-table STE with
 * S1DSS=BYPASS/TERMINATE when the RID domain is IDENTITY/BLOCKED), arm_smmu_attach_commit (ATS).
 */
function setDevPasid(c: KCtx, dev: Device, rid: Domain, ip: IommuProcess, proc: Process): void {
  const asid = ip.sva!.asid;
  const sva = [...dev.bonds.values()].filter((b) => b.tables === 'shared').length;
  log(
    c,
    dev.stall
      ? `arm_smmu_enable_iopf: ${dev.name} can stall${sva === 0 ? ': iopf_queue_add_device puts it on the IOPF queue of the SMMU' : ''} — its stalled faults on PASID ${ip.pasid} are recoverable`
      : `arm_smmu_enable_iopf: ${dev.name} cannot stall, nothing to enable: its faults on PASID ${ip.pasid} are not recoverable (SMMUv3 recovers stalled faults only and denies page requests)`,
  );
  const s1dss = rid.type === 'identity' ? 'bypass' : rid.type === 'blocked' ? 'terminate' : 'ssid0';
  const steNeeded = s1dss !== 'ssid0' && !otherSsids(dev);
  if (!dev.cdtable) {
    dev.cdtable = allocCdTable(c, dev.name, dev.ssidBits);
    log(
      c,
      `arm_smmu_alloc_cd_ptr: ${dev.name} gets its own ${dev.cdtable.fmt} CD table at ${hex(dev.cdtable.base)} (S1CDMax=${dev.cdtable.s1cdmax})`,
    );
  }
  writeCd(
    c,
    masterSite(dev),
    ip.pasid,
    eraOf(c.k.era).ops.sharedCd(c, proc.mm, asid, cdStall(c, dev.stall)),
  );
  log(
    c,
    `arm_smmu_set_pasid(${dev.name}, PASID ${ip.pasid}): arm_smmu_make_sva_cd — CD ${ip.pasid} of ${dev.name}'s table = TTB0 ${hex(proc.mm.pgd)} (the pgd of ${proc.name}), ASID ${asid}, ASET=1 — written by arm_smmu_write_cd_entry`,
  );
  const ctx = rid.contexts.get(proc.name);
  if (ctx) {
    ctx.ref++;
    ctx.devices.push(dev.name);
  } else {
    rid.contexts.set(proc.name, { pasid: ip.pasid, ref: 1, asid, aset: true, devices: [dev.name] });
    ip.domains.push(rid.name);
  }
  if (steNeeded) {
    writeSte(c, dev.sid, cdtableSte(c, dev.cdtable, dev, s1dss));
    log(
      c,
      `arm_smmu_update_ste: ${dev.name}'s RID domain ${rid.name} is ${rid.type}: its STE becomes a CD-table STE with S1DSS=${s1dss.toUpperCase()} (traffic without a PASID ${s1dss === 'bypass' ? 'still bypasses' : 'is still terminated'})`,
    );
  }
  if (!dev.ats) return;
  if (steNeeded) {
    // arm_smmu_attach_commit → arm_smmu_enable_ats: "ATC invalidation of PASID 0 causes the entire ATC to be flushed".
    submit(c, [atcInv(dev.sid, undefined, 0n, 0n)], true);
    log(c, `arm_smmu_enable_ats: ${dev.name}'s ATC flushed, ATS enabled with the CD-table STE`);
  } else {
    submit(c, [atcInv(dev.sid, ip.pasid, 0n, 0n)], true);
    log(c, `arm_smmu_attach_commit: ${dev.name} has ATS on: ATC_INV of PASID ${ip.pasid}`);
  }
}

/** iommu_sva_unbind_device(handle): the bond the driver holds for `procName`. */
export function unbindSva(c: KCtx, dev: Device, procName: string, bond: Bond): void {
  if (releaseBond(dev, procName) > 0) {
    log(
      c,
      `iommu_sva_unbind_device(${dev.name}, PASID ${bond.pasid}): handle users ${bindCount(bond)}: nothing else`,
    );
    return;
  }
  const ip = c.k.iommuProcesses.get(bond.pasid)!;
  const rid = c.k.domains.get(dev.domain!)!;
  const ctx = rid.contexts.get(ip.proc)!;
  // iommu_detach_device_pasid → blocked domain → arm_smmu_remove_dev_pasid.
  clearCd(c, masterSite(dev), ip.pasid);
  if (dev.ats) submit(c, [atcInv(dev.sid, ip.pasid, 0n, 0n)], true);
  ctx.ref--;
  ctx.devices.splice(ctx.devices.indexOf(dev.name), 1);
  if (ctx.ref === 0) {
    rid.contexts.delete(ip.proc);
    ip.domains = ip.domains.filter((n) => n !== rid.name);
  }
  log(
    c,
    `arm_smmu_remove_dev_pasid(${dev.name}, PASID ${ip.pasid}): arm_smmu_clear_cd — V=0, then the rest of CD ${ip.pasid} of ${dev.name}'s table zeroed${dev.ats ? '; ATC_INV of the PASID' : ''}`,
  );
  if (rid.type !== 'dma' && !otherSsids(dev)) {
    // The last SSID of a master whose RID is IDENTITY/BLOCKED: the RID domain is attached again.
    writeSte(c, dev.sid, rid.type === 'identity' ? bypassSte() : abortSte());
    if (dev.ats) submit(c, [atcInv(dev.sid, undefined, 0n, 0n)], true);
    log(
      c,
      `arm_smmu_remove_dev_pasid: no SSID of ${dev.name} is in use: its ${rid.type} RID domain is attached again (STE ${rid.type === 'identity' ? 'bypass' : 'abort'}${dev.ats ? ', ATS switched off, ATC flushed' : ''})`,
    );
  }
  if (dev.stall && ![...dev.bonds.values()].some((b) => b.tables === 'shared'))
    log(c, `arm_smmu_disable_iopf: iopf_queue_remove_device(${dev.name})`);
  const sva = ip.sva!;
  sva.masters = sva.masters!.filter((n) => n !== dev.name);
  if (--sva.users > 0) return;
  // The domain's last user: iommu_domain_free → arm_smmu_sva_domain_free, then mmdrop.
  submit(c, [tlbiAsid(sva.asid)], true);
  freeAsid(c.k.driver.asids, sva.asid);
  delete ip.sva;
  log(
    c,
    `arm_smmu_sva_domain_free: TLBI_NH_ASID ${sva.asid}, ASID ${sva.asid} released, mmu_notifier_put; ${ip.exited ? `mmdrop drops the last reference to the exited ${ip.proc}'s mm` : `PASID ${ip.pasid} stays with ${ip.proc}'s mm until the mm is freed (a later bind reuses it)`}`,
  );
  if (ip.exited) dropMm(c, ip);
}
