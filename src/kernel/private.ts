// PASID without shared page tables (the review thread's Snapdragon GPU case): a private
// io-pgtable with its own SMMU ASID at CD[PASID], filled by map/unmap with dev + proc.
// 2018's unmerged "private io_mm" / today's "attach a paging domain to a PASID" (linux-sva §3.9).
import { hex } from '../engine/index.ts';
import { allocSmmuAsid, freeAsid } from './asid.ts';
import { log, type KCtx } from './ctx.ts';
import { fail } from './errors.ts';
import { freeFrames } from './frames.ts';
import { idaAllocLowest, idaCommit, idrAllocCyclic, idrCommit } from './idr.ts';
import { newIoPgtable } from './iopgtable.ts';
import { bindableDomain, bindTask, detachContext, staleBond } from './process.ts';
import { isStale } from './query.ts';
import { writeCd } from './smmu/cdtable.ts';
import { cdStall, ioPgtableCd } from './smmu/cd.ts';
import { privateKey, type Device } from './state.ts';

export function bindPrivate(c: KCtx, devName: string, procName: string): number {
  const dev = c.k.devices.get(devName) ?? fail('-ENODEV', `no device named ${devName}`);
  bindTask(c, procName);
  const d = bindableDomain(c, dev);
  const held = dev.bonds.get(procName);
  if (held && isStale(c.k, procName, held)) staleBond(c, devName, procName, held.pasid);
  if (held) fail('-EEXIST', `${devName} is already bound to ${procName}`);
  if (d.maxPasid === 0) fail('-ENOSPC', `${d.name} has no PASIDs`);
  // rfc2017: the cyclic IDR; mainline: iommu_alloc_global_pasid, the lowest free (linux-sva §3.9).
  const mainline = c.k.profile === 'mainline';
  const pasid =
    (mainline ? idaAllocLowest : idrAllocCyclic)(c.k.idr, d.minPasid, d.maxPasid) ??
    fail('-ENOSPC', `no free PASID in ${d.minPasid}–${d.maxPasid}`);
  const asid =
    allocSmmuAsid(c.k.driver.asids, c.smmu.platform.asidBits, c.k.profile) ??
    fail('-ENOSPC', 'no free SMMU ASID');
  const owner = { kind: 'private', dev: devName, proc: procName } as const;
  if (mainline) idaCommit(c.k.idr, pasid, owner);
  else idrCommit(c.k.idr, pasid, owner);
  const pgtable = newIoPgtable(c, c.k.cpu.granule, asid, `${devName}/${procName} PASID ${pasid}`);
  c.k.privates.set(privateKey(devName, procName), { dev: devName, proc: procName, pasid, pgtable });
  dev.bonds.set(procName, { pasid, tables: 'private' });
  writeCd(c, d, pasid, ioPgtableCd(c, pgtable, cdStall(c, dev.stall)));
  log(
    c,
    `bind ${devName} ↔ ${procName} with private tables: PASID ${pasid}, io-pgtable root ${hex(pgtable.root)}, SMMU ASID ${asid} (ASET=1); nothing of ${procName}'s mm is shared`,
  );
  return pasid;
}

export function unbindPrivate(c: KCtx, dev: Device, procName: string): void {
  const key = privateKey(dev.name, procName);
  const p = c.k.privates.get(key)!;
  const d = c.k.domains.get(dev.domain!)!;
  // CD[pasid] sits in the domain's CD table: any ATS master of the domain may have used it and
  // cached translations of buffers freed just below, so every one's ATC is invalidated.
  detachContext(c, d, p.pasid, p.pgtable.asid, [...d.devices]);
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
