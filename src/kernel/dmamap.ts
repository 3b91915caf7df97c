// iommu_map / iommu_unmap on a DMA domain (the RID's address space, CD 0) or on a private PASID
// context (tables: "private"), then the invalidations arm-smmu-v3 sends for an unmap:
// TLBI_NH_VA per leaf (walk flushes with Leaf=0 before a table is freed) + CMD_SYNC, then
// ATC_INV for ATS masters + CMD_SYNC (arm_smmu_tlb_inv_range_domain, arm_smmu_atc_inv_domain).
import { hex, type Command } from '../engine/index.ts';
import { allocZeroed, log, type KCtx } from './ctx.ts';
import { fail } from './errors.ts';
import { freeFrames } from './frames.ts';
import { checkMap, freeTablesOf, mapRange, unmapRange, type Flush } from './iopgtable.ts';
import { submit } from './smmu/cmdq.ts';
import { atcInv, tlbiRange } from './smmu/inv.ts';
import type { MapTarget } from './ops.ts';
import { privateKey, type Device, type IoPgtable } from './state.ts';
import type { Perms } from './vocab.ts';

interface Resolved {
  readonly pt: IoPgtable;
  /** Devices whose ATCs may hold these translations, and the PASID they use (undefined = RID). */
  readonly atc: { dev: Device; ssid: number | undefined }[];
  readonly what: string;
}

function resolve(c: KCtx, t: MapTarget): Resolved {
  if (t.kind === 'domain') {
    const d = c.k.domains.get(t.domain) ?? fail('-ENOENT', `no domain named ${t.domain}`);
    if (d.type !== 'dma')
      fail('-EINVAL', `${t.domain} is an ${d.type} domain: it has no io-pgtable`);
    if (!d.pgtable) fail('-EINVAL', `${t.domain} has no io-pgtable yet: attach a device first`);
    const devs = d.devices.map((n) => c.k.devices.get(n)!).filter((dev) => dev.ats);
    return {
      pt: d.pgtable,
      atc: devs.map((dev) => ({ dev, ssid: undefined })),
      what: `domain ${t.domain}`,
    };
  }
  const p =
    c.k.privates.get(privateKey(t.dev, t.proc)) ??
    fail(
      '-EINVAL',
      `${t.dev} has no private PASID context for ${t.proc} (bind with tables: "private")`,
    );
  // CD[pasid] is in the domain's CD table, reachable by every master of the domain: each ATS
  // master's ATC may hold translations of this PASID.
  const d = c.k.domains.get(c.k.devices.get(t.dev)!.domain ?? '');
  const devs = (d?.devices ?? [t.dev]).map((n) => c.k.devices.get(n)!).filter((x) => x.ats);
  return {
    pt: p.pgtable,
    atc: devs.map((dev) => ({ dev, ssid: p.pasid })),
    what: `PASID ${p.pasid} of ${t.dev} (${t.proc})`,
  };
}

export function iommuMap(
  c: KCtx,
  t: MapTarget,
  iova: bigint,
  size: bigint,
  prot: Perms,
  pa: bigint | undefined,
): bigint {
  const r = resolve(c, t);
  if (!prot.r && !prot.w) fail('-EINVAL', 'a mapping needs at least read or write permission');
  checkMap(r.pt, iova, pa ?? 0n, size);
  let target = pa;
  if (target === undefined) {
    target = allocZeroed(c, size, 'dma-buffer', `DMA buffer at IOVA ${hex(iova)} of ${r.what}`);
    r.pt.buffers.set(target, size);
  }
  const flushes = mapRange(
    c,
    r.pt,
    iova,
    target,
    size,
    prot,
    pa === undefined ? target : undefined,
  );
  if (flushes.length) invalidate(c, r, flushes, true);
  log(
    c,
    `iommu_map: ${r.what} IOVA ${hex(iova)}–${hex(iova + size - 1n)} → PA ${hex(target)} (${prot.r ? 'R' : ''}${prot.w ? 'W' : ''}${prot.x ? 'X' : ''})`,
  );
  return target;
}

export function iommuUnmap(c: KCtx, t: MapTarget, iova: bigint, size: bigint): bigint {
  const r = resolve(c, t);
  const u = unmapRange(c, r.pt, iova, size);
  if (u.bytes === 0n) fail('-EINVAL', `nothing is mapped at IOVA ${hex(iova)} in ${r.what}`);
  for (const n of u.notes) log(c, n);
  // Walk flushes complete before the tables are freed; leaf flushes come with iotlb_sync.
  if (u.walkFlushes.length) invalidate(c, r, u.walkFlushes, false);
  freeTablesOf(c, r.pt, u.freedTables);
  if (u.leafFlushes.length) invalidate(c, r, u.leafFlushes, false);
  invalidateAtc(c, r, iova, u.bytes);
  for (const b of u.buffers) freeFrames(c.k.frames, b);
  log(
    c,
    `iommu_unmap: ${r.what} IOVA ${hex(iova)}, ${hex(u.bytes)} bytes unmapped${u.freedTables.length ? `, ${u.freedTables.length} table page(s) freed` : ''}`,
  );
  return u.bytes;
}

function invalidate(c: KCtx, r: Resolved, flushes: readonly Flush[], sync: boolean): void {
  const p = c.smmu.platform;
  const cmds: Command[] = [];
  for (const f of flushes)
    for (const c of tlbiRange(r.pt.asid, f.iova, f.size, f.granule, f.leaf, p.rangeInv, r.pt.g))
      cmds.push(c);
  submit(c, cmds, true);
  void sync;
}

function invalidateAtc(c: KCtx, r: Resolved, iova: bigint, size: bigint): void {
  const cmds = r.atc.map(({ dev, ssid }) => atcInv(dev.sid, ssid, iova, size));
  if (cmds.length) submit(c, cmds, true);
}
