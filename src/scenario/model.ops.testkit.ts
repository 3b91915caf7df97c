// The ops of the model-based property test (model.property.test.ts): weighted generators over
// the universe of model.testkit.ts, and their resolution against the world they are about to run
// in — a device access picks a PASID the device holds and a page its owner maps, an unbind one of
// the device's bonds, an unmap one of the leaves, an attach a device free to move.
import fc from 'fast-check';
import type { Access, OpDoc } from './format.ts';
import {
  ACCESS,
  adapt,
  ATTACH_DOMS,
  DEVS,
  DOMS,
  granuleOf,
  IOVA_MAPS,
  IOVAS,
  PIN_RANGES,
  PROCS,
  PROTS,
  pasidOf,
  RANGES,
  scaled,
  VAS,
  x,
  type Variant,
} from './model.testkit.ts';
import type { World } from './world.ts';

const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);
const dev = pick(DEVS);
const proc = pick(PROCS);
const range = pick(RANGES);

/**
 * An op document, or a device access resolved against the world it runs in: its PASID is one the
 * device holds (`bond`, the k-th), none, or a fixed one (stale, foreign or unallocated ones
 * included); its address one of the pages the owner maps (`live`, the k-th) or a fixed one.
 */
export type GenOp =
  | OpDoc
  | { op: 'touch-gen'; proc: string; addr: { live: number } | { at: bigint }; access: Access }
  | { op: 'unbind-gen'; dev: string; bond: number }
  /** A map into a domain, or into the k-th private context (a random pair when none). */
  | { op: 'map-gen'; private: boolean; k: number; m: readonly [bigint, bigint]; prot: string }
  /** An unmap of the j-th leaf (or of one page inside it: a block split) of a domain or context. */
  | { op: 'unmap-gen'; private: boolean; k: number; j: number; inside: boolean }
  /** An attach of the k-th device without bonds (free to move), else of the k-th device. */
  | { op: 'attach-gen'; k: number; domain: string }
  /** An unpin of pinned pages (the k-th, one or two pages: sometimes partly unpinned). */
  | { op: 'unpin-gen'; proc: string; k: number; pages: number }
  | {
      op: 'dma-gen';
      dev: string;
      pasid: { bond: number } | { choice: number | null };
      addr: { live: number } | { at: bigint };
      access: 'r' | 'w' | 'x';
      count: number;
      /** Burst stride (bytes; undefined: the default, one CPU page). */
      stride: bigint | undefined;
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
  count: fc.constantFrom(1, 1, 1, 1, 2, 3, 5),
  stride: fc.constantFrom(undefined, undefined, 0x40n, 0x800n, 0x3000n),
});

export const opArb: fc.Arbitrary<GenOp> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('attach-gen' as const),
      k: fc.nat(7),
      domain: pick(ATTACH_DOMS),
    }),
  },
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
    weight: 4,
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
      .record({ m: pick(IOVA_MAPS), domain: pick(DOMS) })
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
export function resolve(v: Variant, w: World, o: GenOp): OpDoc {
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
  if (o.op === 'attach-gen') {
    // Moving a device needs it unbound: prefer one without bonds, so moves do happen.
    const free = DEVS.filter((d) => k.devices.get(d)!.bonds.size === 0);
    const dev = free.length > 0 ? free[o.k % free.length]! : DEVS[o.k % DEVS.length]!;
    return { op: 'attach', dev, domain: o.domain };
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
    ...(o.count > 1 && o.stride !== undefined ? { stride: x(o.stride) } : {}),
  };
}
