// Engine throughput: translations per second for TLB hits and for full 4-level walks (4 KB
// granule, T0SZ 16), trace off and on. Run: node --import tsx scripts/bench/engine.ts
import os from 'node:os';
import { translate, type Smmu } from '../../src/engine/index.ts';
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
/** Pages mapped for the walk benchmark: far more than the TLB holds, so each access misses. */
const PAGES = 4096;
const VA_BASE = 0x0000_7f00_0000_0000n;

function setup(): { smmu: Smmu; vas: bigint[] } {
  const smmu = env();
  const tables = new Tables(smmu.mem, 12);
  const root = tables.alloc();
  putSte(smmu, SID, { config: 5, s1ctx: CDTAB });
  putCd(smmu, CDTAB, { ttb0: root, asid: 1 });
  const vas: bigint[] = [];
  for (let i = 0; i < PAGES; i++) {
    const va = VA_BASE + (BigInt(i) << 12n);
    tables.map(root, 0, 48, va, 3, (0x8000_0000n + (BigInt(i) << 12n)) | AF | AP_EL0 | PAGE);
    vas.push(va | 0x123n);
  }
  return { smmu, vas };
}

interface Rate {
  /** Median of the rounds (wall clock, performance.now()). */
  readonly perSec: number;
  readonly best: number;
  /** Operations per second of this process's CPU time (less sensitive to a busy machine). */
  readonly perCpuSec: number;
}

/**
 * Runs `op(i)` after a warm-up for at least `minMs` in total, in rounds of at least 100 ms;
 * reports the median round, the best round and the CPU-time rate.
 */
function rate(op: (i: number) => void, minMs = 600): Rate {
  let n = 0;
  for (let i = 0; i < 20_000; i++) op(n++);
  const rounds: number[] = [];
  const cpu0 = process.cpuUsage();
  let ops = 0;
  const start = performance.now();
  while (performance.now() - start < minMs || rounds.length < 5) {
    const t0 = performance.now();
    let k = 0;
    let t = t0;
    while (t - t0 < 100) {
      for (let j = 0; j < 1000; j++) op(n++);
      k += 1000;
      t = performance.now();
    }
    ops += k;
    rounds.push((k * 1000) / (t - t0));
  }
  const cpu = process.cpuUsage(cpu0);
  rounds.sort((a, b) => a - b);
  return {
    perSec: rounds[Math.floor(rounds.length / 2)]!,
    best: rounds[rounds.length - 1]!,
    perCpuSec: (ops * 1e6) / (cpu.user + cpu.system),
  };
}

const fmt = (r: Rate): string =>
  `median of ≥5 rounds of 100 ms; best ${Math.round(r.best)}/s; ${Math.round(r.perCpuSec)}/s of CPU time`;

export async function benchEngine(): Promise<BenchResult[]> {
  await Promise.resolve();
  const { smmu, vas } = setup();
  const txn = { sid: SID, addr: vas[0]!, access: 'r' as const, priv: false };

  // (a) TLB hits: one VA, translated once to fill the TLB (and the configuration cache).
  translate(smmu, txn, { trace: false });
  const hit = rate(() => {
    const t = translate(smmu, txn, { trace: false });
    if (t.tlb !== 'hit') throw new Error('expected a TLB hit');
  });

  // (b) Full walks: a fresh VA each time, cycling through more pages than the TLB holds.
  const walkOp =
    (trace: boolean) =>
    (i: number): void => {
      const t = translate(smmu, { ...txn, addr: vas[i % PAGES]! }, { trace });
      if (t.tlb !== 'miss' || t.outcome.type !== 'translated') throw new Error('expected a walk');
    };
  smmu.tlb.invalidate(() => true);
  const walkOff = rate(walkOp(false));
  // (c) The same walk with the trace recorded.
  smmu.tlb.invalidate(() => true);
  const walkOn = rate(walkOp(true));

  const machine = `Node ${process.versions.node}, ${process.arch}, ${os.cpus().length} CPUs, load ${os
    .loadavg()[0]!
    .toFixed(1)}`;
  return [
    {
      name: 'engine.tlb-hit',
      value: Math.round(hit.perSec),
      unit: 'translations/s',
      note: `${fmt(hit)}; ${machine}`,
    },
    {
      name: 'engine.walk-4level',
      value: Math.round(walkOff.perSec),
      unit: 'translations/s',
      note: `4 KB granule, T0SZ 16, TLB miss, config cache warm, trace off; ${fmt(walkOff)}`,
    },
    {
      name: 'engine.walk-4level-trace',
      value: Math.round(walkOn.perSec),
      unit: 'translations/s',
      note: `as above with the trace recorded; ${fmt(walkOn)}`,
    },
    {
      name: 'engine.trace-cost',
      value: Number((walkOff.perSec / walkOn.perSec).toFixed(2)),
      unit: 'x slower with trace',
      note: `walk rate trace off / trace on (CPU-time ratio ${(walkOff.perCpuSec / walkOn.perCpuSec).toFixed(2)})`,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchEngine()) console.log(r);
}
