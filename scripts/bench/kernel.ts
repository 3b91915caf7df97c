// Kernel-level throughput: (a) a 10,000-op random scenario (a valid mix: touches, device accesses
// with and without PASID, maps and unmaps, binds and unbinds, mmap/munmap/mprotect, pins, process
// churn) run through Timeline; (b) one `dma` op of 1,000,000 accesses over a mapped range, TLB
// friendly; (c) Timeline.stateAt jumps to random points of the 10,000-op scenario.
// The scenario is generated deterministically (seeded PRNG) against a live world, so every op in
// it is one that succeeds. Run: node --import tsx scripts/bench/kernel.ts
import {
  createWorld,
  parseScenario,
  runOp,
  Timeline,
  type OpDoc,
  type Scenario,
  type ScenarioDoc,
  type World,
} from '../../src/scenario/index.ts';
import type { BenchResult } from './result.ts';

export type { BenchResult };

/** mulberry32: a small seeded PRNG, so the generated scenario is the same on every run. */
function prng(seed: number): () => number {
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
export function benchScenario(n: number, seed = 2017): ScenarioDoc {
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
  let nextProc = 0;
  const k = w.kernel!;
  const procs = (): string[] => [...k.processes.keys()];
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
        const bond = one([...dev.bonds.entries()]);
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
        const p = one([...dev.bonds.keys()]);
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
  for (let guard = 0; ops.length < n && guard < n * 50; guard++) {
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
function burstScenario(count: number): Scenario {
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

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchKernel(): Promise<BenchResult[]> {
  await Promise.resolve();
  const OPS = 10_000;
  const doc = benchScenario(OPS);
  const parsed = parseScenario(doc);
  if (!parsed.ok) throw new Error(parsed.error);
  const scenario = parsed.scenario;

  // (a) The whole scenario through Timeline (every op run, checkpoints taken): median of 3 after
  // a warm-up run.
  let timeline = new Timeline(scenario);
  const runs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    timeline = new Timeline(scenario);
    runs.push(performance.now() - t0);
    cpu.push(process.cpuUsage(c0).user / 1000);
  }
  const totalMs = median(runs);
  const errors = timeline.records.filter((r) => r.status === 'error').length;
  const kinds = new Map<string, number>();
  for (const o of doc.ops) kinds.set(o.op, (kinds.get(o.op) ?? 0) + 1);
  const mix = [...kinds]
    .sort((a, b) => b[1] - a[1])
    .map(([op, c]) => `${op} ${c}`)
    .join(', ');

  // (b) One dma op of 1,000,000 accesses (TLB hits after the first access of each 2 MB block).
  const COUNT = 1_000_000;
  const burst = burstScenario(COUNT);
  const bw = createWorld(burst).world;
  for (let i = 0; i < burst.ops.length - 1; i++) runOp(bw, burst.ops[i]!, i);
  const small = burstScenario(20_000); // warm-up
  const warm = createWorld(small).world;
  small.ops.forEach((o, i) => runOp(warm, o, i));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const rec = runOp(bw, burst.ops[burst.ops.length - 1]!, burst.ops.length - 1);
  const burstMs = performance.now() - t0;
  const burstCpu = process.cpuUsage(c0).user / 1000;
  const totals = rec.dma?.totals;
  if (!totals || totals.translated !== COUNT) throw new Error('the burst did not translate');

  // (c) Jumps to random points of the 10,000-op timeline.
  const rnd = prng(7);
  for (let i = 0; i < 5; i++) timeline.stateAt(Math.floor(rnd() * OPS));
  const jumps: number[] = [];
  const j0 = process.cpuUsage();
  for (let i = 0; i < 200; i++) {
    const target = Math.floor(rnd() * (OPS + 1));
    const t = performance.now();
    timeline.stateAt(target);
    jumps.push(performance.now() - t);
  }
  const jumpCpu = process.cpuUsage(j0).user / 1000 / 200;
  jumps.sort((a, b) => a - b);
  const mean = jumps.reduce((s, x) => s + x, 0) / jumps.length;
  const p95 = jumps[Math.floor(jumps.length * 0.95)]!;

  const round = (x: number, d = 1): number => Number(x.toFixed(d));
  return [
    {
      name: 'kernel.timeline-10k.total',
      value: round(totalMs),
      unit: 'ms',
      note: `median of 3 (CPU ${round(median(cpu))} ms); ${OPS} ops: ${mix}; ${errors} errors`,
    },
    { name: 'kernel.timeline-10k.rate', value: Math.round((OPS * 1000) / totalMs), unit: 'ops/s' },
    {
      name: 'kernel.dma-burst-1M',
      value: Math.round((COUNT * 1000) / burstMs),
      unit: 'accesses/s',
      note: `${round(burstMs)} ms (CPU ${round(burstCpu)} ms); TLB ${totals.tlbHits} hits, ${totals.tlbMisses} misses`,
    },
    {
      name: 'kernel.stateAt.mean',
      value: round(mean, 2),
      unit: 'ms',
      note: `200 random targets in ${OPS} ops (CPU ${round(jumpCpu, 2)} ms per jump)`,
    },
    { name: 'kernel.stateAt.p95', value: round(p95, 2), unit: 'ms' },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchKernel()) console.log(r);
}
