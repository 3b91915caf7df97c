// Devices, domains and attach: iommu core + arm-smmu-v3 (arm_smmu_add_device, arm_smmu_domain_alloc,
// arm_smmu_domain_finalise_s1, arm_smmu_attach_dev). Several devices may share one domain — the
// "global io-pgtable" of display, video and camera in the review thread.
import { hex } from '../engine/index.ts';
import { allocSmmuAsid } from './asid.ts';
import { log, type KCtx } from './ctx.ts';
import { fail } from './errors.ts';
import { newIoPgtable } from './iopgtable.ts';
import { eraOf } from './eras/index.ts';
import { allocCdTable, clearCd, domainSite, masterSite, writeCd } from './smmu/cdtable.ts';
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

/**
 * arm_smmu_domain_finalise_s1: io-pgtable and ASID; domain-owned eras also the CD table, sized
 * by this first master, with CD 0 = the io-pgtable.
 */
function finalise(c: KCtx, d: Domain, dev: Device): void {
  const era = eraOf(c.k.era);
  const asid = allocSmmuAsid(c.k.driver.asids, c.smmu.platform.asidBits, era.config.smmuAsids);
  if (asid === undefined) fail('-ENOSPC', 'no free SMMU ASID');
  d.pgtable = newIoPgtable(c, d.granule, asid, `domain ${d.name}`);
  if (era.config.cdTables === 'master') {
    log(c, `arm-smmu-v3: domain ${d.name}: io-pgtable root ${hex(d.pgtable.root)}, ASID ${asid}`);
    return;
  }
  d.cdtable = allocCdTable(c, `domain ${d.name}`, dev.ssidBits);
  d.maxPasid = dev.ssidBits > 0 ? 2 ** dev.ssidBits - 1 : 0;
  d.stall = cdStall(c, dev.stall);
  // The STE does not point at the table yet: CD 0 may be written without CFGI (§3.21.3.1).
  writeCd(c, domainSite(c, d), 0, ioPgtableCd(c, d.pgtable, d.stall));
  log(
    c,
    `arm-smmu-v3: domain ${d.name}: io-pgtable root ${hex(d.pgtable.root)}, ASID ${asid}; ${d.cdtable.fmt} CD table at ${hex(d.cdtable.base)} (S1CDMax=${d.cdtable.s1cdmax}), PASIDs ${d.maxPasid > 0 ? `1–${d.maxPasid}` : 'none'}`,
  );
}

/**
 * v6.7+: the master's own CD table (arm_smmu_alloc_cd_tables, sized by its SSID bits, on its
 * first attach to a paging domain) and its CD 0 = the domain's io-pgtable. Written through the
 * era's writer when the STE already points at the table (`live`) or the era syncs that first
 * write (v6.7: arm_smmu_write_ctx_desc → arm_smmu_sync_cd); [M] v6.11+ Linux syncs it too, but
 * the model, like its mainline profile before eras, sends nothing for a CD the SMMU cannot reach.
 */
function masterCd0(c: KCtx, d: Domain, dev: Device, live: boolean): void {
  if (!dev.cdtable) {
    dev.cdtable = allocCdTable(c, dev.name, dev.ssidBits);
    log(
      c,
      `arm-smmu-v3: ${dev.name}: its own ${dev.cdtable.fmt} CD table at ${hex(dev.cdtable.base)} (S1CDMax=${dev.cdtable.s1cdmax}, arm_smmu_alloc_cd_tables)`,
    );
  }
  const site = masterSite(dev);
  const words = ioPgtableCd(c, d.pgtable!, cdStall(c, dev.stall));
  const synced = live || eraOf(c.k.era).config.cd0Sync;
  writeCd(c, synced ? site : { ...site, sids: [] }, 0, words);
}

/** The attach checks of the era (arm_smmu_attach_dev) for a paging domain that has a CD table. */
function checkSharedTable(c: KCtx, dev: Device, d: Domain): void {
  const checks = eraOf(c.k.era).config.attachChecks;
  if (d.type !== 'dma' || !d.cdtable || checks === 'none') return;
  if (checks === 'exact' && dev.ssidBits !== d.cdtable.s1cdmax)
    fail(
      '-EINVAL',
      `cannot attach to incompatible domain (${d.cdtable.s1cdmax} SSID bits != ${dev.ssidBits}): ${d.name}'s CD table is shared by its masters and sized for ${d.cdtable.s1cdmax}-bit SSIDs (arm_smmu_attach_dev)`,
    );
  if (checks === 'in-use' && dev.ssidBits < d.cdtable.s1cdmax && d.contexts.size > 0)
    fail(
      '-EINVAL',
      `${dev.name} supports ${dev.ssidBits}-bit PASIDs but ${d.name} already hands out PASIDs up to ${d.maxPasid}`,
    );
  // The domain's CDs are shared by its masters: CD.S=1 with a master whose STE sets S1STALLD is
  // C_BAD_CD, so masters that stall and masters that cannot never share one (as Linux v5.14–v6.6).
  if (d.stall !== undefined && d.stall !== cdStall(c, dev.stall))
    fail(
      '-EINVAL',
      `${dev.name} ${dev.stall ? 'can' : 'cannot'} stall but ${d.name}'s context descriptors ${d.stall ? 'stall' : 'do not'}: stalling and non-stalling masters cannot share a domain`,
    );
}

export function attach(c: KCtx, devName: string, domName: string): void {
  const dev = c.k.devices.get(devName) ?? fail('-ENODEV', `no device named ${devName}`);
  const d = c.k.domains.get(domName) ?? fail('-ENOENT', `no domain named ${domName}`);
  if (dev.domain === domName) fail('-EINVAL', `${devName} is already attached to ${domName}`);
  const old = dev.domain ? c.k.domains.get(dev.domain) : undefined;
  if (old && [...dev.bonds.values()].length > 0)
    fail('-EBUSY', `${devName} still has bound PASIDs; unbind them first`);
  checkSharedTable(c, dev, d);
  const perMaster = eraOf(c.k.era).config.cdTables === 'master';
  if (d.type === 'dma' && !d.pgtable) finalise(c, d, dev);
  if (old) old.devices = old.devices.filter((n) => n !== devName);
  // arm_smmu_detach_dev → arm_smmu_disable_ats: the device's ATC still holds translations of the
  // old domain; one ATC_INV without SSV over the whole range empties it (PASID entries too).
  if (old?.type === 'dma' && dev.ats) {
    submit(c, [atcInv(dev.sid, undefined, 0n, 0n)], true);
    log(c, `arm-smmu-v3: ${devName} leaves ${old.name}: ATS disabled, its ATC invalidated`);
  }
  // v6.7 arm_smmu_detach_dev ("Move CD table to arm_smmu_master", v6.7): the STE is reinstalled
  // without a domain (abort, disable_bypass) and CD 0 cleared, because arm_smmu_write_ctx_desc on
  // the next attach expects an empty entry (for a live one it would swap only the ASID).
  const detachClears =
    perMaster && old?.type === 'dma' && eraOf(c.k.era).config.cdWriter === 'ctxdesc';
  if (detachClears) {
    writeSte(c, dev.sid, abortSte());
    clearCd(c, masterSite(dev), 0);
  }
  dev.domain = domName;
  d.devices.push(devName);
  if (d.type === 'identity') writeSte(c, dev.sid, bypassSte());
  else if (d.type === 'blocked') writeSte(c, dev.sid, abortSte());
  else {
    if (perMaster) masterCd0(c, d, dev, old?.type === 'dma' && !detachClears);
    writeSte(c, dev.sid, cdtableSte(c, perMaster ? dev.cdtable! : d.cdtable!, dev));
  }
  // A master's own table keeps no CD 0 once it leaves its paging domain (v6.11
  // arm_smmu_attach_dev_ste → arm_smmu_clear_cd, after the new STE is in place).
  if (perMaster && old?.type === 'dma' && d.type !== 'dma' && dev.cdtable && !detachClears)
    clearCd(c, masterSite(dev), 0);
  log(
    c,
    `iommu: ${devName} attached to ${domName}${old ? ` (was ${old.name})` : ''}: STE ${hex(dev.sid)} now ${d.type === 'dma' ? `points at ${perMaster ? `${devName}'s own` : 'the domain'} CD table (S1DSS=SSID0: traffic without PASID uses CD 0)` : d.type === 'identity' ? 'bypass' : 'abort'}`,
  );
}
