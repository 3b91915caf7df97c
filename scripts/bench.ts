// `npm run bench`: the engine, kernel, big-range, memory, CLI, share-link, bundle and UI
// benchmarks, one table of figures, then the goals of issue 16 read off them (figure, goal,
// measured, the baseline measured in the same run, pass/fail). Times are this machine's (noted in
// the header; it may be shared: CPU times and same-run ratios read better than wall times).
// `npm run bench -- --no-ui` skips the browser benchmarks (the bundle is still built and sized).
import os from 'node:os';
import { benchBundle } from './bench/bundle.ts';
import { benchCli } from './bench/cli.ts';
import { benchEngine } from './bench/engine.ts';
import { goals, type GoalRow } from './bench/goals.ts';
import { benchKernel } from './bench/kernel.ts';
import { benchMemory } from './bench/memory.ts';
import { benchRanges } from './bench/ranges.ts';
import { loadAverage, type BenchResult } from './bench/result.ts';
import { benchShare } from './bench/share.ts';
import { benchUi } from './bench/ui.ts';
import { installOnDemand } from '../src/cli/install.ts';

// Documents and links are read as the CLI reads them: schema and codec installed up front.
installOnDemand();

/** Goals of earlier issues that still stand (issue 6's share links). */
const OTHER_GOALS: Readonly<Record<string, string>> = {
  'share.link.default': '< 1000 chars',
  'share.link-vs-lz.50-op-stress': '≤ 60 %',
  'share.link-vs-lz.50-op-random': '≤ 60 %',
  'share.link-vs-lz.50-op-random-2': '≤ 60 %',
};

function grid(
  head: readonly string[],
  cells: readonly (readonly string[])[],
  right: number[],
): string {
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string =>
    c
      .map((x, i) => (right.includes(i) ? x.padStart(width[i]!) : x.padEnd(width[i]!)))
      .join(' | ')
      .trimEnd();
  return [line(head), width.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

const figures = (rows: readonly BenchResult[]): string =>
  grid(
    ['name', 'value', 'unit', 'goal', 'note'],
    rows.map((r) => [
      r.name,
      r.value.toLocaleString('en-US'),
      r.unit,
      OTHER_GOALS[r.name] ?? '',
      r.note ?? '',
    ]),
    [1],
  );

const goalTable = (rows: readonly GoalRow[]): string =>
  grid(
    ['figure', 'goal', 'measured', 'baseline (same run)', 'pass'],
    rows.map((g) => [
      g.figure,
      g.goal,
      g.measured,
      g.baseline,
      g.pass === undefined ? '—' : g.pass ? 'pass' : 'FAIL',
    ]),
    [],
  );

const cpus = os.cpus();
console.log(
  `# ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, Node ${process.versions.node}, load average ${loadAverage()}`,
);
const ui = !process.argv.includes('--no-ui');
const rows = [
  ...(await benchEngine()),
  ...(await benchKernel()),
  ...(await benchRanges()),
  ...(await benchMemory()),
  ...(await benchCli()),
  ...benchShare(),
  ...(ui ? await benchUi() : await benchBundle()),
];
console.log(figures(rows));
console.log(`\n## Goals (issue 16)\n`);
console.log(goalTable(goals(rows)));
