// Model-based property test of the kernel + SMMU: thousands of random op sequences over a small
// universe (three devices — PCIe ATS+PRI, platform with stall, plain PCIe — two DMA domains,
// three processes, a few VA pages in a few mmapped ranges, shared and private binds, domain and
// private maps, CPU touches, pin/unpin/reclaim, munmap/mprotect, device accesses, exit, unbind,
// attach; platform and geometry knobs per sequence: BTM, range invalidation, cache sizes, stall
// model, 4/16/64 KB CPU pages, 39/48-bit VAs, d1's granule, PASID and ASID allocator positions),
// with the invariants of invariants.ts checked after EVERY op:
//   (a) every device's STE matches its domain; every valid CD reachable from an STE (walked in
//       memory) has the ASID and TTB0 of its owner in the kernel state, and every live context
//       has its CD; cached STEs/CDs/L1 descriptors equal memory (a CFGI after every change);
//   (b) a device access that translated reached the PA the owner's tables give (the CPU walk of
//       the bound mm's pgd for a shared PASID, the io-pgtable otherwise), and an access those
//       tables allow did translate;
//   (c) every TLB entry agrees with a fresh walk through each live CD with its ASID and through
//       the address space the kernel gave that ASID, and no entry outlives its ASID's owner;
//       every ATC entry equals a fresh translation of (sid, ssid, page) — kernel ops end their
//       invalidations with CMD_SYNC, so nothing may be stale between ops;
//   (d) an op that returned an error changed nothing: memory by the op's write journal, SMMU and
//       kernel state by worldDiff, and the full digest (memory scan included) at the first
//       failing op of every fourth sequence;
//   (e) once every bond is unbound, every process exited and every domain mapping unmapped, no
//       PASID, iommu_process or private context remains and only permanent frames (computed from
//       the state and the tables in memory) are allocated.
// Kernel bookkeeping is checked too: present pages and leaves are live frames their PTEs map.
// Model choice kept by the test: after a process exits, its driver's unbind fails with -ESRCH
// (RFCv2 frees the PASID at exit), so the cleanup tolerates that error.
// FC_SEED=<n> picks the seed, FC_RUNS=<n> the number of sequences, FC_PATH=<path> replays one,
// FC_STATS=1 prints what the ops did (coverage), FC_PROFILE=mainline switches the kernel profile.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex } from '../engine/index.ts';
import { cloneKernel } from '../kernel/index.ts';
import type { Access, KernelProfile, OpDoc, ScenarioDoc } from './format.ts';
import {
  checkFrames,
  checkQuiescent,
  checkWorld,
  digestDiff,
  digestParts,
  expectDma,
  scanCds,
  worldDiff,
  type Range,
  type ReachableCd,
  type Violation,
} from './invariants.ts';
import type { Op } from './ops.ts';
import { parseScenario } from './parse.ts';
import { runOp, type OpRecord } from './run.ts';
import { cloneWorld, createWorld, type World } from './world.ts';

const SEED = process.env['FC_SEED'] !== undefined ? Number(process.env['FC_SEED']) : 20_171_005;
const RUNS = process.env['FC_RUNS'] !== undefined ? Number(process.env['FC_RUNS']) : 2500;
const PATH = process.env['FC_PATH'];
/** FC_PROFILE=mainline runs the same sequences against the mainline kernel profile. */
const PROFILE: KernelProfile = process.env['FC_PROFILE'] === 'mainline' ? 'mainline' : 'rfc2017';

// ---------------------------------------------------------------------------------------------
// The universe.

const DEVS = ['gpu', 'acc', 'nic'] as const;
const DOMS = ['d0', 'd1'] as const;
const PROCS = ['p0', 'p1', 'p2'] as const;

/** Platform and kernel knobs per sequence (a few are state tweaks, noted in a failure report). */
interface Variant {
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
}

/**
 * A fixed pool of 48 variants drawn from the knobs (seeded, so the same every run): each
 * sequence picks one, and the world after its prefix is built once per variant and cloned.
 */
const VARIANTS: readonly Variant[] = fc.sample(
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
);
const variantArb: fc.Arbitrary<Variant> = fc.constantFrom(...VARIANTS);

const RANGES: readonly (readonly [bigint, bigint])[] = [
  [0x10000n, 0x4000n],
  [0x10000n, 0x2000n],
  [0x11000n, 0x2000n],
  [0x13000n, 0x1000n],
  [0x40000n, 0x2000n],
  [0x41000n, 0x1000n],
  [0x300000n, 0x1000n],
];
/** Ranges for pin / unpin / reclaim: small and overlapping, so unpins are often partial. */
const PIN_RANGES: readonly (readonly [bigint, bigint])[] = [
  [0x10000n, 0x1000n],
  [0x10000n, 0x2000n],
  [0x11000n, 0x1000n],
  [0x40000n, 0x1000n],
];
const VAS = [0x10000n, 0x11000n, 0x12008n, 0x13000n, 0x40000n, 0x41ff8n, 0x300000n, 0x50000n];
const IOVA_MAPS: readonly (readonly [bigint, bigint])[] = [
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
const IOVAS = [0x100000n, 0x101008n, 0x104000n, 0x200000n, 0x3ff000n, 0x10000n, 0x12000n];
const PROTS = ['r', 'rw', 'rw', 'rx', 'w', 'rwx', 'x'];
const ACCESS = ['r', 'r', 'w', 'w', 'x'] as const;

const x = (n: bigint): string => hex(n);
const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);
const dev = pick(DEVS);
const dom = pick(DOMS);
const proc = pick(PROCS);
const range = pick(RANGES);

/** PASIDs a device access may carry: none, the first few the IDR hands out, and 1–3. */
const pasidOf = (v: Variant, choice: number | null): number | undefined =>
  choice === null ? undefined : choice < 3 ? v.idrStart + choice : choice - 2; // 1-3: the prefix's

// Addresses above are written for 4 KB pages. With larger CPU pages the CPU-side ones (VMAs,
// touches, pins, private IOVAs) are scaled by pageSize/4K, which keeps their layout; domain
// IOVAs are aligned to the domain's granule instead (scaling would make 32 MB buffers).
const GRANULE_NAME = { 12: '4K', 14: '16K', 16: '64K' } as const;
const scaled = (v: Variant, a: bigint): bigint => a << BigInt(v.cpuGranule - 12);
const granuleOf = (v: Variant, t: { domain?: string | undefined }): number =>
  t.domain === undefined || t.domain === 'd0' ? v.cpuGranule : v.d1Granule;
const hexScaled = (v: Variant, s: string): string => x(scaled(v, BigInt(s)));

/** An op document written for 4 KB pages, in the variant's units. */
function adapt(v: Variant, o: OpDoc): OpDoc {
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

/**
 * An op document, or a device access resolved against the world it runs in: its PASID is one the
 * device holds (`bond`, the k-th), none, or a fixed one (stale, foreign or unallocated ones
 * included); its address one of the pages the owner maps (`live`, the k-th) or a fixed one.
 */
type GenOp =
  | OpDoc
  | { op: 'touch-gen'; proc: string; addr: { live: number } | { at: bigint }; access: Access }
  | { op: 'unbind-gen'; dev: string; bond: number }
  /** A map into a domain, or into the k-th private context (a random pair when none). */
  | { op: 'map-gen'; private: boolean; k: number; m: readonly [bigint, bigint]; prot: string }
  /** An unmap of the j-th leaf (or of one page inside it: a block split) of a domain or context. */
  | { op: 'unmap-gen'; private: boolean; k: number; j: number; inside: boolean }
  /** An unpin of pinned pages (the k-th, one or two pages: sometimes partly unpinned). */
  | { op: 'unpin-gen'; proc: string; k: number; pages: number }
  | {
      op: 'dma-gen';
      dev: string;
      pasid: { bond: number } | { choice: number | null };
      addr: { live: number } | { at: bigint };
      access: 'r' | 'w' | 'x';
      count: number;
    };

const addrArb = fc.oneof(
  { weight: 3, arbitrary: fc.record({ live: fc.nat(31) }) },
  { weight: 1, arbitrary: fc.record({ at: pick([...VAS, ...IOVAS]) }) },
);

const dmaArb: fc.Arbitrary<GenOp> = fc.record({
  op: fc.constant('dma-gen' as const),
  dev,
  pasid: fc.oneof(
    { weight: 4, arbitrary: fc.record({ bond: fc.nat(7) }) },
    { weight: 2, arbitrary: fc.constant({ choice: null }) },
    { weight: 1, arbitrary: fc.record({ choice: fc.constantFrom(0, 1, 2, 3, 4, 5) }) },
  ),
  addr: addrArb,
  access: pick(ACCESS),
  count: fc.constantFrom(1, 1, 1, 1, 3),
});

const opArb: fc.Arbitrary<GenOp> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('attach' as const), dev, domain: dom }) },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('bind' as const),
      dev,
      proc,
      tables: fc.constantFrom<'shared' | 'private'>('shared', 'shared', 'private'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unbind' as const), dev, proc }) },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('unbind-gen' as const), dev, bond: fc.nat(7) }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('map-gen' as const),
      private: fc.boolean(),
      k: fc.nat(7),
      m: pick(IOVA_MAPS),
      prot: pick(PROTS),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('unmap-gen' as const),
      private: fc.boolean(),
      k: fc.nat(7),
      j: fc.nat(15),
      inside: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ m: pick(IOVA_MAPS), domain: dom })
      .map(({ m, domain }): OpDoc => ({ op: 'unmap', domain, iova: x(m[0]), size: x(m[1]) })),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('process' as const), name: proc }) },
  {
    weight: 2,
    arbitrary: fc
      .record({ proc, r: range, prot: pick(PROTS), populate: fc.boolean() })
      .map(({ proc, r, prot, populate }): OpDoc => ({
        op: 'mmap',
        proc,
        addr: x(r[0]),
        size: x(r[1]),
        prot,
        populate,
      })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ proc, r: range })
      .map(({ proc, r }): OpDoc => ({ op: 'munmap', proc, addr: x(r[0]), size: x(r[1]) })),
  },
  {
    weight: 2,
    arbitrary: fc.record({ proc, r: range, prot: pick(PROTS) }).map(({ proc, r, prot }): OpDoc => ({
      op: 'mprotect',
      proc,
      addr: x(r[0]),
      size: x(r[1]),
      prot,
    })),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('touch-gen' as const),
      proc,
      addr: addrArb,
      access: pick(ACCESS),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('unpin-gen' as const),
      proc,
      k: fc.nat(7),
      pages: fc.constantFrom(1, 1, 2),
    }),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ op: pick(['pin', 'pin', 'unpin', 'reclaim'] as const), proc, r: pick(PIN_RANGES) })
      .map(({ op, proc, r }): OpDoc => ({ op, proc, addr: x(r[0]), size: x(r[1]) })),
  },
  { weight: 14, arbitrary: dmaArb },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('exit' as const), proc }) },
);

/** Every sequence starts here: three devices in two domains, three processes, three binds, maps. */
const PREFIX = (v: Variant): OpDoc[] => prefixOps(v).map((o) => adapt(v, o));

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
  { op: 'device', name: 'nic', sid: 0x120, bus: 'pci', pasidBits: 5 },
  { op: 'domain', name: 'd0' },
  { op: 'domain', name: 'd1', granule: GRANULE_NAME[v.d1Granule] },
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

function toDoc(v: Variant, ops: readonly OpDoc[]): ScenarioDoc {
  return {
    format: 'sva-explorer/scenario',
    version: 1,
    kernel: PROFILE,
    platform: {
      smmu: {
        btm: v.btm,
        rangeInv: v.rangeInv,
        tlbEntries: v.tlbEntries,
        atcEntries: v.atcEntries,
        stall: v.stall,
      },
      cpu: { granule: GRANULE_NAME[v.cpuGranule], vaBits: v.vaBits },
    },
    ops: [...PREFIX(v), ...ops],
  };
}

/** Pages the owner of (device, PASID) maps: a bound mm's VMAs, or an io-pgtable's leaves. */
function livePages(w: World, devName: string, pasid: number | undefined): bigint[] {
  const k = w.kernel!;
  const d = k.domains.get(k.devices.get(devName)!.domain ?? '');
  const leaves = (m: ReadonlyMap<bigint, { size: bigint }> | undefined): bigint[] =>
    [...(m ?? new Map<bigint, { size: bigint }>()).entries()].flatMap(([iova, l]) =>
      l.size > 0x10000n ? [iova, iova + l.size - 0x1000n + 0x10n] : [iova + 0x8n],
    );
  if (pasid === undefined) return leaves(d?.pgtable?.leaves);
  const o = k.idr.used.get(pasid);
  if (!o) return [];
  if (o.kind === 'private') return leaves(k.privates.get(`${o.dev}/${o.proc}`)?.pgtable.leaves);
  const mm = k.processes.get(o.proc)?.mm;
  const out: bigint[] = [];
  const page = 1n << BigInt(k.cpu.granule);
  for (const v of mm?.vmas ?? []) for (let a = v.start; a < v.end; a += page) out.push(a);
  return out;
}

/** The op document of a generated op in the world it is about to run in. */
function resolve(v: Variant, w: World, o: GenOp): OpDoc {
  const pickAddr = (a: { live: number } | { at: bigint }, live: () => bigint[]): bigint => {
    if ('at' in a) return a.at;
    const pages = live();
    return pages.length > 0 ? pages[a.live % pages.length]! : VAS[a.live % VAS.length]!;
  };
  if (o.op === 'touch-gen') {
    const mm = w.kernel!.processes.get(o.proc)?.mm;
    const a = 'at' in o.addr ? { at: scaled(v, o.addr.at) } : o.addr;
    const va = pickAddr(a, () =>
      (mm?.vmas ?? []).flatMap((v) => [v.start, v.end - 0x1000n + 0x18n]),
    );
    return { op: 'touch', proc: o.proc, addr: x(va), access: o.access };
  }
  const k = w.kernel!;
  if (o.op === 'map-gen') {
    // Into the k-th private context; without one, now and then into a pair that has none.
    const privs = [...k.privates.values()];
    const priv = privs[o.k % Math.max(1, privs.length)];
    const target =
      o.private && priv
        ? { dev: priv.dev, proc: priv.proc }
        : o.private && o.k % 4 === 0
          ? { dev: DEVS[o.k % DEVS.length]!, proc: PROCS[(o.k >> 2) % PROCS.length]! }
          : { domain: DOMS[o.k % DOMS.length]! };
    return adapt(v, { op: 'map', ...target, iova: x(o.m[0]), size: x(o.m[1]), prot: o.prot });
  }
  if (o.op === 'unmap-gen') {
    type Target = { domain: string } | { dev: string; proc: string };
    const leaves: [Target, bigint, bigint][] = [];
    const byIova = ([a]: [bigint, unknown], [b]: [bigint, unknown]): number => (a < b ? -1 : 1);
    if (o.private)
      for (const p of k.privates.values())
        for (const [iova, l] of [...p.pgtable.leaves].sort(byIova))
          leaves.push([{ dev: p.dev, proc: p.proc }, iova, l.size]);
    else
      for (const d of k.domains.values())
        for (const [iova, l] of [...(d.pgtable?.leaves ?? [])].sort(byIova))
          leaves.push([{ domain: d.name }, iova, l.size]);
    const blocks = leaves.filter(([, , size]) => size > 0x1000n);
    const from = o.inside && blocks.length > 0 ? blocks : leaves;
    const leaf = from[o.j % Math.max(1, from.length)];
    if (!leaf) {
      const [iova, size] = IOVA_MAPS[o.j % IOVA_MAPS.length]!;
      const domain = DOMS[o.k % DOMS.length]!;
      return adapt(v, { op: 'unmap', domain, iova: x(iova), size: x(size) });
    }
    const [target, iova, size] = leaf;
    const unit = 1n << BigInt('domain' in target ? granuleOf(v, target) : v.cpuGranule);
    const [a, n] = o.inside && size > unit ? [iova + unit * BigInt(o.k % 4), unit] : [iova, size];
    return { op: 'unmap', ...target, iova: x(a), size: x(n) };
  }
  if (o.op === 'unpin-gen') {
    const pins: [string, bigint][] = [];
    for (const p of k.processes.values())
      for (const va of [...p.mm.pins.keys()].sort((a, b) => (a < b ? -1 : 1)))
        pins.push([p.name, va]);
    const pin = pins[o.k % Math.max(1, pins.length)];
    // Nothing pinned: pin first (a page of one of the process's VMAs).
    const vmas = k.processes.get(o.proc)?.mm.vmas ?? [];
    const [proc, at] = pin ?? [o.proc, vmas[o.k % Math.max(1, vmas.length)]?.start ?? 0x10000n];
    const size = BigInt(o.pages) << BigInt(v.cpuGranule);
    return { op: pin ? 'unpin' : 'pin', proc, addr: x(at), size: x(size) };
  }
  if (o.op === 'unbind-gen') {
    const bonds = [...k.devices.get(o.dev)!.bonds.keys()];
    const p = bonds.length > 0 ? bonds[o.bond % bonds.length]! : PROCS[o.bond % PROCS.length]!;
    return { op: 'unbind', dev: o.dev, proc: p };
  }
  if (o.op !== 'dma-gen') return adapt(v, o);
  const bonds = [...w.kernel!.devices.get(o.dev)!.bonds.values()];
  const c = o.pasid;
  const pasid =
    'bond' in c
      ? bonds.length > 0
        ? bonds[c.bond % bonds.length]!.pasid
        : v.idrStart
      : pasidOf(v, c.choice);
  const addr = pickAddr(o.addr, () => livePages(w, o.dev, pasid));
  return {
    op: 'dma',
    dev: o.dev,
    ...(pasid === undefined ? {} : { pasid }),
    addr: x(addr),
    access: o.access,
    ...(o.count > 1 ? { count: o.count } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Running a sequence with the invariants after every op.

class InvariantError extends Error {}

/** Outcomes per op (FC_STATS=1 prints them: is the generator reaching the interesting paths?). */
const STATS = new Map<string, number>();

function fail(
  doc: ScenarioDoc,
  v: Variant,
  index: number,
  op: Op,
  why: readonly Violation[] | string,
): never {
  const lines = typeof why === 'string' ? [why] : why.map((x) => `[${x.invariant}] ${x.message}`);
  throw new InvariantError(
    [
      `after op ${index} (${op.op}${index >= doc.ops.length ? ', cleanup' : ''}):`,
      ...lines.slice(0, 8).map((l) => `  ${l}`),
      `state tweaks: kernel.driver.asids.cursor=${v.asidStart} after boot, kernel.idr.cursor=${v.idrStart} after op ${PREFIX(v).length - 1}`,
      `scenario: ${JSON.stringify({ ...doc, ops: doc.ops.slice(0, index + 1) })}`,
    ].join('\n'),
  );
}

type Report = (why: readonly Violation[] | string) => never;

/** What one sequence carries from op to op. */
interface Run {
  readonly w: World;
  /** The CD scan of the last check and the memory it read (reused while no op writes there). */
  cds: { cds: ReachableCd[]; ranges: Range[]; devices: number } | undefined;
  /** Compare full digests (memory scan included) at the next failing op. */
  fullDigest: boolean;
}

function step(run: Run, op: Op, index: number, report: Report): OpRecord {
  const w = run.w;
  // The state the op must leave untouched if it fails: SMMU and kernel, and memory (a
  // copy-on-write snapshot) until the first failure, whose full digests are compared. After
  // that, the write journal stands for memory: it lists every word an op changes.
  const mem = run.fullDigest ? w.mem.clone() : w.mem;
  const before: World = { mem, smmu: w.smmu.clone(mem), kernel: cloneKernel(w.kernel!) };
  const rec = runOp(w, op, index);
  const out: Violation[] = [];
  const outcome = rec.status === 'error' ? rec.error! : (rec.dma?.outcome ?? 'ok');
  const key = `${op.op} ${outcome}`;
  STATS.set(key, (STATS.get(key) ?? 0) + 1);
  // (d) An op that failed changed nothing.
  if (rec.status === 'error') {
    const diff = worldDiff(before, w, { memory: false });
    if (rec.writes.length > 0) diff.push('memory');
    if (run.fullDigest) {
      run.fullDigest = false;
      for (const part of digestDiff(digestParts(before), digestParts(w)))
        if (!diff.includes(part)) diff.push(part);
    }
    if (diff.length)
      out.push({
        invariant: 'unchanged',
        message: `${rec.error} ${rec.message ?? ''} but changed: ${diff.join(', ')}${rec.writes.length ? ` (${rec.writes.length} word(s) written, first at ${hex(rec.writes[0]!.pa)})` : ''}`,
      });
  }
  // (b) A device access reached what the owner's tables map, and was not refused what they allow.
  if (op.op === 'dma' && op.dev !== undefined && op.count === 1 && rec.dma) {
    const e = expectDma(w, op.dev, op.pasid, op.addr, op.access);
    const got = rec.dma.outcome === 'translated' ? rec.dma.pa : undefined;
    const what = `${op.dev} ${op.access} ${hex(op.addr)} PASID ${op.pasid ?? '-'}`;
    if (got !== undefined && got !== e.pa)
      out.push({
        invariant: 'dma',
        message: `${what} translated to ${hex(got)}, but ${e.owner} gives ${e.pa === undefined ? 'nothing' : hex(e.pa)}`,
      });
    if (got === undefined && e.must)
      out.push({
        invariant: 'dma',
        message: `${what}: ${rec.dma.outcome}, but ${e.owner} maps it to ${hex(e.pa!)} allowing the access (${rec.dma.steps.at(-1)?.note ?? ''})`,
      });
  }
  // (a), (c) and the kernel's bookkeeping. The CD tables are rescanned only when the op wrote an
  // STE or CD-table word (the journal lists every word written) or a device appeared.
  const devices = w.kernel!.devices.size;
  const c = run.cds;
  const stale =
    !c ||
    c.devices !== devices ||
    rec.writes.some((wr) => c.ranges.some(([lo, hi]) => wr.pa >= lo && wr.pa < hi));
  if (stale) run.cds = { ...scanCds(w), devices };
  out.push(...checkWorld(w, { cds: run.cds!.cds, walks: index % 5 === 0 }));
  if (out.length) report(out);
  return rec;
}

let sequences = 0;

/** The world after boot, the state tweaks and the prefix, once per variant (then cloned). */
const prefixRuns = new Map<string, Run>();

function prefixRun(v: Variant, doc: ScenarioDoc): Run {
  const key = JSON.stringify(v);
  let run = prefixRuns.get(key);
  if (!run) {
    const parsed = parseScenario(doc);
    if (!parsed.ok) throw new Error(parsed.error);
    const ops = parsed.scenario.ops;
    const w = createWorld(parsed.scenario).world;
    w.kernel!.driver.asids.cursor = v.asidStart;
    run = { w, cds: undefined, fullDigest: true };
    for (let i = 0; i < ops.length; i++) {
      const rec = step(run, ops[i]!, i, (why) => fail(doc, v, i, ops[i]!, why));
      if (rec.status !== 'ok') fail(doc, v, i, ops[i]!, `prefix op failed: ${rec.error}`);
    }
    w.kernel!.idr.cursor = v.idrStart;
    prefixRuns.set(key, run);
  }
  // The CD scan stays valid: the clone's memory is the same. Every fourth sequence compares
  // full digests at its first failing op.
  return { w: cloneWorld(run.w), cds: run.cds, fullDigest: sequences++ % 4 === 0 };
}

function runSequence(v: Variant, gen: readonly GenOp[]): void {
  const prefix = PREFIX(v);
  const doc = toDoc(v, []);
  const run = prefixRun(v, doc);
  const w = run.w;
  // The static ops are parsed in one go; the resolved ones as they come.
  const isStatic = (g: GenOp): g is OpDoc => !g.op.endsWith('-gen');
  const statics = gen.filter(isStatic).map((g) => adapt(v, g));
  // Parsing checks map alignment against the granules the domain ops declare: keep them.
  const domains = prefix.filter((o) => o.op === 'domain');
  const parsedStatics = parseScenario({ ...doc, ops: [...domains, ...statics] });
  if (!parsedStatics.ok) throw new Error(`generator: ${parsedStatics.error}`);
  const staticOps = parsedStatics.scenario.ops.slice(domains.length);
  let index = prefix.length;
  const at =
    (op: Op): Report =>
    (why) =>
      fail(doc, v, index, op, why);
  for (const g of gen) {
    const o = resolve(v, w, g);
    doc.ops.push(o);
    let op: Op;
    if (isStatic(g)) op = staticOps.shift()!;
    else {
      const context = o.op === 'map' || o.op === 'unmap' ? domains : [];
      const parsed = parseScenario({ ...doc, ops: [...context, o] });
      if (!parsed.ok) throw new Error(`generator produced an invalid op: ${parsed.error}`);
      op = parsed.scenario.ops[context.length]!;
    }
    step(run, op, index, at(op));
    index++;
  }
  const frames = checkFrames(w);
  if (frames.length) fail(doc, v, index - 1, { op: 'exit', proc: '-' }, frames);
  // (e) Undo everything, checking every step; then nothing may be left.
  const phases: ((w: World) => Op[])[] = [
    (w) =>
      [...w.kernel!.devices.values()].flatMap((d) =>
        [...d.bonds.keys()].map((p): Op => ({ op: 'unbind', dev: d.name, proc: p })),
      ),
    (w) => [...w.kernel!.processes.keys()].map((p): Op => ({ op: 'exit', proc: p })),
    (w) =>
      [...w.kernel!.domains.values()].flatMap((d) => {
        // One unmap per run of contiguous leaves.
        const runs: [bigint, bigint][] = [];
        for (const [iova, l] of [...(d.pgtable?.leaves ?? [])].sort(([a], [b]) =>
          a < b ? -1 : 1,
        )) {
          const last = runs[runs.length - 1];
          if (last && last[0] + last[1] === iova) last[1] += l.size;
          else runs.push([iova, l.size]);
        }
        return runs.map(([iova, size]): Op => ({
          op: 'unmap',
          target: { kind: 'domain', domain: d.name },
          iova,
          size,
        }));
      }),
  ];
  for (const phase of phases)
    for (const op of phase(w)) {
      const rec = step(run, op, index, at(op));
      // A driver's unbind after its process exited fails with -ESRCH (RFCv2: the PASID was freed).
      if (rec.status === 'error' && op.op !== 'unbind')
        at(op)(`cleanup ${op.op} failed: ${rec.error} ${rec.message}`);
      index++;
    }
  const left = checkQuiescent(w);
  if (left.length) fail(doc, v, index - 1, { op: 'exit', proc: '-' }, left);
}

describe('model: random kernel + SMMU op sequences keep the invariants', () => {
  it(`${RUNS} sequences of 20–40 ops (seed ${SEED})`, () => {
    fc.assert(
      fc.property(variantArb, fc.array(opArb, { minLength: 1, maxLength: 21 }), (v, ops) => {
        runSequence(v, ops);
      }),
      { seed: SEED, numRuns: RUNS, ...(PATH ? { path: PATH } : {}), endOnFailure: false },
    );
    if (process.env['FC_STATS'])
      console.log(
        [...STATS]
          .sort()
          .map(([k, n]) => `${k}: ${n}`)
          .join('\n'),
      );
    expect(STATS.get('dma translated') ?? 0).toBeGreaterThan(0);
  }, 300_000);
});
