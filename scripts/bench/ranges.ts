// Big ranges: (a) munmap of a bound, populated region of 64 MB, 256 MB and 1 GB — the cost per page
// must not grow with the size (freeing was quadratic); (b) the unmap of 1 GB of 4 KB pages on a
// domain, which issues 262,144 TLBI_NH_VA without range invalidation (Linux too), beside the map
// of the same range. CPU time, wall time beside it; each measurement in a child process of its
// own (a fresh heap: no other benchmark's garbage to collect), the best of a few runs.
// Run: node --import tsx scripts/bench/ranges.ts
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  createWorld,
  parseScenario,
  runOp,
  type OpDoc,
  type OpRecord,
  type World,
} from '../../src/scenario/index.ts';
import { cpuMs } from './engine.ts';
import type { BenchResult } from './result.ts';
import { MAP_UNMAP_1G } from './scenario.ts';
import { installOnDemand } from '../../src/cli/install.ts';

const hex = (n: bigint): string => `0x${n.toString(16)}`;
const round = (x: number, d = 1): number => Number(x.toFixed(d));

/** Runs `ops` in a fresh world; returns the world and the CPU and wall ms of the last op. */
function runLast(ops: readonly OpDoc[]): { cpu: number; wall: number; r: OpRecord; w: World } {
  const p = parseScenario({ format: 'sva-explorer/scenario', version: 1, ops });
  if (!p.ok) throw new Error(p.error);
  const w = createWorld(p.scenario).world;
  const last = p.scenario.ops.length - 1;
  for (let i = 0; i < last; i++) {
    const r = runOp(w, p.scenario.ops[i]!, i);
    if (r.status !== 'ok') throw new Error(`op ${i} (${r.op.op}): ${r.error ?? ''}`);
  }
  const c0 = cpuMs();
  const t0 = performance.now();
  const r = runOp(w, p.scenario.ops[last]!, last);
  const wall = performance.now() - t0;
  const cpu = cpuMs() - c0;
  if (r.status !== 'ok') throw new Error(`${r.op.op}: ${r.error ?? ''} ${r.message ?? ''}`);
  return { cpu, wall, r, w };
}

/** munmap of `bytes` of populated memory that a device is bound to: ms per 1,000 pages. */
function munmapPerPage(bytes: bigint): { perKPage: number; cpu: number; wall: number } {
  const at = 0x1_0000_0000n;
  const { cpu, wall } = runLast([
    { op: 'device', name: 'gpu', sid: 0x10, bus: 'pci', pasidBits: 8 },
    { op: 'domain', name: 'd' },
    { op: 'attach', dev: 'gpu', domain: 'd' },
    { op: 'process', name: 'app' },
    { op: 'mmap', proc: 'app', addr: hex(at), size: hex(bytes), prot: 'rw', populate: true },
    { op: 'bind', dev: 'gpu', proc: 'app' },
    { op: 'munmap', proc: 'app', addr: hex(at), size: hex(bytes) },
  ]);
  return { perKPage: (cpu * 1000) / Number(bytes >> 12n), cpu, wall };
}

const SETUP_1G: readonly OpDoc[] = [
  { op: 'device', name: 'gpu', sid: 0x10, bus: 'platform' },
  { op: 'domain', name: 'd1' },
  { op: 'attach', dev: 'gpu', domain: 'd1' },
];

interface Timing {
  readonly cpu: number;
  readonly wall: number;
  readonly commands?: number;
  readonly tlbis?: number;
  readonly writes?: number;
  readonly firstRead?: number;
}

/** In the child: one measurement. */
function measure(what: string): Timing {
  if (what.startsWith('munmap:')) {
    munmapPerPage(16n << 20n); // warm-up
    const { cpu, wall } = munmapPerPage(BigInt(what.slice(7)));
    return { cpu, wall };
  }
  if (what === 'map1g') {
    const { cpu, wall } = runLast([...SETUP_1G, MAP_UNMAP_1G[0]!]);
    return { cpu, wall };
  }
  const { cpu, wall, r } = runLast([...SETUP_1G, ...MAP_UNMAP_1G]);
  // The record keeps commands and writes as words; a view that reads them all makes their
  // objects then, once: timed apart (the op's row does not include it).
  const c0 = cpuMs();
  const tlbis = r.commands.filter((c) => c.command?.name === 'CMD_TLBI_NH_VA').length;
  const writes = r.writes.filter((w) => w.new !== w.old).length;
  const firstRead = cpuMs() - c0;
  return { cpu, wall, commands: r.commands.length, tlbis, writes, firstRead };
}

/** The best (least CPU) of `n` runs, each in a fresh child process. */
function best(what: string, n: number): Timing {
  let out: Timing | undefined;
  for (let i = 0; i < n; i++) {
    const text = execFileSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', what],
      { encoding: 'utf8' },
    );
    const t = JSON.parse(text.trim().split('\n').pop()!) as Timing;
    if (!out || t.cpu < out.cpu) out = t;
  }
  return out!;
}

export async function benchRanges(): Promise<BenchResult[]> {
  await Promise.resolve();
  const sizes = [64n << 20n, 256n << 20n, 1n << 30n];
  const costs = sizes.map((s) => {
    const t = best(`munmap:${s}`, s >= 1n << 30n ? 2 : 3);
    return { ...t, perKPage: (t.cpu * 1000) / Number(s >> 12n) };
  });
  const mb = (b: bigint): string => (b >= 1n << 30n ? `${b >> 30n} GB` : `${b >> 20n} MB`);
  const map = best('map1g', 2);
  const unmap = best('unmap1g', 3);
  if (unmap.tlbis !== 262_144) throw new Error(`expected 262,144 TLBIs, got ${unmap.tlbis}`);
  const n = (x: number | undefined): string => (x ?? 0).toLocaleString('en');

  return [
    ...sizes.map((s, i) => ({
      name: `ranges.munmap-${mb(s).replace(' ', '')}.per-1k-pages`,
      value: round(costs[i]!.perKPage, 2),
      unit: 'ms CPU',
      note: `munmap of ${mb(s)} populated and bound: ${round(costs[i]!.cpu)} ms CPU (wall ${round(costs[i]!.wall)} ms); best of ${s >= 1n << 30n ? 2 : 3}`,
    })),
    {
      name: 'ranges.munmap.growth-64M-to-1G',
      value: round(costs[2]!.perKPage / costs[0]!.perKPage, 2),
      unit: 'x per page',
      note: 'cost per page at 1 GB / at 64 MB (1 = linear total)',
    },
    {
      name: 'ranges.unmap-1G-4K',
      value: round(unmap.cpu),
      unit: 'ms CPU',
      note: `${n(unmap.commands)} commands (${n(unmap.tlbis)} TLBI_NH_VA), ${n(unmap.writes)} words written; wall ${round(unmap.wall)} ms; best of 3; a view's first read of every command and write: ${round(unmap.firstRead ?? 0)} ms CPU more`,
    },
    {
      name: 'ranges.map-1G-4K',
      value: round(map.cpu),
      unit: 'ms CPU',
      note: `the map of the same 262,144 pages; wall ${round(map.wall)} ms; best of 2`,
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Run on its own (the bench's child process): documents are read as the CLI reads them.
  installOnDemand();
  const at = process.argv.indexOf('--child');
  if (at > 0) console.log(JSON.stringify(measure(process.argv[at + 1]!)));
  else for (const r of await benchRanges()) console.log(r);
}
