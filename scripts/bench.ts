// `npm run bench`: the engine, kernel, share-link and UI benchmarks, one table. Numbers are
// wall-clock on this machine (noted in the header); a goal is what the project asks of the number.
// `npm run bench -- --no-ui` skips the browser benchmarks (they build the app and start Chromium).
import os from 'node:os';
import { benchEngine } from './bench/engine.ts';
import { benchKernel } from './bench/kernel.ts';
import type { BenchResult } from './bench/result.ts';
import { benchShare } from './bench/share.ts';
import { benchUi } from './bench/ui.ts';

const GOALS: Readonly<Record<string, string>> = {
  'kernel.timeline-10k.total': '< 1000 ms',
  'kernel.stateAt.mean': '< 50 ms',
  'kernel.stateAt.p95': '< 50 ms',
  'share.link.default': '< 1000 chars',
  'share.link-vs-lz.50-op-stress': '≤ 60 %',
  'share.link-vs-lz.50-op-random': '≤ 60 %',
  'share.link-vs-lz.50-op-random-2': '≤ 60 %',
  'ui: navigation → first diagram': '< 1000 ms',
  'ui: p95 frame time while panning the stress scenario': '< 16.7 ms',
  'ui: p95 frame time while playing walks in the stress scenario': '< 16.7 ms',
  'ui: jump to an op of a 10,000-op scenario (store → React commit + layout)': '< 50 ms',
};

function table(rows: readonly BenchResult[]): string {
  const cells = rows.map((r) => [
    r.name,
    r.value.toLocaleString('en-US'),
    r.unit,
    GOALS[r.name] ?? '',
    r.note ?? '',
  ]);
  const head = ['name', 'value', 'unit', 'goal', 'note'];
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string =>
    c
      .map((x, i) => (i === 1 ? x.padStart(width[i]!) : x.padEnd(width[i]!)))
      .join(' | ')
      .trimEnd();
  return [line(head), width.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

const cpus = os.cpus();
console.log(
  `# ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, Node ${process.versions.node}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const ui = !process.argv.includes('--no-ui');
const rows = [
  ...(await benchEngine()),
  ...(await benchKernel()),
  ...benchShare(),
  ...(ui ? await benchUi() : []),
];
console.log(table(rows));
