// Jumps A/B in CPU time: the page's main-thread CPU per jump (Chrome trace events' thread time,
// `tdur`), for two or more production builds, alternately in one run. On a machine shared with
// other work the wall-clock figures of jumpAB.ts swing by 2-3x from run to run; the thread time a
// jump costs moves far less, so it tells whether a change made the page do less. It is not the
// bench's figure (what the user waits for is wall time, jumpAB.ts / ui.ts): a tool for the
// developer. Same scenario and the same random ops as ui.ts's jumps; tracing is on for 40 jumps
// after 5 untraced ones. Reports per jump: all main-thread tasks, style recalculation, layout,
// and script (which includes the layout the commit forces). Build the baseline as jumpAB.ts says.
// Run: node --import tsx scripts/bench/jumpCpu.ts lens|all ROUNDS DIR_A DIR_B...
import type { Browser } from '@playwright/test';
import { launch } from './ui.ts';
import type { PageHook } from './pageHook.ts';
import { benchScenario } from './scenario.ts';
import { preview } from '../serve.ts';
import { loadAverage } from './result.ts';

const [mode = 'lens', roundsArg = '2', ...dirs] = process.argv.slice(2);
if ((mode !== 'lens' && mode !== 'all') || dirs.length === 0)
  throw new Error('usage: jumpCpu.ts lens|all ROUNDS DIR...');

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}
const KINDS = {
  task: 'RunTask',
  style: 'UpdateLayoutTree',
  layout: 'Layout',
  script: 'FunctionCall',
};
type Cpu = Record<keyof typeof KINDS, number>;
const TRACED = 40;

/** ms of main-thread CPU per jump, by kind, for one page load of `url`. */
async function cpuPerJump(browser: Browser, url: string): Promise<Cpu> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await ctx.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  if (mode === 'all')
    await ctx.addInitScript({ content: "localStorage.setItem('sva.diagram.mode', 'all');" });
  const page = await ctx.newPage();
  await page.goto(`${url}?bench`);
  await page.getByTestId('diagram-viewport').locator(':scope > *').first().waitFor();
  await page.evaluate(
    (d) => {
      const err = (window as unknown as PageHook).__sva.store
        .getState()
        .setDoc(d, { record: false });
      if (err) throw new Error(err);
    },
    benchScenario(10_000, 2017, { buffer: true }),
  );
  await page.waitForTimeout(800);
  await page.getByRole('tab', { name: 'Stepper' }).click();
  // Jumps `from` to `to` of ui.ts's sequence (the same seed), each followed by a painted frame.
  const run = (from: number, to: number) =>
    page.evaluate(
      async ([a, b]) => {
        const { store } = (window as unknown as PageHook).__sva;
        const n = store.getState().timeline.length;
        let seed = 7;
        const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
        const frame = () =>
          new Promise<void>((res) => requestAnimationFrame(() => setTimeout(res, 0)));
        for (let k = 0; k < a!; k++) rnd();
        for (let k = a!; k < b!; k++) {
          await frame();
          store.getState().setCursor(Math.floor(rnd() * n), 0);
          await new Promise<void>((res) => setTimeout(res, 0));
          void document.body.offsetHeight;
          await frame();
        }
      },
      [from, to],
    );
  await run(0, 5);
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
  });
  await run(5, 5 + TRACED);
  const ev = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] })
    .traceEvents;
  await ctx.close();
  const main = ev.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const mine = ev.filter(
    (e) => e.ph === 'X' && (!main || (e.pid === main.pid && e.tid === main.tid)),
  );
  const per = (name: string): number =>
    mine.filter((e) => e.name === name).reduce((s, e) => s + (e.tdur ?? e.dur ?? 0), 0) /
    1000 /
    TRACED;
  return {
    task: per(KINDS.task),
    style: per(KINDS.style),
    layout: per(KINDS.layout),
    script: per(KINDS.script),
  };
}

const fmt = (c: Cpu): string =>
  `tasks ${c.task.toFixed(1)}, style ${c.style.toFixed(1)}, layout ${c.layout.toFixed(1)}, script ${c.script.toFixed(1)} ms CPU a jump`;

const servers = await Promise.all(dirs.map(preview));
const browser = await launch();
const all: Cpu[][] = dirs.map(() => []);
try {
  console.log(`load average before: ${loadAverage()}`);
  for (let r = 0; r < Number(roundsArg); r++)
    for (const [i, s] of servers.entries()) {
      const c = await cpuPerJump(browser, s.url);
      all[i]!.push(c);
      console.log(`round ${r} ${dirs[i]}: ${fmt(c)}`);
    }
  console.log(`load average after: ${loadAverage()}`);
  const mean = (cs: Cpu[]): Cpu => {
    const m = { task: 0, style: 0, layout: 0, script: 0 };
    for (const c of cs) for (const k of Object.keys(m) as (keyof Cpu)[]) m[k] += c[k] / cs.length;
    return m;
  };
  const base = mean(all[0]!);
  for (const [i, d] of dirs.entries()) {
    const m = mean(all[i]!);
    const x = i > 0 ? ` (tasks ×${(m.task / base.task).toFixed(2)})` : '';
    console.log(`${mode} ${d}: ${fmt(m)}${x}`);
  }
} finally {
  await browser.close();
  for (const s of servers) s.stop();
}
