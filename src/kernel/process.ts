// Process management as the 2017 series designed it (RFCv2 iommu-process.c, with the SMMUv3 side
// as Jean-Philippe Brucker's 2018 tree wrote it — docs/research/linux-facts.md §4–§7), the era
// rfc2017's operations: one iommu_process per process with one PASID; one iommu_context per
// (process, domain) whose ref counts the domain's devices bound to it; the CD at index PASID
// shares the process's page tables (TTB0 = pgd, ASID = the CPU's pinned ASID, ASET=0).
import { hex, type Command } from '../engine/index.ts';
import { allocAsid } from './asid.ts';
import { log, type KCtx } from './ctx.ts';
import { holdBond, releaseBond } from './bond.ts';
import { fail, KernelError } from './errors.ts';
import { idrAllocCyclic, idrCommit } from './idr.ts';
import { bindableDomain, bindTask, staleBond } from './lookup.ts';
import { isStale, liveIommuProcess } from './query.ts';
import { submit } from './smmu/cmdq.ts';
import { clearCd, domainSite, writeCd, type CdSite } from './smmu/cdtable.ts';
import { cdStall, ioPgtableCd } from './smmu/cd.ts';
import { atcInv, tlbiAsid, tlbiRange } from './smmu/inv.ts';
import { eraOf } from './eras/index.ts';
import type { Bond, Device, Domain, IommuProcess, Process } from './state.ts';

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
export function bindShared(c: KCtx, dev: Device, procName: string): number {
  const devName = dev.name;
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
    domainSite(c, d),
    pasid,
    eraOf(c.k.era).ops.sharedCd(
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
    domainSite(c, user.domain),
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
  site: CdSite,
  pasid: number,
  asid: number,
  devices: readonly string[],
): void {
  clearCd(c, site, pasid);
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
  detachContext(c, domainSite(c, d), pasid, proc.mm.asid, [...d.devices]);
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

/**
 * The driver's unbind: iommu_process_unbind_device(dev, the PASID it holds). When the core
 * answers -ESRCH for a PASID the driver held (the process exited, §1.7), the driver drops its
 * handle all the same — the one thing that outlives a failed op, applied by the runner after it
 * has undone the op (KernelError.aftermath).
 */
export function unbindRfc(c: KCtx, dev: Device, procName: string, bond: Bond): void {
  try {
    unbindShared(c, dev, procName, bond.pasid);
  } catch (e) {
    if (!(e instanceof KernelError) || e.errno !== '-ESRCH') throw e;
    const devName = dev.name;
    throw new KernelError(e.errno, e.message, (k) => {
      const d = k.devices.get(devName);
      const left = d ? releaseBond(d, procName) : 0;
      return `${devName}'s driver ignores the -ESRCH and forgets PASID ${bond.pasid}: ${left > 0 ? `${devName} still holds it for ${left} more bind(s) of ${procName}` : `${devName} no longer holds a PASID for ${procName}`}`;
    });
  }
}

/**
 * RFCv2 exit (iommu-process.c iommu_notifier_release; linux-sva §1.3, §1.7): for every context,
 * process_exit tells the device drivers to stop using the PASID (their exit handler), the CD is
 * cleared and the TLB/ATC invalidated, the context freed — and the PASID goes back to the IDR at
 * once. The driver still holds the number until it unbinds (which then returns -ESRCH).
 */
export function releaseRfc(c: KCtx, proc: Process): void {
  const ip = liveIommuProcess(c.k, proc.name);
  if (!ip) return;
  for (const domName of [...ip.domains]) {
    const d = c.k.domains.get(domName)!;
    const ctx = d.contexts.get(proc.name)!;
    for (const dev of new Set(ctx.devices)) {
      log(
        c,
        `process_exit(${domName}, ${proc.name}): exit handler of ${dev}'s driver: stop issuing PASID ${ip.pasid} (the driver keeps the number until it unbinds)`,
      );
    }
    detachContext(c, domainSite(c, d), ip.pasid, proc.mm.asid, [...d.devices]);
    d.contexts.delete(proc.name);
    ip.domains = ip.domains.filter((n) => n !== domName);
    log(c, `process_exit(${domName}, ${proc.name}): CD ${ip.pasid} cleared; context freed`);
  }
  releaseProcess(c, ip, proc);
}

/**
 * mmu_notifier invalidate_range → process_invalidate per (domain, PASID) context (RFCv2):
 * explicit TLBI only without BTM (by VA, or the whole ASID past 512 pages without RIL), then
 * ATC_INV with the PASID on the domain's ATS devices.
 */
export function invalidateRfc(c: KCtx, proc: Process, start: bigint, end: bigint): void {
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
