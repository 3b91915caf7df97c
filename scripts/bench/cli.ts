// CLI start-up: `run` of a golden scenario (--json) against `node -e 0`, in interleaved runs so a
// busy machine slows them alike; the launcher as `npm run sva` runs it (scripts/sva.mjs, cached
// bundle warm), and the whole `npm run -s sva -- …` against npm running a no-op script (npm's
// own start-up, which no CLI can go below). Median wall time, and CPU time (user + system of
// the child, from /usr/bin/time) where available. Run: node --import tsx scripts/bench/cli.ts
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './result.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GOLDEN = 'src/scenario/golden/01-first-bind.json';
const TIME = '/usr/bin/time';

/** Wall and CPU ms of one run of `cmd` (CPU NaN without /usr/bin/time). */
function once(cmd: readonly string[], cwd: string): { wall: number; cpu: number } {
  const timed = existsSync(TIME);
  const argv = timed ? [TIME, '-f', '@@%U %S', ...cmd] : [...cmd];
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')}: exit ${r.status}: ${r.stderr}`);
  const m = /@@([\d.]+) ([\d.]+)/.exec(r.stderr);
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export async function benchCli(runs = 9): Promise<BenchResult[]> {
  await Promise.resolve();
  const noop = mkdtempSync(path.join(tmpdir(), 'sva-npm-'));
  writeFileSync(path.join(noop, 'package.json'), '{"scripts":{"noop":"node -e 0"}}');
  const cases: [string, readonly string[], string][] = [
    ['node -e 0', ['node', '-e', '0'], ROOT],
    ['cli', ['node', 'scripts/sva.mjs', 'run', GOLDEN, '--json'], ROOT],
    ['npm cli', ['npm', 'run', '-s', 'sva', '--', 'run', GOLDEN, '--json'], ROOT],
    ['npm noop', ['npm', 'run', '-s', 'noop'], noop],
  ];
  try {
    once(cases[1]![1], ROOT); // builds the bundle and its code cache if they are stale
    const t = cases.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
    for (let i = 0; i < runs; i++)
      cases.forEach(([, cmd, cwd], k) => {
        const r = once(cmd, cwd);
        t[k]!.wall.push(r.wall);
        t[k]!.cpu.push(r.cpu);
      });
    const [node, cli, npmCli, npmNoop] = t.map((x) => ({
      wall: median(x.wall),
      cpu: median(x.cpu),
    })) as [
      { wall: number; cpu: number },
      { wall: number; cpu: number },
      { wall: number; cpu: number },
      { wall: number; cpu: number },
    ];
    const r1 = (x: number): number => Number(x.toFixed(1));
    const how = `median of ${runs} interleaved runs, wall (CPU)`;
    return [
      {
        name: 'cli.node-e-0',
        value: r1(node.wall),
        unit: 'ms',
        note: `${how}; CPU ${r1(node.cpu)} ms`,
      },
      {
        name: 'cli.run-golden',
        value: r1(cli.wall),
        unit: 'ms',
        note: `node scripts/sva.mjs run ${GOLDEN} --json (what npm run sva runs); ${how}; CPU ${r1(cli.cpu)} ms`,
      },
      {
        name: 'cli.run-golden-vs-node',
        value: r1(cli.wall / node.wall),
        unit: 'x',
        note: `wall ratio; CPU ratio ${r1(cli.cpu / node.cpu)}`,
      },
      {
        name: 'cli.npm-run-golden',
        value: r1(npmCli.wall),
        unit: 'ms',
        note: `npm run -s sva -- run … --json; npm running a no-op script takes ${r1(npmNoop.wall)} ms (CPU ${r1(npmNoop.cpu)}), ${r1(npmNoop.wall / node.wall)}x node -e 0, by itself`,
      },
    ];
  } finally {
    rmSync(noop, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchCli()) console.log(r);
}
