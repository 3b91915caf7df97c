// Shared Virtual Addressing as mainline Linux does it (v6.11+; linux-sva.md §2.4–§2.7, §3.1,
// §3.2): drivers/iommu/iommu-sva.c iommu_sva_bind_device / iommu_sva_unbind_device,
// drivers/iommu/iommu.c iommu_alloc_global_pasid, arm-smmu-v3-sva.c arm_smmu_sva_domain_alloc /
// arm_smmu_sva_set_dev_pasid / arm_smmu_sva_domain_free, arm-smmu-v3.c arm_smmu_set_pasid /
// arm_smmu_remove_dev_pasid. The mm gets one PASID from the global IDA (lowest free) at its first
// bind and keeps it until the mm itself is freed; one SVA domain per (mm, SMMU) — this model has
// one SMMU — with its own ASID (CD.ASET=1) and an mmu_notifier that invalidates explicitly.
//
// Model notes. The CD table belongs to the DMA domain, as in RFCv2, and its masters share it
// (since v6.7 mainline keeps one CD table per master): a CD is written when the first device of a
// domain binds and cleared when the last one unbinds, and CD writes flush every master of the
// domain. A device bound while its RID is in an identity or blocked domain (mainline: S1DSS
// bypass/terminate) is not modelled. Checks run before anything changes: Linux allocates the mm's
// PASID before the later checks and keeps it if they fail, the model hands none out.
import { hex } from '../engine/index.ts';
import { allocAsidLowest, freeAsid } from './asid.ts';
import { bindCount, holdBond, releaseBond } from './bond.ts';
import { log, type KCtx } from './ctx.ts';
import { fail } from './errors.ts';
import { idaAllocLowest, idaCommit } from './idr.ts';
import { bindableDomain, bindTask, staleBond } from './process.ts';
import { isStale, liveIommuProcess } from './query.ts';
import { submit } from './smmu/cmdq.ts';
import { clearCd, writeCd } from './smmu/cdtable.ts';
import { cdStall, sharedMmCd } from './smmu/cd.ts';
import { atcInv, tlbiAsid } from './smmu/inv.ts';
import { CPU_PA_BITS } from './arm64.ts';
import type { Bond, Device, Domain, IommuProcess, Process } from './state.ts';

/**
 * Why the SMMU would not get ARM_SMMU_FEAT_SVA at probe (arm-smmu-v3-sva.c
 * arm_smmu_sva_supported): its output size must cover the CPU's physical addresses and its ASIDs
 * must be as wide as the CPU's. (Coherency, LPA2 and the page sizes are not modelled.)
 */
export function svaUnsupported(c: KCtx): string | undefined {
  const p = c.smmu.platform;
  if (p.oas < CPU_PA_BITS)
    return `its ${p.oas}-bit OAS is below the CPU's ${CPU_PA_BITS}-bit PARange`;
  if (p.asidBits < c.k.cpu.asidBits)
    return `its ${p.asidBits}-bit ASIDs are narrower than the CPU's ${c.k.cpu.asidBits}-bit ones`;
  return undefined;
}

/** dev->iommu->max_pasids: 2^ssid_bits, 0 for a device without PASIDs. */
const maxPasids = (dev: Device): number => (dev.ssidBits > 0 ? 2 ** dev.ssidBits : 0);

/** The devices of `domains` with ATS on: their ATCs may hold the PASID's translations. */
export function atsMasters(c: KCtx, domains: readonly string[]): Device[] {
  const out: Device[] = [];
  for (const dn of domains)
    for (const n of c.k.domains.get(dn)?.devices ?? []) {
      const dev = c.k.devices.get(n)!;
      if (dev.ats && !out.includes(dev)) out.push(dev);
    }
  return out;
}

/** iommu_sva_bind_device(dev, mm) for the mm of `procName`; returns the PASID. */
export function bindSva(c: KCtx, devName: string, procName: string): number {
  const dev =
    c.k.devices.get(devName) ?? fail('-ENODEV', `no device named ${devName}: no IOMMU group`);
  const proc = bindTask(c, procName);
  const held = dev.bonds.get(procName);
  if (held?.tables === 'private')
    fail(
      '-EEXIST',
      `${devName} already has a private PASID context for ${procName} (model: one bond per device and process)`,
    );
  if (held && isStale(c.k, procName, held)) staleBond(c, devName, procName, held.pasid);
  if (held) return rebind(c, dev, procName, held);
  const ghost = [...c.k.iommuProcesses.values()].find((p) => p.proc === procName && p.exited);
  if (ghost)
    fail(
      '-EEXIST',
      `the ${procName} that exited still has PASID ${ghost.pasid} (its mm lives until every driver unbinds it); the model names processes, so a new ${procName} binds after that`,
    );
  // iommu_alloc_mm_data: the mm's PASID, or a new one from the global IDA.
  const ip = liveIommuProcess(c.k, procName);
  const max = maxPasids(dev);
  if (ip && ip.pasid >= max)
    fail(
      '-EOVERFLOW',
      `${procName}'s mm already has PASID ${ip.pasid}, beyond ${devName}'s ${max} PASIDs (iommu_alloc_mm_data)`,
    );
  if (!ip && max === 0)
    fail(
      '-ENOSPC',
      `${devName} has no PASIDs: iommu_alloc_global_pasid returns IOMMU_PASID_INVALID`,
    );
  const pasid =
    ip?.pasid ??
    idaAllocLowest(c.k.idr, 1, max - 1) ??
    fail('-ENOSPC', `no free PASID in 1–${max - 1} (iommu_alloc_global_pasid)`);
  // The SVA domain (iommu_sva_domain_alloc → arm_smmu_sva_domain_alloc), then set_dev_pasid.
  const why = svaUnsupported(c);
  if (why)
    fail('-EOPNOTSUPP', `arm_smmu_sva_domain_alloc: the SMMU has no ARM_SMMU_FEAT_SVA (${why})`);
  if (!ip?.sva && c.k.driver.asids.used.size >= 2 ** c.smmu.platform.asidBits - 1)
    fail('-EBUSY', 'arm_smmu_sva_domain_alloc: no free ASID in arm_smmu_asid_xa (xa_alloc)');
  const rid = dev.domain ? c.k.domains.get(dev.domain) : undefined;
  if (rid && rid.type !== 'dma')
    fail(
      '-EINVAL',
      `${devName} is in ${rid.type} domain ${rid.name}: mainline would give it a CD table of its own (S1DSS=${rid.type === 'identity' ? 'BYPASS' : 'TERMINATE'}); the model keeps CD tables in DMA domains, so bind it from one`,
    );
  const d = bindableDomain(c, dev);
  if (pasid > d.maxPasid)
    fail(
      '-EINVAL',
      `${d.name}'s CD table (sized for its first device) has no CD ${pasid} (model: mainline gives each master its own table)`,
    );

  // Commit.
  let owner = ip;
  if (!owner) {
    idaCommit(c.k.idr, pasid, { kind: 'process', proc: procName });
    owner = { pasid, proc: procName, pid: proc.pid, domains: [] };
    c.k.iommuProcesses.set(pasid, owner);
    log(
      c,
      `iommu_sva_bind_device(${devName}, ${procName}): iommu_alloc_mm_data gives the mm PASID ${pasid} (iommu_alloc_global_pasid: ida_alloc_range, the lowest free in 1–${max - 1}); mm->iommu_mm keeps it until the mm is freed`,
    );
  } else
    log(
      c,
      `iommu_sva_bind_device(${devName}, ${procName}): the mm already has PASID ${pasid} (mm->iommu_mm), whatever device binds it`,
    );
  if (!owner.sva) {
    const asid = allocAsidLowest(c.k.driver.asids, c.smmu.platform.asidBits)!;
    owner.sva = { asid, users: 0 };
    log(
      c,
      `arm_smmu_sva_domain_alloc: an SVA domain for ${procName}'s mm with its own ASID ${asid} (xa_alloc, lowest free); mmu_notifier registered — CPU ASID ${proc.mm.asid} is neither shared nor pinned`,
    );
  }
  owner.sva.users++;
  setDevPasid(c, dev, d, owner, proc);
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
 * arm_smmu_attach_prepare (IOPF for a master that can stall), arm_smmu_make_sva_cd +
 * arm_smmu_write_cd_entry, the STE already points at the CD table (S1DSS=SSID0: no STE write),
 * arm_smmu_attach_commit (ATS on: ATC_INV of the PASID + CMD_SYNC).
 */
function setDevPasid(c: KCtx, dev: Device, d: Domain, ip: IommuProcess, proc: Process): void {
  const asid = ip.sva!.asid;
  const sva = [...dev.bonds.values()].filter((b) => b.tables === 'shared').length;
  log(
    c,
    dev.stall
      ? `arm_smmu_enable_iopf: ${dev.name} can stall${sva === 0 ? ': iopf_queue_add_device puts it on the IOPF queue of the SMMU' : ''} — its stalled faults on PASID ${ip.pasid} are recoverable`
      : `arm_smmu_enable_iopf: ${dev.name} cannot stall, nothing to enable: its faults on PASID ${ip.pasid} are not recoverable (mainline SMMUv3 recovers stalled faults only and denies page requests)`,
  );
  const ctx = d.contexts.get(proc.name);
  if (ctx) {
    ctx.ref++;
    ctx.devices.push(dev.name);
    log(
      c,
      `arm_smmu_set_pasid(${dev.name}, PASID ${ip.pasid}): CD ${ip.pasid} of ${d.name} is already valid (model: the domain's masters share one CD table; Linux writes ${dev.name}'s own)`,
    );
  } else {
    d.contexts.set(proc.name, { pasid: ip.pasid, ref: 1, asid, devices: [dev.name] });
    ip.domains.push(d.name);
    const stall = cdStall(
      c,
      d.devices.some((n) => c.k.devices.get(n)!.stall),
    );
    writeCd(c, d, ip.pasid, sharedMmCd(c, proc.mm, asid, stall));
    log(
      c,
      `arm_smmu_set_pasid(${dev.name}, PASID ${ip.pasid}): arm_smmu_make_sva_cd — CD ${ip.pasid} = TTB0 ${hex(proc.mm.pgd)} (the pgd of ${proc.name}), ASID ${asid}, ASET=1 — written by arm_smmu_write_cd_entry`,
    );
  }
  if (dev.ats) {
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
  const d = c.k.domains.get(dev.domain!)!;
  const ctx = d.contexts.get(ip.proc)!;
  // iommu_detach_device_pasid → blocked domain → arm_smmu_remove_dev_pasid.
  ctx.ref--;
  ctx.devices.splice(ctx.devices.indexOf(dev.name), 1);
  if (ctx.ref > 0) {
    if (dev.ats) submit(c, [atcInv(dev.sid, ip.pasid, 0n, 0n)], true);
    log(
      c,
      `arm_smmu_remove_dev_pasid(${dev.name}, PASID ${ip.pasid}): CD ${ip.pasid} of ${d.name} stays for ${ctx.devices.join(', ')} (model: one CD table per domain)${dev.ats ? '; ATC_INV of the PASID' : ''}`,
    );
  } else {
    clearCd(c, d, ip.pasid);
    const atc = atsMasters(c, [d.name]).map((x) => atcInv(x.sid, ip.pasid, 0n, 0n));
    if (atc.length) submit(c, atc, true);
    d.contexts.delete(ip.proc);
    ip.domains = ip.domains.filter((n) => n !== d.name);
    log(
      c,
      `arm_smmu_remove_dev_pasid(${dev.name}, PASID ${ip.pasid}): arm_smmu_clear_cd — V=0, then the rest of CD ${ip.pasid} zeroed${atc.length ? `; ATC_INV of the PASID on ${atc.length} ATS device(s)` : ''}`,
    );
  }
  if (dev.stall && ![...dev.bonds.values()].some((b) => b.tables === 'shared'))
    log(c, `arm_smmu_disable_iopf: iopf_queue_remove_device(${dev.name})`);
  const sva = ip.sva!;
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

/** __mmdrop → mm_pasid_drop → iommu_free_global_pasid: the mm is gone, and its PASID with it. */
export function dropMm(c: KCtx, ip: IommuProcess): void {
  c.k.idr.used.delete(ip.pasid);
  c.k.iommuProcesses.delete(ip.pasid);
  log(
    c,
    `mm_pasid_drop: ${ip.proc}'s mm is freed: PASID ${ip.pasid} back to the IDA (iommu_free_global_pasid)`,
  );
}
