// `npm run bench`: the engine and kernel benchmarks, one table. Numbers are wall-clock on this
// machine (noted in the header); a goal is what the project asks of the number.
import os from 'node:os';
import { benchEngine } from './bench/engine.ts';
import { benchKernel, type BenchResult } from './bench/kernel.ts';

const GOALS: Readonly<Record<string, string>> = {
  'kernel.timeline-10k.total': '< 1000 ms',
  'kernel.stateAt.mean': '< 50 ms',
  'kernel.stateAt.p95': '< 50 ms',
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
const rows = [...(await benchEngine()), ...(await benchKernel())];
console.log(table(rows));
