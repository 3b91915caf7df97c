// Process management as the 2017 series designed it (RFCv2 iommu-process.c, with the SMMUv3 side
// as Jean-Philippe Brucker's 2018 tree wrote it — docs/research/linux-facts.md §4–§7):
// one iommu_process per process with one PASID; one iommu_context per (process, domain) whose
// ref counts the domain's devices bound to it; the CD at index PASID shares the process's
// page tables (TTB0 = pgd, ASID = the CPU's pinned ASID, ASET=0). The rfc2017 profile's bind and
// unbind; the helpers above them serve mainline too (its bind and unbind: sva.ts).
import { hex } from '../engine/index.ts';
import { allocAsid } from './asid.ts';
import { log, type KCtx } from './ctx.ts';
import { holdBond, releaseBond } from './bond.ts';
import { fail } from './errors.ts';
import { isStale, liveIommuProcess } from './query.ts';
import { idrAllocCyclic, idrCommit } from './idr.ts';
import { submit } from './smmu/cmdq.ts';
import { clearCd, writeCd } from './smmu/cdtable.ts';
import { cdStall, ioPgtableCd, sharedMmCd } from './smmu/cd.ts';
import { atcInv, tlbiAsid } from './smmu/inv.ts';
import type { Device, Domain, IommuProcess, Process } from './state.ts';

/**
 * The task to bind. RFCv2 iommu_process_bind_device fails with -EINVAL for a task without a pid
 * or an mm (linux-sva §3.7 RFCv2 rows; iommu-process.c, linux-facts §4) — not -ESRCH.
 */
export function bindTask(c: KCtx, name: string): Process {
  return (
    c.k.processes.get(name) ??
    fail('-EINVAL', `no task named ${name}: iommu_process_bind_device needs a pid and an mm`)
  );
}

/** Binding a process anew while the driver still holds the PASID of its exited namesake. */
export function staleBond(c: KCtx, dev: string, proc: string, pasid: number): never {
  fail(
    '-EEXIST',
    c.k.profile === 'rfc2017'
      ? `${dev}'s driver still holds PASID ${pasid} of the ${proc} that exited: it unbinds it first (that unbind returns -ESRCH and releases it)`
      : `${dev}'s driver still holds the SVA handle of the ${proc} that exited (PASID ${pasid}, kept with that mm until the driver unbinds): it unbinds it first`,
  );
}

/** The device's domain, which must be a DMA domain able to hold PASIDs. */
export function bindableDomain(c: KCtx, dev: Device): Domain {
  if (!dev.domain) fail('-EINVAL', `${dev.name} is not attached to a domain`);
  const d = c.k.domains.get(dev.domain)!;
  if (d.type !== 'dma')
    fail('-EINVAL', `${dev.name} is in ${d.type} domain ${d.name}, which has no CD table`);
  return d;
}

/** Who uses an SMMU ASID for a private io-pgtable (to seize it for a shared mm). */
function privateUserOf(c: KCtx, asid: number): { domain: Domain; ssid: number } | undefined {
  for (const d of c.k.domains.values()) if (d.pgtable?.asid === asid) return { domain: d, ssid: 0 };
  for (const p of c.k.privates.values()) {
    if (p.pgtable.asid === asid)
      return { domain: c.k.domains.get(c.k.devices.get(p.dev)!.domain!)!, ssid: p.pasid };
  }
  return undefined;
}

/** iommu_process_bind_device(dev, task) with shared page tables; returns the PASID. */
export function bindShared(c: KCtx, devName: string, procName: string): number {
  const dev = c.k.devices.get(devName) ?? fail('-ENODEV', `no device named ${devName}`);
  const proc = bindTask(c, procName);
  const d = bindableDomain(c, dev);
  const held = dev.bonds.get(procName);
  if (held?.tables === 'private')
    fail('-EEXIST', `${devName} already has a private PASID context for ${procName}`);
  if (held && isStale(c.k, procName, held)) staleBond(c, devName, procName, held.pasid);
  const ip = liveIommuProcess(c.k, procName);
  const ctx = d.contexts.get(procName);
  if (ip && ctx) {
    // Also a second bind of the same device: another context ref, which one more unbind drops
    // (iommu-process.c iommu_process_attach_locked; bond.ts).
    ctx.ref++;
    ctx.devices.push(devName);
    holdBond(dev, procName, ip.pasid, 'shared');
    log(
      c,
      `iommu_process_bind_device(${devName}, ${procName}): already bound into ${d.name}; context ref ${ctx.ref}, PASID ${ip.pasid}; process_attach(first=false) writes nothing`,
    );
    return ip.pasid;
  }
  let pasid: number;
  if (ip) {
    if (ip.pasid < d.minPasid || ip.pasid > d.maxPasid)
      fail(
        '-ENOSPC',
        `PASID ${ip.pasid} of ${procName} is outside ${d.name}'s range ${d.minPasid}–${d.maxPasid}`,
      );
    pasid = ip.pasid;
  } else {
    if (d.maxPasid === 0)
      fail('-ENOSPC', `${d.name} has no PASIDs: its first device supports none`);
    pasid =
      idrAllocCyclic(c.k.idr, d.minPasid, d.maxPasid) ??
      fail('-ENOSPC', `no free PASID in ${d.minPasid}–${d.maxPasid}`);
  }
  const seize = ip ? undefined : privateUserOf(c, proc.mm.asid);
  if (seize && c.k.driver.asids.used.size >= 2 ** c.smmu.platform.asidBits - 1)
    fail('-ENOSPC', 'no free SMMU ASID to move a private domain to');

  // Commit.
  let owner = ip;
  if (!owner) {
    if (seize) seizeAsid(c, proc.mm.asid, seize);
    c.k.driver.asids.used.add(proc.mm.asid);
    proc.mm.asidPinned = true;
    idrCommit(c.k.idr, pasid, { kind: 'process', proc: procName });
    owner = { pasid, proc: procName, pid: proc.pid, domains: [] };
    c.k.iommuProcesses.set(pasid, owner);
    log(
      c,
      `iommu_process_alloc: ${procName} (pid ${proc.pid}) gets PASID ${pasid} (idr_alloc_cyclic in ${d.minPasid}–${d.maxPasid}); process_alloc pins CPU ASID ${proc.mm.asid}; mmu_notifier registered`,
    );
  }
  owner.domains.push(d.name);
  d.contexts.set(procName, { pasid, ref: 1, devices: [devName] });
  dev.bonds.set(procName, { pasid, tables: 'shared' });
  writeCd(
    c,
    d,
    pasid,
    sharedMmCd(
      c,
      proc.mm,
      proc.mm.asid,
      cdStall(
        c,
        d.devices.some((n) => c.k.devices.get(n)!.stall),
      ),
    ),
  );
  log(
    c,
    `process_attach(${d.name}, ${procName}, first=true): CD ${pasid} = TTB0 ${hex(proc.mm.pgd)} (the pgd of ${procName}), ASID ${proc.mm.asid}, ASET=0`,
  );
  return pasid;
}

/** arm_smmu_share_asid: a private domain holding the CPU's ASID moves to a fresh one. */
function seizeAsid(c: KCtx, asid: number, user: { domain: Domain; ssid: number }): void {
  const fresh = allocAsid(c.k.driver.asids, c.smmu.platform.asidBits)!;
  const pt =
    user.ssid === 0
      ? user.domain.pgtable!
      : [...c.k.privates.values()].find((p) => p.pasid === user.ssid)!.pgtable;
  pt.asid = fresh;
  c.k.driver.asids.used.delete(asid);
  writeCd(
    c,
    user.domain,
    user.ssid,
    ioPgtableCd(
      c,
      pt,
      cdStall(
        c,
        user.domain.devices.some((n) => c.k.devices.get(n)!.stall),
      ),
    ),
  );
  submit(c, [tlbiAsid(asid)], true);
  log(
    c,
    `arm-smmu-v3: ASID ${asid} was private to ${user.domain.name} CD ${user.ssid}: moved to ASID ${fresh} so the shared mm can use it (as arm_smmu_share_asid; RFCv2's SMMU code is not public — inferred)`,
  );
}

/** Clears a PASID's CD and invalidates the TLB by ASID and every ATS device's ATC (2018 clear_entry). */
export function detachContext(
  c: KCtx,
  d: Domain,
  pasid: number,
  asid: number,
  devices: readonly string[],
): void {
  clearCd(c, d, pasid);
  submit(c, [tlbiAsid(asid)], true);
  const atc = devices
    .map((n) => c.k.devices.get(n)!)
    .filter((dev) => dev.ats)
    .map((dev) => atcInv(dev.sid, pasid, 0n, 0n));
  if (atc.length) submit(c, atc, true);
}

/**
 * iommu_process_unbind_device(dev, pasid): the PASID the driver holds, looked up in the IDR.
 * RFCv2 (iommu-process.c; linux-sva §3.7, §3.10): no domain → -EINVAL; PASID not in the IDR →
 * -ESRCH; no context of that process in the device's domain → -ESRCH.
 */
export function unbindShared(c: KCtx, dev: Device, procName: string, pasid: number): void {
  const d = c.k.domains.get(dev.domain ?? '') ?? fail('-EINVAL', `${dev.name} has no domain`);
  const ip = c.k.iommuProcesses.get(pasid);
  if (!ip)
    fail(
      '-ESRCH',
      `PASID ${pasid} is not in the IDR: ${procName} has exited and its PASID was freed`,
    );
  const ctx =
    d.contexts.get(ip.proc) ??
    fail('-ESRCH', `PASID ${pasid} (now ${ip.proc}'s) is not bound into ${d.name}`);
  // Commit: one unbind drops one bind of the driver's (bond.ts) and one context ref.
  releaseBond(dev, procName);
  if (ip.proc !== procName) {
    log(
      c,
      `WARNING (RFCv2 hazard): PASID ${pasid} was freed when ${procName} exited and now belongs to ${ip.proc}; this unbind detaches ${ip.proc}'s context. Linux fixed this in 2020 by keeping the PASID until unbind.`,
    );
  }
  ctx.ref--;
  const i = ctx.devices.indexOf(dev.name);
  if (i >= 0) ctx.devices.splice(i, 1);
  const proc = c.k.processes.get(ip.proc)!;
  if (ctx.ref > 0) {
    if (dev.ats) submit(c, [atcInv(dev.sid, pasid, 0n, 0n)], true);
    log(
      c,
      `process_detach(${d.name}, ${ip.proc}, last=false): context ref ${ctx.ref}; CD ${pasid} stays for the other device(s)`,
    );
    return;
  }
  detachContext(c, d, pasid, proc.mm.asid, [...d.devices]);
  d.contexts.delete(ip.proc);
  ip.domains = ip.domains.filter((n) => n !== d.name);
  log(
    c,
    `process_detach(${d.name}, ${ip.proc}, last=true): CD ${pasid} cleared, TLBI by ASID ${proc.mm.asid}`,
  );
  if (ip.domains.length === 0) releaseProcess(c, ip, proc);
}

/** Last reference: PASID out of the IDR, notifier unregistered, ASID unpinned (process_free). */
export function releaseProcess(c: KCtx, ip: IommuProcess, proc: Process): void {
  c.k.iommuProcesses.delete(ip.pasid);
  c.k.idr.used.delete(ip.pasid);
  proc.mm.asidPinned = false;
  c.k.driver.asids.used.delete(proc.mm.asid);
  log(
    c,
    `iommu_process_release: PASID ${ip.pasid} freed (the cyclic IDR will not hand it out again until it wraps); CPU ASID ${proc.mm.asid} unpinned`,
  );
}
