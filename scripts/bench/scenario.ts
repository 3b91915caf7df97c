// The scenarios the kernel and UI benchmarks run: a 10,000-op random mix generated against a live
// world (every op one that succeeds), optionally with the big ranges real users make (a populated
// 64 MB buffer bound to a device and kept to the end; 1 GB of 4 KB pages mapped on a domain and
// unmapped, halfway), and a 1,000,000-access DMA burst.
import {
  createWorld,
  parseScenario,
  runOp,
  type OpDoc,
  type Scenario,
  type ScenarioDoc,
  type World,
} from '../../src/scenario/index.ts';
import type { Bond } from '../../src/kernel/index.ts';
import { installOnDemand } from '../../src/cli/install.ts';

/** mulberry32: a small seeded PRNG, so the generated scenario is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (n: bigint | number): string => `0x${n.toString(16)}`;
const PAGE = 0x1000n;
const DEVICES = ['gpu', 'acc', 'nic'] as const;
const HEADER: Omit<ScenarioDoc, 'ops'> = {
  format: 'sva-explorer/scenario',
  version: 1,
  title: 'kernel benchmark',
  kernel: 'rfc2017',
};

const SETUP: OpDoc[] = [
  { op: 'device', name: 'gpu', sid: 0x10, bus: 'pci', pasidBits: 8, ats: true, pri: true },
  { op: 'device', name: 'acc', sid: 0x11, bus: 'platform', pasidBits: 8, stall: true },
  { op: 'device', name: 'nic', sid: 0x120, bus: 'pci', pasidBits: 5 },
  { op: 'domain', name: 'd0' },
  { op: 'domain', name: 'd1' },
  { op: 'attach', dev: 'gpu', domain: 'd0' },
  { op: 'attach', dev: 'nic', domain: 'd0' },
  { op: 'attach', dev: 'acc', domain: 'd1' },
];

/**
 * A scenario of `n` ops, each generated against the world the previous ones left (so each is
 * valid: an op that would fail is drawn again).
 */
export function benchScenario(
  n: number,
  seed = 2017,
  big: { buffer?: boolean; unmap1G?: boolean } = {},
): ScenarioDoc {
  // The schema check is loaded on demand in the page; a script installs it (idempotent).
  installOnDemand();
  const rnd = prng(seed);
  const int = (k: number): number => Math.floor(rnd() * k);
  const one = <T>(xs: readonly T[]): T | undefined => xs[int(xs.length)];
  const ops: OpDoc[] = [];
  const parsed = parseScenario({ ...HEADER, ops: [...SETUP] });
  if (!parsed.ok) throw new Error(parsed.error);
  const w: World = createWorld(parsed.scenario).world;
  const apply = (o: OpDoc): boolean => {
    const p = parseScenario({ ...HEADER, ops: [o] });
    if (!p.ok) throw new Error(`${JSON.stringify(o)}: ${p.error}`);
    const r = runOp(w, p.scenario.ops[0]!, ops.length);
    if (r.status !== 'ok') return false;
    ops.push(o);
    return true;
  };
  for (const o of SETUP) if (!apply(o)) throw new Error(`setup op ${o.op} failed`);
  if (big.buffer)
    for (const o of BUFFER_64M) if (!apply(o)) throw new Error(`64 MB buffer: ${o.op} failed`);
  let nextProc = 0;
  const k = w.kernel!;
  // The buffer's process is left alone: it keeps its 64 MB to the end.
  const procs = (): string[] => [...k.processes.keys()].filter((p) => p !== 'buf');
  const bonds = (dev: { bonds: ReadonlyMap<string, Bond> }): [string, Bond][] =>
    [...dev.bonds.entries()].filter(([p]) => p !== 'buf');
  const vmaPages = (p: string): bigint[] => {
    const out: bigint[] = [];
    for (const v of k.processes.get(p)?.mm.vmas ?? [])
      for (let a = v.start; a < v.end; a += PAGE) out.push(a);
    return out;
  };
  const leavesOf = (m: ReadonlyMap<bigint, { size: bigint }> | undefined): bigint[] => [
    ...(m?.keys() ?? []),
  ];
  // Each generator returns an op for the current world, or undefined when it has nothing to do.
  const gens: [number, () => OpDoc | undefined][] = [
    [
      20,
      () => {
        const p = one(procs());
        const va = p ? one(vmaPages(p)) : undefined;
        if (!p || va === undefined) return undefined;
        const vma = k.processes.get(p)!.mm.vmas.find((v) => va >= v.start && va < v.end)!;
        const access = vma.prot.w && rnd() < 0.5 ? 'w' : vma.prot.r ? 'r' : 'x';
        return { op: 'touch', proc: p, addr: hex(va + BigInt(int(512)) * 8n), access };
      },
    ],
    [
      22,
      () => {
        const dev = k.devices.get(one(DEVICES)!)!;
        const bond = one(bonds(dev));
        if (!bond) return undefined;
        const [proc, b] = bond;
        const pages =
          b.tables === 'private'
            ? leavesOf(k.privates.get(`${dev.name}/${proc}`)?.pgtable.leaves)
            : vmaPages(proc);
        const va = one(pages);
        if (va === undefined) return undefined;
        return { op: 'dma', dev: dev.name, pasid: b.pasid, addr: hex(va + 0x40n), access: 'r' };
      },
    ],
    [
      10,
      () => {
        const dev = k.devices.get(one(DEVICES)!)!;
        const iova = one(leavesOf(k.domains.get(dev.domain ?? '')?.pgtable?.leaves));
        if (iova === undefined) return undefined;
        const access = rnd() < 0.5 ? 'r' : 'w';
        return { op: 'dma', dev: dev.name, addr: hex(iova + 0x80n), access };
      },
    ],
    [
      6,
      () => {
        const d = one(['d0', 'd1'])!;
        const iova = 0x100_0000n + BigInt(int(64)) * 0x1_0000n;
        const size = PAGE << BigInt(int(4));
        return { op: 'map', domain: d, iova: hex(iova), size: hex(size), prot: 'rw' };
      },
    ],
    [
      6,
      () => {
        const d = one(['d0', 'd1'])!;
        const pt = k.domains.get(d)!.pgtable;
        const iova = one(leavesOf(pt?.leaves));
        if (iova === undefined) return undefined;
        return { op: 'unmap', domain: d, iova: hex(iova), size: hex(pt!.leaves.get(iova)!.size) };
      },
    ],
    [
      5,
      () => {
        const p = one(procs());
        if (!p) return undefined;
        return {
          op: 'bind',
          dev: one(DEVICES)!,
          proc: p,
          tables: rnd() < 0.8 ? 'shared' : 'private',
        };
      },
    ],
    [
      4,
      () => {
        const dev = k.devices.get(one(DEVICES)!)!;
        const p = one(bonds(dev).map(([name]) => name));
        return p ? { op: 'unbind', dev: dev.name, proc: p } : undefined;
      },
    ],
    [
      3,
      () => {
        const priv = one([...k.privates.values()]);
        if (!priv) return undefined;
        const iova = 0x10_0000n + BigInt(int(32)) * PAGE;
        return {
          op: 'map',
          dev: priv.dev,
          proc: priv.proc,
          iova: hex(iova),
          size: hex(PAGE),
          prot: 'rw',
        };
      },
    ],
    [
      2,
      () => {
        const priv = one([...k.privates.values()]);
        const iova = one(leavesOf(priv?.pgtable.leaves));
        if (!priv || iova === undefined) return undefined;
        return { op: 'unmap', dev: priv.dev, proc: priv.proc, iova: hex(iova), size: hex(PAGE) };
      },
    ],
    [
      4,
      () => {
        const p = one(procs());
        if (!p) return undefined;
        const addr = 0x10_0000n + BigInt(int(16)) * 0x1_0000n;
        const size = PAGE * BigInt(1 + int(8));
        const prot = one(['rw', 'rw', 'r', 'rx'])!;
        return {
          op: 'mmap',
          proc: p,
          addr: hex(addr),
          size: hex(size),
          prot,
          populate: rnd() < 0.3,
        };
      },
    ],
    [
      3,
      () => {
        const p = one(procs());
        const v = p ? one(k.processes.get(p)!.mm.vmas) : undefined;
        if (!p || !v) return undefined;
        return { op: 'munmap', proc: p, addr: hex(v.start), size: hex(v.end - v.start) };
      },
    ],
    [
      2,
      () => {
        const p = one(procs());
        const v = p ? one(k.processes.get(p)!.mm.vmas) : undefined;
        if (!p || !v) return undefined;
        const prot = one(['r', 'rw'])!;
        return { op: 'mprotect', proc: p, addr: hex(v.start), size: hex(PAGE), prot };
      },
    ],
    [
      2,
      () => {
        const p = one(procs());
        const va = p ? one(vmaPages(p)) : undefined;
        return p && va !== undefined
          ? { op: 'pin', proc: p, addr: hex(va), size: hex(PAGE) }
          : undefined;
      },
    ],
    [
      2,
      () => {
        const p = one(procs());
        const va = p ? one([...k.processes.get(p)!.mm.pins.keys()]) : undefined;
        return p && va !== undefined
          ? { op: 'unpin', proc: p, addr: hex(va), size: hex(PAGE) }
          : undefined;
      },
    ],
    [
      2,
      () => {
        const p = one(procs());
        const v = p ? one(k.processes.get(p)!.mm.vmas) : undefined;
        if (!p || !v) return undefined;
        return { op: 'reclaim', proc: p, addr: hex(v.start), size: hex(v.end - v.start) };
      },
    ],
    [
      1,
      () =>
        procs().length < 5
          ? { op: 'process', name: `p${nextProc++}` }
          : { op: 'exit', proc: one(procs())! },
    ],
  ];
  const total = gens.reduce((s, [wt]) => s + wt, 0);
  // Start with two processes with some memory.
  for (let i = 0; i < 2; i++) {
    apply({ op: 'process', name: `p${nextProc}` });
    apply({ op: 'mmap', proc: `p${nextProc++}`, addr: '0x10000', size: '0x10000', prot: 'rw' });
  }
  apply({ op: 'map', domain: 'd0', iova: '0x1000000', size: '0x4000', prot: 'rw' });
  let bigDone = !big.unmap1G;
  for (let guard = 0; ops.length < n && guard < n * 50; guard++) {
    if (!bigDone && ops.length >= n / 2) {
      for (const o of MAP_UNMAP_1G) if (!apply(o)) throw new Error(`1 GB ${o.op} failed`);
      bigDone = true;
    }
    let r = rnd() * total;
    let g = gens[0]![1];
    for (const [wt, f] of gens) {
      if ((r -= wt) < 0) {
        g = f;
        break;
      }
    }
    const o = g();
    if (o) apply(o);
  }
  return { ...HEADER, ops };
}

/** The 1,000,000-access burst: a plain PCIe device reading a 64 MB DMA buffer every 64 bytes. */
export function burstScenario(count: number): Scenario {
  const p = parseScenario({
    ...HEADER,
    ops: [
      { op: 'device', name: 'nic', sid: 0x20, bus: 'pci' },
      { op: 'domain', name: 'd0' },
      { op: 'attach', dev: 'nic', domain: 'd0' },
      { op: 'map', domain: 'd0', iova: '0x40000000', size: '0x4000000', prot: 'rw' },
      { op: 'dma', dev: 'nic', addr: '0x40000000', access: 'r', count, stride: '0x40' },
    ],
  });
  if (!p.ok) throw new Error(p.error);
  return p.scenario;
}

/** The populated 64 MB buffer: a process of its own, bound to the gpu, mapped to the end. */
export const BUFFER_64M: readonly OpDoc[] = [
  { op: 'process', name: 'buf' },
  {
    op: 'mmap',
    proc: 'buf',
    addr: '0x1_0000_0000',
    size: '0x400_0000',
    prot: 'rw',
    populate: true,
  },
  { op: 'bind', dev: 'gpu', proc: 'buf' },
];

/**
 * 1 GB of 4 KB pages on domain d1 (the PA is 4 KB- but not 2 MB-aligned, so every leaf is a page:
 * 262,144 PTEs) and its unmap: one walk flush and, without range invalidation, 262,144 TLBIs.
 */
export const MAP_UNMAP_1G: readonly OpDoc[] = [
  {
    op: 'map',
    domain: 'd1',
    iova: '0x1_0000_0000',
    size: '0x4000_0000',
    prot: 'rw',
    pa: '0x8020_1000',
  },
  { op: 'unmap', domain: 'd1', iova: '0x1_0000_0000', size: '0x4000_0000' },
];
