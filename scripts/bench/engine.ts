// Engine throughput: translations per second for TLB hits and for full 4-level walks (4 KB
// granule, T0SZ 16), trace off and on, against the floor of a bare walk over the same memory.
// Run: node --import tsx scripts/bench/engine.ts
//
// The rates are measured in interleaved rounds (walk, bare walk, walk with trace, …), so a busy
// machine slows them alike, and each ratio is the median of the per-round ratios.
import os from 'node:os';
import { translate, type PhysMem, type Smmu } from '../../src/engine/index.ts';
import {
  AF,
  AP_EL0,
  CDTAB,
  PAGE,
  Tables,
  env,
  putCd,
  putSte,
} from '../../src/engine/tables.testkit.ts';
import type { BenchResult } from './result.ts';

const SID = 1;
/**
 * Pages mapped for the walk benchmark: far more than the TLB holds, so each access misses. The
 * walks without trace take the first half, those with the trace the second: neither finds the
 * other's pages in the TLB.
 */
const PAGES = 4096;
const VA_BASE = 0x0000_7f00_0000_0000n;

function setup(): { smmu: Smmu; root: bigint; vas: bigint[] } {
  const smmu = env();
  const tables = new Tables(smmu.mem, 12);
  const root = tables.alloc();
  putSte(smmu, SID, { config: 5, s1ctx: CDTAB });
  putCd(smmu, CDTAB, { ttb0: root, asid: 1 });
  const vas: bigint[] = [];
  for (let i = 0; i < 2 * PAGES; i++) {
    const va = VA_BASE + (BigInt(i) << 12n);
    tables.map(root, 0, 48, va, 3, (0x8000_0000n + (BigInt(i) << 12n)) | AF | AP_EL0 | PAGE);
    vas.push(va | 0x123n);
  }
  return { smmu, root, vas };
}

/** Bits [47:12] of a descriptor: the next table, or the page/block output address. */
const OA_BITS = 0x0000_ffff_ffff_f000n;

/**
 * The floor: the same four descriptor reads from the same simulated memory (PhysMem.read64 of its
 * 4 KB typed-array pages) and the checks any VMSAv8-64 stage-1 walk makes on them (Arm ARM
 * D8.3–D8.4), the way the engine's walk makes them: an abort on a word outside RAM, the valid
 * bit, the descriptor type per level (a block at level 0 or type 0b01 at level 3 is a
 * translation fault), the next table's and the output's address against the output size, the
 * hierarchical APTable limits gathered on the way, AF, and the leaf's AP[2:1] against the access
 * (unprivileged read here). What it leaves out is the SMMU around the walk: no STE or CD, no TLB
 * lookup or fill, no trace, no event, no result object but the output address (-1n for any
 * fault).
 */
function bareWalk(mem: PhysMem, root: bigint, va: bigint, oaLimit: bigint): bigint {
  let table = root;
  let apTable = 0n;
  for (let level = 0, shift = 39n; level <= 3; level++, shift -= 9n) {
    const d = mem.read64(table + ((va >> shift) & 511n) * 8n);
    if (d === undefined || (d & 1n) === 0n) return -1n; // external abort, invalid
    const tableOrPage = (d & 2n) !== 0n;
    if (level < 3 && tableOrPage) {
      table = d & OA_BITS;
      if (table >= oaLimit) return -1n; // address size fault
      apTable |= d >> 61n; // APTable[1:0]
      continue;
    }
    if (level === 3 ? !tableOrPage : level === 0) return -1n; // reserved; no level-0 block
    const size = 1n << shift;
    const base = d & OA_BITS & ~(size - 1n);
    if (base >= oaLimit || (d & AF) === 0n) return -1n; // address size, access flag fault
    const ap = ((d >> 6n) & 3n) | ((apTable & 2n) !== 0n ? 2n : 0n); // AP[2:1], APTable[1]
    if ((ap & 1n) === 0n || (apTable & 1n) !== 0n) return -1n; // no unprivileged access
    return base | (va & (size - 1n));
  }
  return -1n;
}

export interface Rates {
  /** Median rate of each op's rounds, per second of this process's CPU time. */
  readonly perSec: number[];
  /** Median over rounds of rate(a) / rate(b), for each pair asked for. */
  readonly ratios: number[];
  readonly rounds: number;
}

/** CPU time of this process so far, in ms (user + system). */
export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Runs the ops in interleaved rounds of ≥ `roundMs` of CPU time each (after a warm-up), until
 * `minMs` in total and at least 9 rounds; reports each op's median rate and the median per-round
 * ratios. CPU time, not wall time: on a shared machine the process is descheduled for tens of
 * milliseconds at a time, which wall-clock rounds would count as work.
 */
export function interleaved(
  ops: readonly ((i: number) => void)[],
  pairs: readonly (readonly [number, number])[],
  minMs = 2000,
  roundMs = 50,
): Rates {
  const n = ops.map(() => 0);
  ops.forEach((op, k) => {
    for (let i = 0; i < 20_000; i++) op(n[k]!++);
  });
  const rates: number[][] = ops.map(() => []);
  const start = cpuMs();
  while (cpuMs() - start < minMs || rates[0]!.length < 9) {
    ops.forEach((op, k) => {
      const t0 = cpuMs();
      let done = 0;
      let t = t0;
      while (t - t0 < roundMs) {
        for (let j = 0; j < 500; j++) op(n[k]!++);
        done += 500;
        t = cpuMs();
      }
      rates[k]!.push((done * 1000) / (t - t0));
    });
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  return {
    perSec: rates.map(median),
    ratios: pairs.map(([a, b]) => median(rates[a]!.map((r, i) => r / rates[b]![i]!))),
    rounds: rates[0]!.length,
  };
}

export async function benchEngine(): Promise<BenchResult[]> {
  await Promise.resolve();
  const { smmu, root, vas } = setup();
  const txn = { sid: SID, addr: vas[0]!, access: 'r' as const, priv: false };
  const machine = `Node ${process.versions.node}, ${process.arch}, ${os.cpus().length} CPUs, load ${os
    .loadavg()[0]!
    .toFixed(1)}`;

  // (a) TLB hits: one VA, translated once to fill the TLB (and the configuration cache).
  translate(smmu, txn, { trace: false });
  const hitOp = (): void => {
    if (translate(smmu, txn, { trace: false }).tlb !== 'hit') throw new Error('expected a hit');
  };
  const hit = interleaved([hitOp], [], 600).perSec[0]!;

  // (b) Full walks: a fresh VA each time, cycling through more pages than the TLB holds, against
  // the bare walk over the same VAs; (c) the same walks with the trace recorded, against (b).
  const walkOp =
    (trace: boolean) =>
    (i: number): void => {
      const addr = vas[(i % PAGES) + (trace ? PAGES : 0)]!;
      const t = translate(smmu, { sid: SID, addr, access: 'r', priv: false }, { trace });
      if (t.tlb !== 'miss' || t.outcome.type !== 'translated') throw new Error('expected a walk');
    };
  let sink = 0n;
  const oaLimit = 1n << 48n; // CD.IPS 48 bits, as the engine's walk uses
  // The floor answers what the engine answers (the same output address for every VA).
  for (let i = 0; i < PAGES; i += 97) {
    const pa = bareWalk(smmu.mem, root, vas[i]!, oaLimit);
    const t = translate(smmu, { ...txn, addr: vas[i]! }, { trace: false }).outcome;
    if (t.type !== 'translated' || t.pa !== pa) throw new Error(`bare walk differs at ${i}`);
  }
  const bareOp = (i: number): void => {
    sink ^= bareWalk(smmu.mem, root, vas[i % PAGES]!, oaLimit);
  };
  smmu.tlb.invalidate(() => true);
  const a = interleaved([walkOp(false), bareOp], [[1, 0]]);
  const b = interleaved([walkOp(false), walkOp(true)], [[0, 1]]);
  if (sink === 1n) console.log(''); // keeps the bare walk's result alive
  const [walk, bare] = a.perSec as [number, number];
  const traced = b.perSec[1]!;
  const slower = a.ratios[0]!;
  const traceCost = b.ratios[0]!;
  const r = a;
  const how = `median of ${r.rounds} interleaved rounds of 50 ms of CPU time; ${machine}`;
  return [
    { name: 'engine.tlb-hit', value: Math.round(hit), unit: 'translations/s', note: how },
    {
      name: 'engine.walk-4level',
      value: Math.round(walk),
      unit: 'translations/s',
      note: `4 KB granule, T0SZ 16, TLB miss, config cache warm, trace off; ${how}`,
    },
    {
      name: 'engine.bare-walk',
      value: Math.round(bare),
      unit: 'walks/s',
      note: 'the floor: the same 4 descriptor reads (PhysMem.read64) and the checks every walk makes on them (type, address size, APTable, AF, AP), no STE/CD/TLB/trace',
    },
    {
      name: 'engine.walk-vs-bare',
      value: Number(slower.toFixed(2)),
      unit: 'x the bare walk',
      note: 'median per-round ratio, bare rate / walk rate',
    },
    {
      name: 'engine.walk-4level-trace',
      value: Math.round(traced),
      unit: 'translations/s',
      note: `the same walks with the trace recorded; ${how}`,
    },
    {
      name: 'engine.trace-cost',
      value: Number(traceCost.toFixed(2)),
      unit: 'x slower with trace',
      note: 'median per-round ratio, trace off / trace on: walks of the same table shape, the TLB missing in both',
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchEngine()) console.log(r);
}
