// io-pgtable-arm for SMMUv3 stage 1 (drivers/iommu/io-pgtable-arm.c): map/unmap with the page
// size iommu_map picks (drivers/iommu/iommu.c iommu_pgsize), tables allocated on demand and freed
// when an unmap covers them, and the invalidations io-pgtable asks the driver for.
// docs/research/linux-facts.md §1–§2.
import { hex, hex64, ones, type GranuleShift } from '../engine/index.ts';
import { CowMap } from './cowMap.ts';
import { allocZeroed, log, type KCtx } from './ctx.ts';
import { eraOf } from './eras/index.ts';
import { fail } from './errors.ts';
import { freeFrames } from './frames.ts';
import { geometry, leafSize, slotAt, subtables, tableBytes, type Geometry } from './pgtable.ts';
import type { IoLeaf, IoPgtable } from './state.ts';
import type { Perms } from './vocab.ts';

export { IOPGTABLE_MAIR } from './iopgtableMair.ts';

/** Page sizes io-pgtable allows per granule (arm_lpae_restrict_pgsizes): 4K|2M|1G, 16K|32M, 64K|512M. */
export function pgsizeShifts(g: GranuleShift): number[] {
  return g === 12 ? [30, 21, 12] : g === 14 ? [25, 14] : [29, 16];
}

export const geometryOf = (pt: IoPgtable): Geometry => geometry(pt.g, pt.ias);

export function newIoPgtable(c: KCtx, g: GranuleShift, asid: number, label: string): IoPgtable {
  const geo = geometry(g, 48);
  const root = allocZeroed(
    c,
    tableBytes(geo, geo.startLevel) < 0x1000n ? 0x1000n : tableBytes(geo, geo.startLevel),
    'iopgtable',
    `io-pgtable root of ${label}`,
  );
  return {
    root,
    g,
    ias: 48,
    oas: Math.min(48, c.smmu.platform.oas),
    startLevel: geo.startLevel,
    asid,
    mair: eraOf(c.k.era).config.iopgtableMair,
    tables: [root],
    leaves: new CowMap(),
    buffers: new CowMap(),
  };
}

/** arm_lpae_prot_to_pte + __arm_lpae_init_pte for IOMMU_READ/WRITE/NOEXEC/CACHE. */
export function ioPte(c: KCtx, pa: bigint, prot: Perms, level: number): bigint {
  let pte =
    pa |
    (1n << 11n) /* nG */ |
    (1n << 6n) /* AP[1]: unprivileged */ |
    (1n << 10n) /* AF */ |
    (1n << 2n); /* AttrIndx 1: cacheable */
  pte |= 3n << 8n; // SH = inner shareable (2018: every leaf; today: cacheable leaves)
  if (!prot.w) pte |= 1n << 7n; // AP[2]: read-only
  if (!prot.x) pte |= 3n << 53n; // XN
  pte |= level === 3 ? 3n : 1n; // page or block
  void c;
  return pte;
}

/** Largest allowed page size that fits the alignment of iova|pa and the remaining size. */
export function pickPgsize(g: GranuleShift, iova: bigint, pa: bigint, size: bigint): number {
  for (const s of pgsizeShifts(g)) {
    const bytes = 1n << BigInt(s);
    if (bytes <= size && ((iova | pa) & (bytes - 1n)) === 0n) return s;
  }
  return g;
}

const levelOfShift = (geo: Geometry, shift: number): number => 3 - (shift - geo.g) / (geo.g - 3);

/** Leaves one map may write: a simulator limit (2^20, 4 GB of 4 KB pages). */
export const MAX_MAP_LEAVES = 1 << 20;

/** How many leaves mapping [iova, iova+size) → pa takes (iommu_pgsize's choices), up to `limit` + 1. */
function leafCount(g: GranuleShift, iova: bigint, pa: bigint, size: bigint, limit: number): number {
  let n = 0;
  for (let off = 0n; off < size && n <= limit; n++)
    off += 1n << BigInt(pickPgsize(g, iova + off, pa + off, size - off));
  return n;
}

/** arm_lpae_map_pages' first checks: the IOVA and PA ranges fit the tables' sizes (-ERANGE). */
export function checkMapRange(pt: IoPgtable, iova: bigint, pa: bigint, size: bigint): void {
  if (iova + size > 1n << BigInt(pt.ias))
    fail('-ERANGE', `IOVA range ends beyond the ${pt.ias}-bit input size`);
  if (pa + size > 1n << BigInt(pt.oas))
    fail('-ERANGE', `physical range ends beyond the ${pt.oas}-bit output size`);
}

/** Check phase of iommu_map: everything that can fail, before anything is written. */
export function checkMap(pt: IoPgtable, iova: bigint, pa: bigint, size: bigint): void {
  checkMapRange(pt, iova, pa, size);
  if (leafCount(pt.g, iova, pa, size, MAX_MAP_LEAVES) > MAX_MAP_LEAVES)
    fail(
      '-ENOMEM',
      `${hex(size)} bytes from IOVA ${hex(iova)} to PA ${hex(pa)} take more than ${MAX_MAP_LEAVES} leaves; the model maps at most that many in one op (a simulator limit, not Linux's)`,
    );
  for (const [base, l] of pt.leaves) {
    if (base < iova + size && iova < base + l.size)
      fail('-EEXIST', `IOVA ${hex(base)} is already mapped`);
  }
}

export interface Flush {
  readonly iova: bigint;
  readonly size: bigint;
  readonly granule: bigint;
  readonly leaf: boolean;
}

/** Commit phase of iommu_map: writes the leaves (allocating tables). Returns tables freed on the way. */
export function mapRange(
  c: KCtx,
  pt: IoPgtable,
  iova: bigint,
  pa: bigint,
  size: bigint,
  prot: Perms,
  buffer: bigint | undefined,
): Flush[] {
  const geo = geometryOf(pt);
  const flushes: Flush[] = [];
  let own: Set<bigint> | undefined;
  let off = 0n;
  while (off < size) {
    const shift = pickPgsize(pt.g, iova + off, pa + off, size - off);
    const level = levelOfShift(geo, shift);
    const slot = slotAt(c.mem, geo, pt.root, iova + off, level, (l) => {
      const t = allocZeroed(
        c,
        1n << BigInt(pt.g),
        'iopgtable',
        `io-pgtable L${l} table (ASID ${pt.asid})`,
      );
      pt.tables.push(t);
      return { pa: t, desc: t | 3n };
    });
    if (slot.level < level || (slot.level === level && leafAt(slot.level, slot.desc)))
      // Only a hardware-level write puts a leaf where checkMap saw nothing mapped.
      fail(
        '-EEXIST',
        `io-pgtable: ${hex(iova + off)} already has a level-${slot.level} leaf ${hex64(slot.desc)} at ${hex(slot.pa)} that the kernel did not map (written behind its back): __arm_lpae_map WARNs and refuses (-EEXIST)`,
      );
    if (slot.level === level && level < 3 && (slot.desc & 3n) === 3n) {
      // A leftover (empty) table where a block goes: invalidate the walk, free it (arm_lpae_init_pte).
      const table = slot.desc & ones(48) & ~ones(pt.g);
      const freed = subtables(c.mem, geo, table, level + 1, (own ??= ownTables(pt)));
      foreignNotes(c, freed.foreign);
      c.mem.write64(slot.pa, 0n);
      flushes.push({
        iova: iova + off,
        size: 1n << BigInt(shift),
        granule: 1n << BigInt(pt.g),
        leaf: false,
      });
      freeTablesOf(c, pt, freed.tables);
    }
    c.mem.write64(slot.pa, ioPte(c, pa + off, prot, level));
    pt.leaves.set(iova + off, { pa: pa + off, size: 1n << BigInt(shift), prot, buffer });
    off += 1n << BigInt(shift);
  }
  return flushes;
}

export interface Unmapped {
  readonly bytes: bigint;
  /** Invalidations in the order io-pgtable requested them: walk flushes (Leaf=0) first, then leaves. */
  readonly walkFlushes: Flush[];
  readonly leafFlushes: Flush[];
  readonly freedTables: bigint[];
  /** DMA buffers no longer mapped anywhere (freed after the invalidation completes). */
  readonly buffers: bigint[];
  readonly notes: string[];
}

/**
 * iommu_unmap → __arm_lpae_unmap per chunk. A whole table-sized range clears the table entry and
 * frees the table after a walk flush; part of a block is split (≤ v6.12) or removes the whole
 * block (v6.13+, commit 33729a5fc0ca) — the era's EraConfig.partialBlockUnmap.
 */
export function unmapRange(c: KCtx, pt: IoPgtable, iova: bigint, size: bigint): Unmapped {
  const geo = geometryOf(pt);
  const out: Unmapped = {
    bytes: 0n,
    walkFlushes: [],
    leafFlushes: [],
    freedTables: [],
    buffers: [],
    notes: [],
  };
  let own: Set<bigint> | undefined;
  let bytes = 0n;
  while (bytes < size) {
    const a = iova + bytes;
    const shift = pickPgsize(pt.g, a, a, size - bytes);
    const level = levelOfShift(geo, shift);
    const slot = slotAt(c.mem, geo, pt.root, a, level);
    if ((slot.desc & 1n) === 0n) break; // nothing mapped here: iommu_unmap stops early
    const chunk = leafSize(geo, slot.level);
    if (slot.level < level) {
      // A block bigger than the request.
      const base = a & ~(chunk - 1n);
      const leaf = pt.leaves.get(base);
      if (eraOf(c.k.era).config.partialBlockUnmap === 'remove' || !leaf) {
        removeLeaf(c, pt, slot.pa, base, chunk, out);
        out.notes.push(
          `io-pgtable: unmapping ${hex(1n << BigInt(shift))} inside the ${hex(chunk)} block at ${hex(base)} removes the whole block (v6.13+)`,
        );
        bytes = base + chunk - iova;
        continue;
      }
      splitBlock(c, pt, geo, slot.pa, slot.level, base, leaf);
      out.notes.push(
        `io-pgtable: block at ${hex(base)} split into a level-${slot.level + 1} table to unmap ${hex(1n << BigInt(shift))} (arm_lpae_split_blk_unmap)`,
      );
      continue;
    }
    if (level < 3 && (slot.desc & 3n) === 3n) {
      const table = slot.desc & ones(48) & ~ones(pt.g);
      c.mem.write64(slot.pa, 0n);
      out.walkFlushes.push({ iova: a, size: chunk, granule: 1n << BigInt(pt.g), leaf: false });
      releaseLeavesIn(pt, a, chunk, out);
      const sub = subtables(c.mem, geo, table, level + 1, (own ??= ownTables(pt)));
      for (const t of sub.tables) out.freedTables.push(t);
      for (const t of sub.foreign) out.notes.push(foreignNote(t));
    } else {
      removeLeaf(c, pt, slot.pa, a, chunk, out);
    }
    bytes += chunk;
  }
  return { ...out, bytes };
}

/**
 * Forgets the leaves in [start, start+size) of a table being freed: probing each granule of the
 * range, or one pass over the leaves when the range has a good share of them (a pass costs less
 * per leaf than a lookup and a delete).
 */
function releaseLeavesIn(pt: IoPgtable, start: bigint, size: bigint, out: Unmapped): void {
  const step = 1n << BigInt(pt.g);
  if ((size / step) * 4n < BigInt(pt.leaves.size)) {
    for (let base = start; base < start + size; base += step) {
      const l = pt.leaves.get(base);
      if (l) releaseLeaf(pt, base, l, out);
    }
    return;
  }
  const end = start + size;
  pt.leaves.deleteWhere((base, l) => {
    if (base < start || base >= end) return false;
    releaseBuffer(pt, l, out);
    return true;
  });
}

function releaseLeaf(pt: IoPgtable, base: bigint, l: IoLeaf, out: Unmapped): void {
  pt.leaves.delete(base);
  releaseBuffer(pt, l, out);
}

/** A leaf is gone: what it mapped of its DMA buffer is no longer mapped; the last leaf frees it. */
function releaseBuffer(pt: IoPgtable, l: IoLeaf, out: Unmapped): void {
  if (l.buffer === undefined) return;
  const left = (pt.buffers.get(l.buffer) ?? 0n) - l.size;
  if (left > 0n) pt.buffers.set(l.buffer, left);
  else {
    pt.buffers.delete(l.buffer);
    out.buffers.push(l.buffer);
  }
}

function removeLeaf(
  c: KCtx,
  pt: IoPgtable,
  slotPa: bigint,
  base: bigint,
  size: bigint,
  out: Unmapped,
): void {
  c.mem.write64(slotPa, 0n);
  out.leafFlushes.push({ iova: base, size, granule: size, leaf: true });
  const l = pt.leaves.get(base);
  if (l) releaseLeaf(pt, base, l, out);
}

function splitBlock(
  c: KCtx,
  pt: IoPgtable,
  geo: Geometry,
  slotPa: bigint,
  level: number,
  base: bigint,
  leaf: IoLeaf,
): void {
  const table = allocZeroed(
    c,
    1n << BigInt(pt.g),
    'iopgtable',
    `io-pgtable L${level + 1} table from a split block (ASID ${pt.asid})`,
  );
  pt.tables.push(table);
  const sub = leafSize(geo, level + 1);
  const n = Number(leaf.size / sub);
  for (let i = 0; i < n; i++)
    c.mem.write64(table + BigInt(i * 8), ioPte(c, leaf.pa + BigInt(i) * sub, leaf.prot, level + 1));
  c.mem.write64(slotPa, table | 3n);
  pt.leaves.delete(base);
  for (let i = 0; i < n; i++)
    pt.leaves.set(base + BigInt(i) * sub, {
      pa: leaf.pa + BigInt(i) * sub,
      size: sub,
      prot: leaf.prot,
      buffer: leaf.buffer,
    });
}

/** The io-pgtable's own tables below its root: the ones a subtree free may release. */
function ownTables(pt: IoPgtable): Set<bigint> {
  const own = new Set(pt.tables);
  own.delete(pt.root);
  return own;
}

const foreignNote = (t: bigint): string =>
  `io-pgtable: a table descriptor points at ${hex(t)}, which is not a table of this io-pgtable (written behind the kernel's back): not followed, not freed (Linux's __arm_lpae_free_pgtable would free it)`;

function foreignNotes(c: KCtx, ts: readonly bigint[]): void {
  for (const t of ts) log(c, foreignNote(t));
}

/** iopte_leaf: a page at level 3 (type 0b11), a block above (type 0b01). */
const leafAt = (level: number, d: bigint): boolean => (d & 3n) === (level === 3 ? 3n : 1n);

export function freeTablesOf(c: KCtx, pt: IoPgtable, tables: readonly bigint[]): void {
  if (tables.length === 0) return;
  const gone = new Set(tables);
  pt.tables = pt.tables.filter((t) => !gone.has(t));
  for (const t of tables) freeFrames(c.k.frames, t);
}
