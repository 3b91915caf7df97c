// Kernel-level throughput: (a) the 10,000-op random scenario (scenario.ts) through Timeline, plain
// and with the big ranges (a populated 64 MB buffer, a 1 GB map and unmap of 4 KB pages);
// (b) one `dma` op of 1,000,000 accesses over a mapped range, TLB friendly; (c) Timeline.stateAt
// jumps to random points of the big-ranges timeline, mean, p95 and worst.
// Times are CPU time of this process (the machine is shared) with wall time beside them.
// Run: node --import tsx scripts/bench/kernel.ts
import { createWorld, parseScenario, runOp, Timeline } from '../../src/scenario/index.ts';
import type { ScenarioDoc } from '../../src/scenario/index.ts';
import { cpuMs } from './engine.ts';
import type { BenchResult } from './result.ts';
import { benchScenario, burstScenario, prng } from './scenario.ts';

export type { BenchResult };

const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 1): number => Number(x.toFixed(d));
const OPS = 10_000;

/** Builds the doc's Timeline `n` times (after one warm-up): median CPU and wall ms, the last. */
function build(doc: ScenarioDoc, n: number): { cpu: number; wall: number; timeline: Timeline } {
  const parsed = parseScenario(doc);
  if (!parsed.ok) throw new Error(parsed.error);
  let timeline = new Timeline(parsed.scenario);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    timeline = new Timeline(parsed.scenario);
    wall.push(performance.now() - t0);
    cpu.push(cpuMs() - c0);
  }
  return { cpu: median(cpu), wall: median(wall), timeline };
}

function mix(doc: ScenarioDoc): string {
  const kinds = new Map<string, number>();
  for (const o of doc.ops) kinds.set(o.op, (kinds.get(o.op) ?? 0) + 1);
  return [...kinds]
    .sort((a, b) => b[1] - a[1])
    .map(([op, c]) => `${op} ${c}`)
    .join(', ');
}

export async function benchKernel(): Promise<BenchResult[]> {
  await Promise.resolve();
  const plain = benchScenario(OPS);
  const big = benchScenario(OPS, 2017, { buffer: true, unmap1G: true });

  // (a) Every op run and checkpointed.
  const a = build(plain, 3);
  const b = build(big, 1);
  const errors = (t: Timeline): number => t.records.filter((r) => r.status === 'error').length;

  // (b) One dma op of 1,000,000 accesses (TLB hits after the first access of each 2 MB block).
  const COUNT = 1_000_000;
  const burst = burstScenario(COUNT);
  const bw = createWorld(burst).world;
  for (let i = 0; i < burst.ops.length - 1; i++) runOp(bw, burst.ops[i]!, i);
  const small = burstScenario(20_000); // warm-up
  const warm = createWorld(small).world;
  small.ops.forEach((o, i) => runOp(warm, o, i));
  const c0 = cpuMs();
  const t0 = performance.now();
  const rec = runOp(bw, burst.ops[burst.ops.length - 1]!, burst.ops.length - 1);
  const burstMs = performance.now() - t0;
  const burstCpu = cpuMs() - c0;
  const totals = rec.dma?.totals;
  if (!totals || totals.translated !== COUNT) throw new Error('the burst did not translate');

  // (c) Jumps to random points of the big-ranges timeline (every op equally likely).
  const timeline = b.timeline;
  const n = timeline.length;
  const rnd = prng(7);
  for (let i = 0; i < 5; i++) timeline.stateAt(Math.floor(rnd() * n));
  const jumps: number[] = [];
  for (let i = 0; i < 300; i++) {
    const target = Math.floor(rnd() * (n + 1));
    const j0 = cpuMs();
    timeline.stateAt(target);
    jumps.push(cpuMs() - j0);
  }
  jumps.sort((x, y) => x - y);
  const mean = jumps.reduce((s, x) => s + x, 0) / jumps.length;
  const p95 = jumps[Math.floor(jumps.length * 0.95)]!;

  return [
    {
      name: 'kernel.timeline-10k.total',
      value: round(a.cpu),
      unit: 'ms CPU',
      note: `median of 3 (wall ${round(a.wall)} ms); ${OPS} ops: ${mix(plain)}; ${errors(a.timeline)} errors`,
    },
    { name: 'kernel.timeline-10k.rate', value: Math.round((OPS * 1000) / a.cpu), unit: 'ops/s' },
    {
      name: 'kernel.timeline-10k-big.total',
      value: round(b.cpu),
      unit: 'ms CPU',
      note: `with a populated 64 MB buffer kept to the end and 1 GB of 4 KB pages mapped and unmapped halfway (wall ${round(b.wall)} ms); ${errors(b.timeline)} errors; ${timeline.checkpointsAt().length} checkpoints`,
    },
    {
      name: 'kernel.dma-burst-1M',
      value: Math.round((COUNT * 1000) / burstCpu),
      unit: 'accesses/s',
      note: `${round(burstCpu)} ms CPU (wall ${round(burstMs)} ms); TLB ${totals.tlbHits} hits, ${totals.tlbMisses} misses`,
    },
    {
      name: 'kernel.stateAt.mean',
      value: round(mean, 2),
      unit: 'ms CPU',
      note: `300 random targets in the ${n}-op big-ranges timeline`,
    },
    { name: 'kernel.stateAt.p95', value: round(p95, 2), unit: 'ms CPU' },
    { name: 'kernel.stateAt.worst', value: round(jumps[jumps.length - 1]!, 2), unit: 'ms CPU' },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchKernel()) console.log(r);
}
