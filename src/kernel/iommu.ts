// Devices, domains and attach: iommu core + arm-smmu-v3 (arm_smmu_add_device, arm_smmu_domain_alloc,
// arm_smmu_domain_finalise_s1, arm_smmu_attach_dev). Several devices may share one domain — the
// "global io-pgtable" of display, video and camera in the review thread.
import { hex } from '../engine/index.ts';
import { allocSmmuAsid } from './asid.ts';
import { log, type KCtx } from './ctx.ts';
import { fail } from './errors.ts';
import { newIoPgtable } from './iopgtable.ts';
import { allocCdTable, writeCd } from './smmu/cdtable.ts';
import { submit } from './smmu/cmdq.ts';
import { atcInv } from './smmu/inv.ts';
import { cdStall, ioPgtableCd } from './smmu/cd.ts';
import { abortSte, bypassSte, cdtableSte, writeSte } from './smmu/strtab.ts';
import type { KernelOpOf } from './ops.ts';
import type { Device, Domain } from './state.ts';

type DeviceOp = KernelOpOf<'device'>;
type DomainOp = KernelOpOf<'domain'>;

export function addDevice(c: KCtx, o: DeviceOp): void {
  const p = c.smmu.platform;
  if (c.k.devices.has(o.name)) fail('-EEXIST', `a device named ${o.name} already exists`);
  const clash = [...c.k.devices.values()].find((d) => d.sid === o.sid);
  if (clash) fail('-EBUSY', `StreamID ${hex(o.sid)} already belongs to ${clash.name}`);
  if (o.sid >= 2 ** Math.min(p.sidBits, c.k.driver.strtab.log2size))
    fail(
      '-ERANGE',
      `StreamID ${hex(o.sid)} is beyond the ${Math.min(p.sidBits, c.k.driver.strtab.log2size)}-bit stream table`,
    );
  if (o.bus === 'pci' && o.stall)
    fail('-EINVAL', 'PCIe masters cannot stall (Arm expects PCIe streams never to stall, §3.12)');
  if (o.pri && !o.ats)
    fail('-EINVAL', 'PRI needs ATS: a page request follows a failed ATS translation');
  if (o.bus === 'platform' && (o.ats || o.pri))
    fail('-EINVAL', 'ATS and PRI are PCIe capabilities');
  const dev: Device = {
    name: o.name,
    sid: o.sid,
    bus: o.bus,
    pasidBits: o.pasidBits,
    ssidBits: Math.min(o.pasidBits, p.ssidBits),
    ats: o.ats && p.ats,
    pri: o.pri && p.pri,
    stall: o.stall && p.stall !== 'none',
    domain: undefined,
    bonds: new Map(),
    nextPrg: 0,
  };
  c.k.devices.set(o.name, dev);
  writeSte(c, o.sid, abortSte());
  const caps = [
    dev.ats && 'ATS',
    dev.pri && 'PRI',
    dev.stall && 'stall',
    dev.ssidBits > 0 && `${dev.ssidBits}-bit PASIDs`,
  ]
    .filter(Boolean)
    .join(', ');
  log(
    c,
    `arm-smmu-v3: ${o.name}: StreamID ${hex(o.sid)}${caps ? ` (${caps})` : ''}; STE = abort until a domain is attached`,
  );
}

export function addDomain(c: KCtx, o: DomainOp): void {
  if (c.k.domains.has(o.name)) fail('-EEXIST', `a domain named ${o.name} already exists`);
  const granule = o.granule ?? c.k.cpu.granule;
  c.k.domains.set(o.name, {
    name: o.name,
    type: o.type,
    granule,
    devices: [],
    pgtable: undefined,
    cdtable: undefined,
    minPasid: 1,
    maxPasid: 0,
    contexts: new Map(),
  });
  log(
    c,
    `iommu: domain ${o.name} allocated (${o.type}${o.type === 'dma' ? `, ${granule === 12 ? '4K' : granule === 14 ? '16K' : '64K'} io-pgtable on first attach` : ''})`,
  );
}

/** arm_smmu_domain_finalise_s1: io-pgtable, ASID, CD table with CD 0 = the io-pgtable. */
function finalise(c: KCtx, d: Domain, dev: Device): void {
  const asid = allocSmmuAsid(c.k.driver.asids, c.smmu.platform.asidBits, c.k.profile);
  if (asid === undefined) fail('-ENOSPC', 'no free SMMU ASID');
  d.pgtable = newIoPgtable(c, d.granule, asid, `domain ${d.name}`);
  d.cdtable = allocCdTable(c, d.name, dev.ssidBits);
  d.maxPasid = dev.ssidBits > 0 ? 2 ** dev.ssidBits - 1 : 0;
  d.stall = cdStall(c, dev.stall);
  // The STE does not point at the table yet: CD 0 may be written without CFGI (§3.21.3.1).
  writeCd(c, d, 0, ioPgtableCd(c, d.pgtable, d.stall));
  log(
    c,
    `arm-smmu-v3: domain ${d.name}: io-pgtable root ${hex(d.pgtable.root)}, ASID ${asid}; ${d.cdtable.fmt} CD table at ${hex(d.cdtable.base)} (S1CDMax=${d.cdtable.s1cdmax}), PASIDs ${d.maxPasid > 0 ? `1–${d.maxPasid}` : 'none'}`,
  );
}

export function attach(c: KCtx, devName: string, domName: string): void {
  const dev = c.k.devices.get(devName) ?? fail('-ENODEV', `no device named ${devName}`);
  const d = c.k.domains.get(domName) ?? fail('-ENOENT', `no domain named ${domName}`);
  if (dev.domain === domName) fail('-EINVAL', `${devName} is already attached to ${domName}`);
  const old = dev.domain ? c.k.domains.get(dev.domain) : undefined;
  if (old && [...dev.bonds.values()].length > 0)
    fail('-EBUSY', `${devName} still has bound PASIDs; unbind them first`);
  if (d.type === 'dma' && d.cdtable && dev.ssidBits < d.cdtable.s1cdmax && d.contexts.size > 0) {
    fail(
      '-EINVAL',
      `${devName} supports ${dev.ssidBits}-bit PASIDs but ${domName} already hands out PASIDs up to ${d.maxPasid}`,
    );
  }
  // The domain's CDs are shared by its masters: CD.S=1 with a master whose STE sets S1STALLD is
  // C_BAD_CD, so masters that stall and masters that cannot never share one (as Linux since v5.14).
  if (d.type === 'dma' && d.pgtable && d.stall !== undefined && d.stall !== cdStall(c, dev.stall))
    fail(
      '-EINVAL',
      `${devName} ${dev.stall ? 'can' : 'cannot'} stall but ${domName}'s context descriptors ${d.stall ? 'stall' : 'do not'}: stalling and non-stalling masters cannot share a domain`,
    );
  if (d.type === 'dma' && !d.pgtable) finalise(c, d, dev);
  if (old) old.devices = old.devices.filter((n) => n !== devName);
  // arm_smmu_detach_dev → arm_smmu_disable_ats: the device's ATC still holds translations of the
  // old domain; one ATC_INV without SSV over the whole range empties it (PASID entries too).
  if (old?.type === 'dma' && dev.ats) {
    submit(c, [atcInv(dev.sid, undefined, 0n, 0n)], true);
    log(c, `arm-smmu-v3: ${devName} leaves ${old.name}: ATS disabled, its ATC invalidated`);
  }
  dev.domain = domName;
  dev.nested = undefined; // arm_smmu_attach_commit_vmaster: the vmaster goes with the nested domain
  if (d.type === 'identity') {
    d.devices.push(devName);
    writeSte(c, dev.sid, bypassSte());
  } else if (d.type === 'blocked') {
    d.devices.push(devName);
    writeSte(c, dev.sid, abortSte());
  } else {
    d.devices.push(devName);
    writeSte(c, dev.sid, cdtableSte(c, d.cdtable!, dev));
  }
  log(
    c,
    `iommu: ${devName} attached to ${domName}${old ? ` (was ${old.name})` : ''}: STE ${hex(dev.sid)} now ${d.type === 'dma' ? 'points at the domain CD table (S1DSS=SSID0: traffic without PASID uses CD 0)' : d.type === 'identity' ? 'bypass' : 'abort'}`,
  );
}
