// The goals of issue 16, each read off the benchmark rows of the same run: the figure, the goal,
// what was measured, the baseline it is read against (measured in the same run), pass or fail.
// A goal whose rows were not measured (`--no-ui`) says so instead of passing.
import type { BenchResult } from './result.ts';

export interface GoalRow {
  readonly figure: string;
  readonly goal: string;
  readonly measured: string;
  readonly baseline: string;
  readonly pass: boolean | undefined;
}

type Get = (name: string) => number | undefined;

interface Goal {
  readonly figure: string;
  readonly goal: string;
  /** Measured, baseline, pass — or undefined when a row it needs is missing. */
  readonly judge: (get: Get) => [string, string, boolean] | undefined;
}

const ms = (x: number): string => `${x.toLocaleString('en')} ms`;

const GOALS: readonly Goal[] = [
  {
    figure: 'initial JS, gzip (examples, docs and rarely used views loaded on demand)',
    goal: '≤ 150 kB',
    judge: (g) => {
      const [i, a] = [g('ui.bundle.initial-gzip'), g('ui.bundle.all-gzip')];
      return i === undefined || a === undefined
        ? undefined
        : [`${i} kB`, `all JS ${a} kB`, i <= 150];
    },
  },
  {
    figure: 'first diagram (vite preview, headless Chromium) vs a trivial page’s first frame',
    goal: '≤ 3×',
    judge: (g) => {
      const [d, t] = [g('ui.first-diagram'), g('ui.trivial-first-frame')];
      if (d === undefined || t === undefined) return undefined;
      return [`${ms(d)} (${(d / t).toFixed(1)}×)`, `trivial page ${ms(t)}`, d <= 3 * t];
    },
  },
  {
    figure: 'jump to any op of the 10k-op scenario, in the page: p95 (worst)',
    goal: '≤ 50 ms',
    judge: (g) => {
      const [p, w, k] = [g('ui.jump.p95'), g('ui.jump.worst'), g('kernel.stateAt.p95')];
      if (p === undefined || w === undefined) return undefined;
      return [`${ms(p)} (worst ${ms(w)})`, `stateAt alone p95 ${ms(k ?? NaN)} CPU`, p <= 50];
    },
  },
  {
    figure: 'p95 frame while playing a walk vs the empty-page floor',
    goal: '≤ floor + 4 ms',
    judge: (g) => {
      const [p, f] = [g('ui.play.p95'), g('ui.frame-floor.p95')];
      return p === undefined || f === undefined ? undefined : [ms(p), `floor ${ms(f)}`, p <= f + 4];
    },
  },
  {
    figure: 'full 4-level walks/s, trace off, in the bench’s own harness',
    goal: '≥ 300k, ≤ 3× the bare walk',
    judge: (g) => {
      const [w, b, x] = [g('engine.walk-4level'), g('engine.bare-walk'), g('engine.walk-vs-bare')];
      if (w === undefined || b === undefined || x === undefined) return undefined;
      return [
        `${Math.round(w / 1000)}k/s (${x}× the bare walk)`,
        `bare walk ${Math.round(b / 1000)}k/s`,
        w >= 300_000 && x <= 3,
      ];
    },
  },
  {
    figure: 'munmap of a bound, filled region: cost per page from 64 MB to 1 GB',
    goal: 'flat (linear total)',
    judge: (g) => {
      const [a, b, x] = [
        g('ranges.munmap-64MB.per-1k-pages'),
        g('ranges.munmap-1GB.per-1k-pages'),
        g('ranges.munmap.growth-64M-to-1G'),
      ];
      if (a === undefined || b === undefined || x === undefined) return undefined;
      // Flat within noise: a quadratic free would be 16× here.
      return [`${b} ms / 1k pages at 1 GB (${x}×)`, `${a} ms / 1k pages at 64 MB`, x <= 1.5];
    },
  },
  {
    figure: '1 GB unmap of 4K pages (262k TLBIs)',
    goal: '≤ 0.5 s',
    judge: (g) => {
      const [u, m] = [g('ranges.unmap-1G-4K'), g('ranges.map-1G-4K')];
      return u === undefined || m === undefined
        ? undefined
        : [`${ms(u)} CPU`, `the map of the same range ${ms(m)} CPU`, u <= 500];
    },
  },
  {
    figure: 'CLI `run` of a golden scenario vs `node -e 0`',
    goal: '≤ 3×',
    judge: (g) => {
      const [c, n, x] = [g('cli.run-golden'), g('cli.node-e-0'), g('cli.run-golden-vs-node')];
      if (c === undefined || n === undefined || x === undefined) return undefined;
      return [`${ms(c)} (${x}×)`, `node -e 0 ${ms(n)}`, x <= 3];
    },
  },
  {
    figure: 'memory for the 10k-op scenario’s timeline',
    goal: '≤ 100 MB',
    judge: (g) => {
      const m = g('memory.timeline-10k');
      return m === undefined ? undefined : [`${m} MB`, '—', m <= 100];
    },
  },
  {
    figure: '… with one 64 MB mapping added',
    goal: '≤ 150 MB',
    judge: (g) => {
      const [m, b] = [g('memory.timeline-10k-buffer'), g('memory.timeline-10k')];
      return m === undefined || b === undefined
        ? undefined
        : [`${m} MB`, `without it ${b} MB`, m <= 150];
    },
  },
];

export function goals(rows: readonly BenchResult[]): GoalRow[] {
  const by = new Map(rows.map((r) => [r.name, r.value]));
  const get: Get = (n) => by.get(n);
  return GOALS.map((g) => {
    const j = g.judge(get);
    return j
      ? { figure: g.figure, goal: g.goal, measured: j[0], baseline: j[1], pass: j[2] }
      : {
          figure: g.figure,
          goal: g.goal,
          measured: 'not measured',
          baseline: '—',
          pass: undefined,
        };
  });
}
