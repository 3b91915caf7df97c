// The universe of the model-based property test (model.property.test.ts): three devices (PCIe
// ATS+PRI, platform with stall, plain PCIe), five domains (two DMA domains the prefix attaches,
// a third DMA domain, an identity and a blocked one to move devices into), three processes,
// a few VA pages in a few mmapped ranges; and the platform and kernel knobs drawn per sequence
// (BTM, range invalidation, cache sizes, stall model, 4/16/64 KB CPU pages, 39/48-bit VAs, d1's
// granule, PASID and ASID allocator positions, and a small RAM that runs out).
import fc from 'fast-check';
import { hex } from '../engine/index.ts';
import { ERA_IDS, eraOf, isEraId } from '../kernel/index.ts';
import type { KernelProfile, OpDoc, ScenarioDoc } from './format.ts';
import type { World } from './world.ts';

export const DEVS = ['gpu', 'acc', 'nic'] as const;
/** Domains maps go to (d2 has an io-pgtable once a device is attached). */
export const DOMS = ['d0', 'd1', 'd2'] as const;
/** Domains a device may be moved to: the DMA domains, identity (bypass) and blocked (abort). */
export const ATTACH_DOMS = ['d0', 'd1', 'd2', 'id', 'blk'] as const;
export const PROCS = ['p0', 'p1', 'p2'] as const;

/**
 * The kernel era of the sequences: FC_PROFILE=<era id> runs them all under that era; by default
 * two variants in three run rfc2017 (the seed, with PRI and the exit handler) and every third
 * runs an upstream era, each in turn, so every era gets variants of its own.
 */
const FC_PROFILE = process.env['FC_PROFILE'];
const FORCED: KernelProfile | undefined =
  FC_PROFILE !== undefined && isEraId(FC_PROFILE) ? FC_PROFILE : undefined;
const UPSTREAM_ERAS = ERA_IDS.filter((id) => id !== 'rfc2017');
/** The era of variant `i`. */
export const variantEra = (i: number): KernelProfile =>
  FORCED ?? (i % 3 === 2 ? UPSTREAM_ERAS[((i - 2) / 3) % UPSTREAM_ERAS.length]! : 'rfc2017');

/** Platform and kernel knobs per sequence (a few are state tweaks, noted in a failure report). */
export interface Variant {
  readonly profile: KernelProfile;
  readonly btm: boolean;
  readonly rangeInv: boolean;
  readonly tlbEntries: number;
  readonly atcEntries: number;
  readonly stall: 'supported' | 'forced';
  readonly gpuPasidBits: number;
  /** The cyclic PASID IDR's cursor after the prefix (1023: PASIDs cross into the second CD leaf). */
  readonly idrStart: number;
  /** Start of the SMMU ASID allocator (62: private ASIDs collide with CPU ASIDs 64+). */
  readonly asidStart: number;
  /** CPU page size (log2) and user address bits: the geometry of the shared page tables. */
  readonly cpuGranule: 12 | 14 | 16;
  readonly vaBits: 48 | 39;
  /** Granule of d1's io-pgtable (d0 and private tables use the CPU's). */
  readonly d1Granule: 12 | 14 | 16;
  /**
   * Small RAM: platform.smmu.ramSize = 16 MB (the smallest the format allows), then DMA buffers
   * mapped into d1 until only about `leave` bytes were never handed out — so ops run out of
   * memory half-way (-ENOMEM) and the "an op that failed changed nothing" check sees them.
   */
  readonly smallRam?: { readonly leave: bigint };
}

const LEAVES = [0n, 0x4000n, 0x2_0000n];

/**
 * A fixed pool of variants drawn from the knobs (seeded, so the same every run): 48 with the
 * default 3 GB of RAM and 16 small-RAM ones (copies of the first 16 with little memory left);
 * each sequence picks one, and the world after its prefix is built once per variant and cloned.
 */
export const VARIANTS: readonly Variant[] = ((): Variant[] => {
  const base = fc
    .sample(
      fc
        .record({
          btm: fc.boolean(),
          rangeInv: fc.boolean(),
          tlbEntries: fc.constantFrom(8, 128),
          atcEntries: fc.constantFrom(4, 32),
          stall: fc.constantFrom<'supported' | 'forced'>('supported', 'supported', 'forced'),
          gpuPasidBits: fc.constantFrom(8, 12),
          idrStart: fc.constantFrom(3, 3, 1023),
          asidStart: fc.constantFrom(1, 62),
          cpuGranule: fc.constantFrom<12 | 14 | 16>(12, 12, 12, 12, 14, 16),
          vaBits: fc.constantFrom<48 | 39>(48, 48, 39),
          d1Granule: fc.constantFrom<12 | 14 | 16>(12, 12, 14, 16),
        })
        // PASIDs past 1023 only exist with 12-bit PASIDs (a two-level CD table).
        .map((v) => (v.gpuPasidBits === 8 ? { ...v, idrStart: 3 } : v)),
      { seed: 1, numRuns: 48 },
    )
    .map((v, i): Variant => ({ ...v, profile: variantEra(i) }));
  // 4 KB CPU pages (so d0 maps the big fillers as 2 MB blocks) and 64 KB pages in d1 (so the
  // small ones are a few leaves each): fewer leaves to check, copy and unmap.
  const small = base.slice(0, 16).map((v, i): Variant => ({
    ...v,
    cpuGranule: 12,
    d1Granule: 16,
    smallRam: { leave: LEAVES[i % LEAVES.length]! },
  }));
  return [...base, ...small];
})();

export const RANGES: readonly (readonly [bigint, bigint])[] = [
  [0x10000n, 0x4000n],
  [0x10000n, 0x2000n],
  [0x11000n, 0x2000n],
  [0x13000n, 0x1000n],
  [0x40000n, 0x2000n],
  [0x41000n, 0x1000n],
  [0x300000n, 0x1000n],
];
/** Ranges for pin / unpin / reclaim: small and overlapping, so unpins are often partial. */
export const PIN_RANGES: readonly (readonly [bigint, bigint])[] = [
  [0x10000n, 0x1000n],
  [0x10000n, 0x2000n],
  [0x11000n, 0x1000n],
  [0x40000n, 0x1000n],
];
export const VAS = [
  0x10000n,
  0x11000n,
  0x12008n,
  0x13000n,
  0x40000n,
  0x41ff8n,
  0x300000n,
  0x50000n,
];
export const IOVA_MAPS: readonly (readonly [bigint, bigint])[] = [
  [0x100000n, 0x1000n],
  [0x100000n, 0x2000n],
  [0x101000n, 0x1000n],
  [0x104000n, 0x4000n],
  [0x200000n, 0x200000n], // a 2 MB block
  [0x200000n, 0x200000n],
  [0x201000n, 0x1000n], // inside the block: unmapping it splits the block (rfc2017)
  [0x201000n, 0x1000n],
  [0x10000n, 0x2000n], // private tables: the same IOVAs as the process VAs
  [0x12000n, 0x1000n],
];
export const IOVAS = [0x100000n, 0x101008n, 0x104000n, 0x200000n, 0x3ff000n, 0x10000n, 0x12000n];
export const PROTS = ['r', 'rw', 'rw', 'rx', 'w', 'rwx', 'x'];
export const ACCESS = ['r', 'r', 'w', 'w', 'x'] as const;

export const x = (n: bigint): string => hex(n);

/** PASIDs a device access may carry: none, the first few the IDR hands out, and 1–3. */
export const pasidOf = (v: Variant, choice: number | null): number | undefined =>
  choice === null ? undefined : choice < 3 ? v.idrStart + choice : choice - 2; // 1-3: the prefix's

// Addresses above are written for 4 KB pages. With larger CPU pages the CPU-side ones (VMAs,
// touches, pins, private IOVAs) are scaled by pageSize/4K, which keeps their layout; domain
// IOVAs are aligned to the domain's granule instead (scaling would make 32 MB buffers).
export const GRANULE_NAME = { 12: '4K', 14: '16K', 16: '64K' } as const;
export const scaled = (v: Variant, a: bigint): bigint => a << BigInt(v.cpuGranule - 12);
/** d1's granule is a knob; every other domain (and private tables) use the CPU's. */
export const granuleOf = (v: Variant, t: { domain?: string | undefined }): number =>
  t.domain === 'd1' ? v.d1Granule : v.cpuGranule;
const hexScaled = (v: Variant, s: string): string => x(scaled(v, BigInt(s)));

/** An op document written for 4 KB pages, in the variant's units. */
export function adapt(v: Variant, o: OpDoc): OpDoc {
  switch (o.op) {
    case 'mmap':
    case 'munmap':
    case 'mprotect':
    case 'pin':
    case 'unpin':
    case 'reclaim':
      return { ...o, addr: hexScaled(v, o.addr), size: hexScaled(v, o.size) };
    case 'touch':
      return { ...o, addr: hexScaled(v, o.addr) };
    case 'map':
    case 'unmap': {
      if (o.domain === undefined)
        return { ...o, iova: hexScaled(v, o.iova), size: hexScaled(v, o.size) };
      const g = BigInt(granuleOf(v, o));
      const unit = 1n << g;
      const iova = (BigInt(o.iova) >> g) << g;
      const size = ((BigInt(o.size) + unit - 1n) >> g) << g;
      return { ...o, iova: x(iova), size: x(size) };
    }
    default:
      return o;
  }
}

/** Every sequence starts here: three devices in two domains, three processes, three binds, maps. */
export const PREFIX = (v: Variant): OpDoc[] => prefixOps(v).map((o) => adapt(v, o));

const prefixOps = (v: Variant): OpDoc[] => [
  {
    op: 'device',
    name: 'gpu',
    sid: 0x10,
    bus: 'pci',
    pasidBits: v.gpuPasidBits,
    ats: true,
    pri: true,
  },
  { op: 'device', name: 'acc', sid: 0x11, bus: 'platform', pasidBits: 3, stall: true },
  // v5.14–v6.6 refuse masters of different SSID widths on one domain's CD table
  // (arm_smmu_attach_dev): there nic is as wide as gpu, so the two still share d0.
  {
    op: 'device',
    name: 'nic',
    sid: 0x120,
    bus: 'pci',
    pasidBits: eraOf(v.profile).config.attachChecks === 'exact' ? v.gpuPasidBits : 5,
  },
  { op: 'domain', name: 'd0' },
  { op: 'domain', name: 'd1', granule: GRANULE_NAME[v.d1Granule] },
  { op: 'domain', name: 'd2' },
  { op: 'domain', name: 'id', type: 'identity' },
  { op: 'domain', name: 'blk', type: 'blocked' },
  { op: 'process', name: 'p0' },
  { op: 'process', name: 'p1' },
  { op: 'process', name: 'p2' },
  { op: 'mmap', proc: 'p0', addr: '0x10000', size: '0x4000', prot: 'rw' },
  { op: 'mmap', proc: 'p1', addr: '0x10000', size: '0x4000', prot: 'rw' },
  { op: 'mmap', proc: 'p2', addr: '0x40000', size: '0x2000', prot: 'rw' },
  { op: 'attach', dev: 'gpu', domain: 'd0' },
  { op: 'attach', dev: 'nic', domain: 'd0' },
  { op: 'attach', dev: 'acc', domain: 'd1' },
  { op: 'bind', dev: 'gpu', proc: 'p0' },
  { op: 'bind', dev: 'acc', proc: 'p2' },
  // A private context; with asidStart 62 its SMMU ASID is p1's CPU ASID (65): binding p1 seizes it.
  { op: 'bind', dev: 'nic', proc: 'p1', tables: 'private' },
  { op: 'map', dev: 'nic', proc: 'p1', iova: '0x10000', size: '0x2000', prot: 'rw' },
  { op: 'map', domain: 'd0', iova: '0x100000', size: '0x2000', prot: 'rw' },
];

/** Small RAM: 16 MB (platform.smmu.ramSize; scenario/parse.ts refuses less). */
const SMALL_RAM = 0x100_0000n;

export function toDoc(v: Variant, ops: readonly OpDoc[]): ScenarioDoc {
  return {
    format: 'sva-explorer/scenario',
    version: 1,
    kernel: v.profile,
    platform: {
      smmu: {
        btm: v.btm,
        rangeInv: v.rangeInv,
        tlbEntries: v.tlbEntries,
        atcEntries: v.atcEntries,
        stall: v.stall,
        ...(v.smallRam ? { ramSize: x(SMALL_RAM) } : {}),
      },
      cpu: { granule: GRANULE_NAME[v.cpuGranule], vaBits: v.vaBits },
    },
    ops: [...PREFIX(v), ...ops],
  };
}

/** Where a filler of a given size goes: a domain and the IOVA its class is packed from. */
export interface FillClass {
  readonly min: bigint;
  readonly domain: string;
  readonly base: bigint;
}

/** Where the small-RAM fillers go, by size: d0's 2 MB blocks, d1's 64 KB pages, d0's 4 KB
 * pages; each class packed from its base up, so the fillers share their page tables. */
const FILL: readonly FillClass[] = [
  { min: 0x20_0000n, domain: 'd0', base: 0x1_0000_0000n },
  { min: 0x1_0000n, domain: 'd1', base: 0x1_0000_0000n },
  { min: 0x1000n, domain: 'd0', base: 0x1_4000_0000n },
];

/** The next filler of a small-RAM variant's world (see filler). */
export const nextFiller = (v: Variant, w: World): OpDoc | undefined =>
  v.smallRam ? filler(w, v.smallRam.leave, FILL) : undefined;

/**
 * The next op that fills a world's memory until only `leave` bytes are free: a DMA buffer mapped
 * into the first class it is big enough for (above every IOVA the tests use). First the largest
 * block on a free list that still leaves `leave` bytes free in all; then a block at the
 * never-used region's start, as large as that address's alignment and what is left above
 * `leave` allow, so no alignment gap is left behind. None once nothing is left; the last one may
 * find no room for a page table and fail (-ENOMEM), which ends the filling.
 */
export function filler(w: World, leave: bigint, classes: readonly FillClass[]): OpDoc | undefined {
  const k = w.kernel!;
  const f = k.frames;
  const listed = Object.entries(f.free).flatMap(([order, list]) =>
    [...list].map(() => 0x1000n << BigInt(order)),
  );
  const spare = f.end - f.next + listed.reduce((a, b) => a + b, 0n) - leave;
  if (spare < 0x1000n) return undefined;
  let size = listed.filter((b) => b <= spare).sort((a, b) => (a < b ? 1 : -1))[0];
  if (size === undefined) {
    const bump = f.end - f.next - leave;
    if (bump < 0x1000n) return undefined;
    size = 0x1000n;
    while (size * 2n <= bump && f.next % (size * 2n) === 0n) size *= 2n;
  }
  const c = classes.find((c) => size >= c.min)!;
  let iova = c.base;
  for (const [at, l] of k.domains.get(c.domain)!.pgtable!.leaves)
    if (at >= c.base && at < c.base + 0x4000_0000n && at + l.size > iova) iova = at + l.size;
  iova = (iova + size - 1n) & ~(size - 1n);
  return { op: 'map', domain: c.domain, iova: x(iova), size: x(size), prot: 'rw' };
}
