// PASID without shared page tables (the review thread's Snapdragon GPU case): a private
// io-pgtable with its own SMMU ASID at CD[PASID], filled by map/unmap with dev + proc.
// 2018's unmerged "private io_mm" / today's "attach a paging domain to a PASID" (linux-sva §3.9).
// The CD goes into the table the device's PASIDs live in: its domain's, or (v6.7+) its own.
import { hex } from '../engine/index.ts';
import { allocSmmuAsid, freeAsid } from './asid.ts';
import { log, type KCtx } from './ctx.ts';
import { eraOf } from './eras/index.ts';
import { fail } from './errors.ts';
import { freeFrames } from './frames.ts';
import { idaAllocLowest, idaCommit, idrAllocCyclic, idrCommit } from './idr.ts';
import { newIoPgtable } from './iopgtable.ts';
import { bindableDomain, bindTask, staleBond } from './lookup.ts';
import { isStale } from './query.ts';
import { detachContext } from './process.ts';
import { siteOf, writeCd } from './smmu/cdtable.ts';
import { cdStall, ioPgtableCd } from './smmu/cd.ts';
import { privateKey, type Device } from './state.ts';

/** The PASIDs a private context of `dev` may take: its domain's range, or its own table's. */
function pasidRange(c: KCtx, dev: Device): [number, number] {
  const d = bindableDomain(c, dev);
  if (eraOf(c.k.era).config.cdTables === 'domain') return [d.minPasid, d.maxPasid];
  return [1, dev.ssidBits > 0 ? 2 ** dev.ssidBits - 1 : 0];
}

export function bindPrivate(c: KCtx, devName: string, procName: string): number {
  const dev = c.k.devices.get(devName) ?? fail('-ENODEV', `no device named ${devName}`);
  bindTask(c, procName);
  const [min, max] = pasidRange(c, dev);
  const held = dev.bonds.get(procName);
  if (held && isStale(c.k, procName, held)) staleBond(c, devName, procName, held.pasid);
  if (held) fail('-EEXIST', `${devName} is already bound to ${procName}`);
  const d = bindableDomain(c, dev);
  if (max === 0)
    fail(
      '-ENOSPC',
      `${eraOf(c.k.era).config.cdTables === 'domain' ? d.name : devName} has no PASIDs`,
    );
  // rfc2017: the cyclic IDR; upstream: iommu_alloc_global_pasid, the lowest free (linux-sva §3.9).
  const cfg = eraOf(c.k.era).config;
  const lowest = cfg.privatePasids === 'lowest';
  const pasid =
    (lowest ? idaAllocLowest : idrAllocCyclic)(c.k.idr, min, max) ??
    fail('-ENOSPC', `no free PASID in ${min}–${max}`);
  const asid =
    allocSmmuAsid(c.k.driver.asids, c.smmu.platform.asidBits, cfg.smmuAsids) ??
    fail('-ENOSPC', 'no free SMMU ASID');
  const owner = { kind: 'private', dev: devName, proc: procName } as const;
  if (lowest) idaCommit(c.k.idr, pasid, owner);
  else idrCommit(c.k.idr, pasid, owner);
  const pgtable = newIoPgtable(c, c.k.cpu.granule, asid, `${devName}/${procName} PASID ${pasid}`);
  c.k.privates.set(privateKey(devName, procName), { dev: devName, proc: procName, pasid, pgtable });
  dev.bonds.set(procName, { pasid, tables: 'private' });
  writeCd(c, siteOf(c, dev)!, pasid, ioPgtableCd(c, pgtable, cdStall(c, dev.stall)));
  log(
    c,
    `bind ${devName} ↔ ${procName} with private tables: PASID ${pasid}, io-pgtable root ${hex(pgtable.root)}, SMMU ASID ${asid} (ASET=1); nothing of ${procName}'s mm is shared`,
  );
  return pasid;
}

export function unbindPrivate(c: KCtx, dev: Device, procName: string): void {
  const key = privateKey(dev.name, procName);
  const p = c.k.privates.get(key)!;
  const site = siteOf(c, dev)!;
  // CD[pasid] sits in that table: any ATS master reading it may have used it and cached
  // translations of buffers freed just below, so every one's ATC is invalidated.
  const bySid = new Map([...c.k.devices.values()].map((x) => [x.sid, x.name]));
  const masters = site.sids.map((sid) => bySid.get(sid)!);
  detachContext(c, site, p.pasid, p.pgtable.asid, masters);
  for (const t of p.pgtable.tables) freeFrames(c.k.frames, t);
  for (const b of p.pgtable.buffers.keys()) freeFrames(c.k.frames, b);
  freeAsid(c.k.driver.asids, p.pgtable.asid);
  c.k.idr.used.delete(p.pasid);
  c.k.privates.delete(key);
  dev.bonds.delete(procName);
  log(
    c,
    `unbind ${dev.name} ↔ ${procName}: private PASID ${p.pasid} freed with its io-pgtable (${p.pgtable.tables.length} table page(s)) and ASID ${p.pgtable.asid}`,
  );
}
