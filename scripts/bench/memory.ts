// Memory a Timeline keeps: the 10,000-op scenario's, plain, with the populated 64 MB buffer, and
// with the 1 GB map and unmap too; each beside the memory its op records alone take (the
// checkpoints' share is the difference). Heap and array buffers retained after garbage
// collection, measured in a child process of its own with --expose-gc (a fresh heap, nothing
// else alive). Run: node --import tsx scripts/bench/memory.ts
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseScenario, Timeline } from '../../src/scenario/index.ts';
import type { BenchResult } from './result.ts';
import { benchScenario } from './scenario.ts';
import { installOnDemand } from '../../src/cli/install.ts';

const MB = 2 ** 20;

interface Sample {
  /** Heap + array buffers retained by the timeline, MB. */
  readonly timeline: number;
  /** The same with the checkpoints dropped (op records and the head world), MB. */
  readonly records: number;
  readonly ops: number;
}

/** In the child: one timeline's retained memory. */
function sample(which: 'plain' | 'buffer' | 'big'): Sample {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const doc = benchScenario(
    10_000,
    2017,
    which === 'plain' ? {} : { buffer: true, unmap1G: which === 'big' },
  );
  const p = parseScenario(doc);
  if (!p.ok) throw new Error(p.error);
  const used = (): number => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const m0 = used();
  const t = new Timeline(p.scenario);
  const m1 = used();
  (t as unknown as { checkpoints: Map<number, unknown> }).checkpoints.clear();
  const m2 = used();
  return { timeline: (m1 - m0) / MB, records: (m2 - m0) / MB, ops: t.length };
}

function inChild(which: string): Sample {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), which],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Sample;
}

export async function benchMemory(): Promise<BenchResult[]> {
  await Promise.resolve();
  const round = (x: number): number => Number(x.toFixed(1));
  const rows: BenchResult[] = [];
  for (const [which, what] of [
    ['plain', 'the 10,000-op scenario'],
    ['buffer', 'the same with a populated 64 MB buffer bound to the gpu, kept to the end'],
    ['big', 'the same with 1 GB of 4 KB pages mapped and unmapped halfway too'],
  ] as const) {
    const s = inChild(which);
    rows.push({
      name: `memory.timeline-10k${which === 'plain' ? '' : `-${which}`}`,
      value: round(s.timeline),
      unit: 'MB',
      note: `${what} (${s.ops} ops): heap + array buffers after GC; the op records alone ${round(s.records)} MB`,
    });
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Run on its own (the bench's child process): documents are read as the CLI reads them.
  installOnDemand();
  const which = process.argv[2];
  if (which === 'plain' || which === 'buffer' || which === 'big')
    console.log(JSON.stringify(sample(which)));
  else for (const r of await benchMemory()) console.log(r);
}
