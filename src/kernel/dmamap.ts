// iommu_map / iommu_unmap on a DMA domain (the RID's address space, CD 0) or on a private PASID
// context (tables: "private"), then the invalidations arm-smmu-v3 sends for an unmap, the era's
// way (EraConfig.unmapInvalidation; docs/research/eras.md §7): the 2018 driver's TLBI_NH_VA per
// leaf (walk flushes with Leaf=0 before a table is freed) + CMD_SYNC, then ATC_INV for ATS masters
// + CMD_SYNC; upstream, leaves gathered (iommu_iotlb_gather_add_page) into one range per run of
// contiguous same-size leaves, each sent by arm_smmu_tlb_inv_range_domain (TLBI + SYNC, ATC_INV +
// SYNC) — one range command with RIL — and v7.1's size cap (arm_smmu_inv_size_too_big).
import { hex, type CommandList } from '../engine/index.ts';
import { allocZeroed, log, type KCtx } from './ctx.ts';
import { eraOf } from './eras/index.ts';
import { fail } from './errors.ts';
import { freeFrames } from './frames.ts';
import {
  checkMap,
  checkMapRange,
  freeTablesOf,
  mapRange,
  unmapRange,
  type Flush,
  type Unmapped,
} from './iopgtable.ts';
import { submit } from './smmu/cmdq.ts';
import { domainMasters, siteOf } from './smmu/cdtable.ts';
import { atcInv, listToArray, tlbiAsid, tlbiRangeList } from './smmu/inv.ts';
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
    const devs = domainMasters(c, d).filter((dev) => dev.ats);
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
  // CD[pasid] is in the CD table the device's PASIDs live in (its domain's, or its own): each
  // ATS master reading that table may hold translations of this PASID.
  const dev = c.k.devices.get(t.dev)!;
  const sids = siteOf(c, dev)?.sids ?? [dev.sid];
  const bySid = new Map([...c.k.devices.values()].map((x) => [x.sid, x]));
  const devs = sids.map((sid) => bySid.get(sid)!).filter((x) => x.ats);
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
): bigint | undefined {
  const r = resolve(c, t);
  if (!prot.r && !prot.w) {
    // arm_lpae_map_pages, after its range checks: "If no access, then nothing to do" — 0.
    checkMapRange(r.pt, iova, pa ?? 0n, size);
    log(
      c,
      `iommu_map: ${r.what} IOVA ${hex(iova)}, ${hex(size)} bytes with neither IOMMU_READ nor IOMMU_WRITE: arm_lpae_map_pages returns 0 and maps nothing`,
    );
    return undefined;
  }
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
  if (flushes.length) invalidate(c, r, flushes);
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
  const how = eraOf(c.k.era).config.unmapInvalidation;
  if (how === 'per-leaf') {
    // Walk flushes complete before the tables are freed; leaf flushes come with iotlb_sync.
    if (u.walkFlushes.length) invalidate(c, r, u.walkFlushes);
    freeTablesOf(c, r.pt, u.freedTables);
    if (u.leafFlushes.length) invalidate(c, r, u.leafFlushes);
    invalidateAtc(c, r, iova, u.bytes);
  } else gathered(c, r, u, how === 'gather-capped');
  for (const b of u.buffers) freeFrames(c.k.frames, b);
  log(
    c,
    `iommu_unmap: ${r.what} IOVA ${hex(iova)}, ${hex(u.bytes)} bytes unmapped${u.freedTables.length ? `, ${u.freedTables.length} table page(s) freed` : ''}`,
  );
  return u.bytes;
}

function invalidate(c: KCtx, r: Resolved, flushes: readonly Flush[]): void {
  const p = c.smmu.platform;
  const range = (f: Flush): CommandList =>
    tlbiRangeList(r.pt.asid, f.iova, f.size, f.granule, f.leaf, p.rangeInv, r.pt.g);
  // One flush (a whole range unmapped at once): its commands made as the queue takes them, not
  // all at once (262,144 of them for 1 GB of 4 KB pages).
  submit(
    c,
    flushes.length === 1 ? range(flushes[0]!) : flushes.flatMap((f) => listToArray(range(f))),
    true,
  );
}

function invalidateAtc(c: KCtx, r: Resolved, iova: bigint, size: bigint): void {
  const cmds = r.atc.map(({ dev, ssid }) => atcInv(dev.sid, ssid, iova, size));
  if (cmds.length) submit(c, cmds, true);
}

/**
 * Upstream: each walk flush (arm_smmu_tlb_inv_walk) at once, then the leaves gathered — a run of
 * contiguous leaves of one size is one iommu_iotlb_sync — each sent by
 * arm_smmu_tlb_inv_range_domain: TLBI (range-encoded with RIL) + SYNC, then ATC_INV + SYNC.
 * `capped` (v7.1 arm_smmu_domain_inv_range): a range of (granule/8) granules or more without RIL
 * becomes one TLBI by ASID. [M] Linux may sync a gather between walk flushes; here they come
 * first.
 */
function gathered(c: KCtx, r: Resolved, u: Unmapped, capped: boolean): void {
  const rangeInv = c.smmu.platform.rangeInv;
  const send = (iova: bigint, size: bigint, granule: bigint, leaf: boolean): void => {
    const tooBig = capped && !rangeInv && size >= (granule / 8n) * granule;
    submit(
      c,
      tooBig
        ? [tlbiAsid(r.pt.asid)]
        : tlbiRangeList(r.pt.asid, iova, size, granule, leaf, rangeInv, r.pt.g),
      true,
    );
    invalidateAtc(c, r, iova, size);
  };
  for (const f of u.walkFlushes) send(f.iova, f.size, f.granule, false);
  freeTablesOf(c, r.pt, u.freedTables);
  let run: { iova: bigint; size: bigint; pgsize: bigint } | undefined;
  for (const f of u.leafFlushes) {
    if (run && run.pgsize === f.size && run.iova + run.size === f.iova) {
      run.size += f.size;
      continue;
    }
    if (run) send(run.iova, run.size, run.pgsize, true);
    run = { iova: f.iova, size: f.size, pgsize: f.size };
  }
  if (run) send(run.iova, run.size, run.pgsize, true);
  if (u.leafFlushes.length > 1)
    log(
      c,
      `iommu_iotlb_gather_add_page: ${u.leafFlushes.length} leaves gathered; arm_smmu_iotlb_sync sends one range per run of contiguous leaves of one size${rangeInv ? ' (one range TLBI with RIL)' : ''}`,
    );
}
