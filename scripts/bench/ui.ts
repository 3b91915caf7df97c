// UI responsiveness in headless Chromium (Playwright, Debian's chromium via chromium-path.mjs)
// against a production build served by `vite preview` on a free port, each figure beside its
// floor measured in the same run:
//  (a) navigation → first drawn diagram (the structures' SVG has content), default scenario,
//      against navigation → first frame of a trivial page from the same server;
//  (b) frame times while dragging the stress scenario (10 processes, 64 PASIDs, 1,000 pages in
//      one global io-pgtable, every translation table opened) from inside the visible pane,
//      checking that the view moved;
//  (c) frame times while the stepper plays a walk and a PRI fault flow of the stress scenario,
//      against a trivial page moving one box;
//  (d) jumping the cursor to random ops of the 10,000-op scenario with the big ranges (a 64 MB
//      buffer, a 1 GB map and unmap): median, p95 and worst.
// Large scenarios are loaded through the `?bench` debug hook (window.__sva.store).
// Run: node --import tsx scripts/bench/ui.ts [jump|play [lens|all]]
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumPath } from '../chromium-path.mjs';
import { serve } from '../serve.ts';
import { stressScenario } from '../../src/scenario/presets/index.ts';
import type { ScenarioDoc } from '../../src/scenario/index.ts';
import { benchScenario } from './scenario.ts';
import { bundleSizes } from './bundle.ts';
import type { BenchResult } from './result.ts';
import type { PageHook } from './pageHook.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const round = (x: number, d = 1): number => Number(x.toFixed(d));

/** The diagram's mode: the lens (the default, the chain in focus) or the whole diagram. */
type Mode = 'lens' | 'all';

async function newPage(browser: Browser, mode: Mode = 'lens'): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  // tsx compiles with keepNames: functions sent to the page call esbuild's __name helper.
  await ctx.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  if (mode === 'all')
    await ctx.addInitScript({ content: "localStorage.setItem('sva.diagram.mode', 'all');" });
  return ctx.newPage();
}

/** A page with one line of text: the floor of navigation → first frame on this server. */
export const TRIVIAL =
  '<!doctype html><html><body><p data-testid="trivial">trivial</p></body></html>';

/**
 * (a) ms from navigation start to the first frame with `selector` in the document: the app's
 * diagram boxes, or the trivial page's line.
 */
export async function firstDiagram(
  browser: Browser,
  url: string,
  selector = '[data-testid="diagram-viewport"] > *',
): Promise<number> {
  const page = await newPage(browser);
  await page.addInitScript((sel: string) => {
    const w = window as unknown as { __firstDiagram?: number };
    const seen = () => document.querySelector(sel) !== null;
    const mo = new MutationObserver(() => {
      if (w.__firstDiagram !== undefined || !seen()) return;
      mo.disconnect();
      // The frame that paints it: the next animation frame after the commit.
      requestAnimationFrame(() => (w.__firstDiagram = performance.now()));
    });
    mo.observe(document, { childList: true, subtree: true });
  }, selector);
  await page.goto(url.endsWith('.html') ? url : `${url}?bench`);
  await page.waitForFunction(
    () => (window as unknown as { __firstDiagram?: number }).__firstDiagram,
    null,
    {
      timeout: 30_000,
    },
  );
  const ms = await page.evaluate(
    () => (window as unknown as { __firstDiagram: number }).__firstDiagram,
  );
  await page.context().close();
  return ms;
}

type BenchWindow = PageHook;

/** Opens the page and loads `doc` into its store; returns the ms the store took. */
async function openWith(
  browser: Browser,
  url: string,
  doc: ScenarioDoc,
  mode: Mode = 'lens',
): Promise<{ page: Page; loadMs: number }> {
  const page = await newPage(browser, mode);
  await page.goto(`${url}?bench`);
  await page.getByTestId('diagram-viewport').locator(':scope > *').first().waitFor();
  const loadMs = await page.evaluate((d) => {
    const t0 = performance.now();
    const err = (window as unknown as BenchWindow).__sva.store
      .getState()
      .setDoc(d, { record: false });
    if (err) throw new Error(err);
    return performance.now() - t0;
  }, doc);
  await page.waitForTimeout(800); // the URL/local-storage sync of the new document settles
  return { page, loadMs };
}

/** Records requestAnimationFrame deltas in the page until `done()` is called from Node. */
async function recordFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__frames = [];
    w.__recording = true;
    let last = -1;
    const tick = (t: number) => {
      if (last >= 0) w.__frames.push(t - last);
      last = t;
      if (w.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}
const stopFrames = (page: Page): Promise<number[]> =>
  page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    return w.__frames;
  });

/**
 * The floor: rAF deltas of a trivial page moving one box, in this same browser. Headless Chromium
 * without a GPU paints in software, and on a loaded 2-core machine even this page misses frames;
 * the diagram's frame times read against it.
 */
async function floorFrames(browser: Browser): Promise<number[]> {
  const page = await newPage(browser);
  await page.setContent('<div id="d" style="width:100px;height:100px;background:#888"></div>');
  const out = await page.evaluate(async () => {
    const d = document.getElementById('d')!;
    const deltas: number[] = [];
    let last = performance.now();
    for (let i = 0; i < 240; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      const t = performance.now();
      deltas.push(t - last);
      last = t;
      d.style.transform = `translateX(${i % 200}px)`;
    }
    return deltas.slice(1);
  });
  await page.context().close();
  return out;
}

/** (b) rAF deltas while dragging the stress scenario's diagram, every table opened. */
async function panFrames(
  browser: Browser,
  url: string,
): Promise<{ deltas: number[]; nodes: number }> {
  const { page } = await openWith(browser, url, stressScenario, 'all');
  // Open every translation table (their entries appear), as a user digging in would.
  for (let pass = 0; pass < 3; pass++)
    await page.evaluate(() => {
      for (const el of document.querySelectorAll('[data-testid^="table-"][aria-expanded="false"]'))
        el.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    });
  await page.getByRole('button', { name: 'Fit diagram to view' }).click();
  await page.waitForTimeout(500);
  const nodes = await page.evaluate(
    () => document.querySelectorAll('[data-testid="diagram-svg"] *').length,
  );
  // Drag from the centre of the part of the pane the window shows (the SVG itself is larger
  // than the window), and check that the view moved.
  const pane = (await page.getByTestId('diagram').boundingBox())!;
  const vp = page.viewportSize()!;
  const left = Math.max(pane.x, 0);
  const top = Math.max(pane.y, 0);
  const right = Math.min(pane.x + pane.width, vp.width);
  const bottom = Math.min(pane.y + pane.height, vp.height);
  if (right - left < 200 || bottom - top < 120) throw new Error('the diagram pane is not visible');
  const x0 = (left + right) / 2;
  const y0 = (top + bottom) / 2;
  const stage = page.getByTestId('diagram-stage');
  const before = await stage.evaluate((el) => el.style.transform);
  await recordFrames(page);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let i = 0; i < 120; i++) {
    const a = (i / 120) * 2 * Math.PI;
    await page.mouse.move(x0 + 150 * Math.sin(a), y0 + 80 * Math.sin(2 * a) + (i === 60 ? 1 : 0));
    await page.waitForTimeout(8);
  }
  // End away from the start, so the view has visibly moved.
  await page.mouse.move(x0 + 60, y0 + 30);
  await page.mouse.up();
  const after = await stage.evaluate((el) => el.style.transform);
  if (after === before) throw new Error(`panning did not move the view (transform ${before})`);
  const deltas = await stopFrames(page);
  await page.context().close();
  return { deltas, nodes };
}

/** The stepper's counter: "step i / n". */
async function stepCounter(page: Page): Promise<[number, number]> {
  const text = (await page.getByTestId('step-counter').textContent()) ?? '';
  const m = /^step (\d+) \/ (\d+)$/.exec(text);
  if (!m) throw new Error(`the stepper's counter reads "${text}"`);
  return [Number(m[1]), Number(m[2])];
}

/**
 * (c) rAF deltas while the stepper plays the stress scenario's walks at 8×, and how many steps
 * were played (each walk must go from its first step to its last while the frames are recorded).
 */
async function playFrames(
  browser: Browser,
  url: string,
  mode: Mode,
): Promise<{ deltas: number[]; steps: number }> {
  const { page } = await openWith(browser, url, stressScenario, mode);
  await page.getByRole('tab', { name: 'Stepper' }).click();
  await page.getByTestId('step-speed').selectOption('8');
  const all: number[] = [];
  let steps = 0;
  const n = stressScenario.ops.length;
  // The global io-pgtable walk (video) and the PRI fault flow (accel): the last and fourth-last ops.
  for (const op of [n - 4, n - 1]) {
    await page.evaluate(
      (o) => (window as unknown as BenchWindow).__sva.store.getState().setCursor(o, 0),
      op,
    );
    await page.waitForTimeout(300);
    const [first, count] = await stepCounter(page);
    if (first !== 1 || count < 4) throw new Error(`op ${op}: step ${first} of ${count} to play`);
    await recordFrames(page);
    await page.getByTestId('step-play').click();
    // Polled on a timer, not on every animation frame: a query of the whole document in every
    // frame (13,000 elements in the whole diagram) would be the benchmark's cost, not the page's.
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="step-play"]')?.getAttribute('aria-pressed') ===
        'false',
      null,
      { timeout: 60_000, polling: 100 },
    );
    all.push(...(await stopFrames(page)));
    const [last] = await stepCounter(page);
    if (last !== count) throw new Error(`op ${op}: playing stopped at step ${last} of ${count}`);
    steps += count - 1;
  }
  await page.context().close();
  return { deltas: all, steps };
}

/** (c) cursor jumps to random ops of a 10,000-op scenario. */
export async function jumps(
  browser: Browser,
  url: string,
  mode: Mode,
): Promise<{ commit: number[]; frame: number[]; loadMs: number; ops: number }> {
  const { page, loadMs } = await openWith(
    browser,
    url,
    // The page refuses the 1 GB map and unmap (scenario/cost.ts: over its 10 s budget), so the
    // page's big range is the 64 MB buffer.
    benchScenario(10_000, 2017, { buffer: true }),
    mode,
  );
  await page.getByRole('tab', { name: 'Stepper' }).click();
  const r = await page.evaluate(async () => {
    type S = {
      getState(): { setCursor(op: number, step?: number): void; timeline: { length: number } };
    };
    const { store } = (window as unknown as { __sva: { store: S } }).__sva;
    const n = store.getState().timeline.length;
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const frame = () => new Promise<void>((res) => requestAnimationFrame(() => setTimeout(res, 0)));
    const settle = () => new Promise<void>((res) => setTimeout(res, 0));
    // The page shows op `op`: the diagram's summary names it, and the timeline's row for it is
    // marked current and lies inside the list's visible part (a windowed list scrolls to it).
    const shows = (op: number): boolean => {
      const sum = document.querySelector('[data-testid="diagram-changes"]')?.textContent ?? '';
      if (!sum.startsWith(`op #${op}:`)) return false;
      const list = document.querySelector('.tl-list');
      const row = document.querySelector(`.tl-list [data-op="${op}"].current`);
      if (!list || !row) return false;
      const l = list.getBoundingClientRect();
      const r = row.getBoundingClientRect();
      return r.top >= l.top - 1 && r.bottom <= l.bottom + 1;
    };
    const commit: number[] = [];
    const painted: number[] = [];
    for (let i = 0; i < 45; i++) {
      const op = Math.floor(rnd() * n);
      await frame();
      const t0 = performance.now();
      store.getState().setCursor(op, 0);
      await settle(); // React's synchronous re-render of the store change has committed
      void document.body.offsetHeight; // style and layout
      // Work the page defers (a scroll after the next paint) counts until the page shows the op.
      for (let f = 0; !shows(op); f++) {
        if (f > 120) {
          const l = document.querySelector('.tl-list')?.getBoundingClientRect();
          const r = document.querySelector(`.tl-list [data-op="${op}"]`)?.getBoundingClientRect();
          const sum = document.querySelector('[data-testid="diagram-changes"]')?.textContent;
          throw new Error(
            `op ${op} is not shown after ${f} frames (list ${l?.top}..${l?.bottom}, row ${r?.top}..${r?.bottom}, summary ${sum})`,
          );
        }
        await frame();
        void document.body.offsetHeight;
      }
      const t1 = performance.now();
      await frame(); // the frame that shows it has been painted
      const t2 = performance.now();
      if (i >= 5) {
        commit.push(t1 - t0);
        painted.push(t2 - t0);
      }
    }
    return { commit, painted, n };
  });
  await page.context().close();
  return { commit: r.commit, frame: r.painted, loadMs, ops: r.n };
}

export const launch = (): Promise<Browser> => {
  const executablePath = chromiumPath();
  return chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
};

/** One part of the UI bench in one mode: jumps, or playing beside the frame floor. */
async function benchPart(part: string, mode: Mode): Promise<BenchResult[]> {
  if (part !== 'jump' && part !== 'play') throw new Error(`ui.ts: jump or play, not ${part}`);
  const { url, stop } = await serve('dist-bench');
  const browser = await launch();
  try {
    if (part === 'play') {
      const floor = await floorFrames(browser);
      const { deltas, steps } = await playFrames(browser, url, mode);
      return [
        { name: 'ui.frame-floor.p95', value: round(pct(floor, 0.95)), unit: 'ms' },
        {
          name: `ui.play.${mode}.p95`,
          value: round(pct(deltas, 0.95)),
          unit: 'ms',
          note: `${steps} steps played, ${deltas.length} frames`,
        },
        { name: `ui.play.${mode}.median`, value: round(median(deltas)), unit: 'ms' },
      ];
    }
    const j = await jumps(browser, url, mode);
    return [
      { name: `ui.jump.${mode}.p95`, value: round(pct(j.commit, 0.95)), unit: 'ms' },
      { name: `ui.jump.${mode}.median`, value: round(median(j.commit)), unit: 'ms' },
      { name: `ui.jump.${mode}.worst`, value: round(Math.max(...j.commit)), unit: 'ms' },
      { name: `ui.jump.${mode}.painted.p95`, value: round(pct(j.frame, 0.95)), unit: 'ms' },
    ];
  } finally {
    await browser.close();
    stop();
  }
}

export async function benchUi(): Promise<BenchResult[]> {
  const { url, stop } = await serve('dist-bench', { 'trivial.html': TRIVIAL });
  const browser = await launch();
  const where = `headless Chromium, ${os.cpus().length}-core machine, 1280×720, vite preview build`;
  try {
    const bundle = bundleSizes(fileURLToPath(new URL('../../dist-bench', import.meta.url)));
    await firstDiagram(browser, url); // warm-up (disk cache, JIT of the server)
    await firstDiagram(browser, `${url}trivial.html`, '[data-testid="trivial"]');
    // Interleaved: the app's first diagram, then the trivial page's first frame, five times.
    const firsts: number[] = [];
    const trivials: number[] = [];
    for (let i = 0; i < 5; i++) {
      firsts.push(await firstDiagram(browser, url));
      trivials.push(await firstDiagram(browser, `${url}trivial.html`, '[data-testid="trivial"]'));
    }
    const floor = await floorFrames(browser);
    const pan = await panFrames(browser, url);
    const list = (xs: number[]): string => xs.map((x) => round(x, 0)).join(', ');
    const frames = (xs: number[]): string =>
      `${xs.length} frames, median ${round(median(xs))} ms, max ${round(Math.max(...xs))} ms`;
    const rows: BenchResult[] = [
      {
        name: 'ui.bundle.initial-gzip',
        value: round(bundle.initial / 1024),
        unit: 'kB',
        note: `entry + static imports (${bundle.initialFiles.length} files), gzip -9; all ${bundle.chunks} chunks: ${round(bundle.all / 1024)} kB`,
      },
      { name: 'ui.bundle.all-gzip', value: round(bundle.all / 1024), unit: 'kB' },
      {
        name: 'ui.first-diagram',
        value: round(median(firsts)),
        unit: 'ms',
        note: `navigation → first frame with the diagram drawn, median of 5 (${list(firsts)}); ${where}`,
      },
      {
        name: 'ui.trivial-first-frame',
        value: round(median(trivials)),
        unit: 'ms',
        note: `navigation → first frame of a one-line page from the same server, interleaved (${list(trivials)})`,
      },
      {
        name: 'ui.frame-floor.p95',
        value: round(pct(floor, 0.95)),
        unit: 'ms',
        note: `a trivial page moving one box: ${frames(floor)}; ${where}`,
      },
      {
        name: 'ui.pan.p95',
        value: round(pct(pan.deltas, 0.95)),
        unit: 'ms',
        note: `dragging inside the visible pane (the view moved), whole diagram, every table open, ${pan.nodes.toLocaleString('en')} SVG nodes: ${frames(pan.deltas)}`,
      },
    ];
    // Playing and jumping in the lens (the page's default) and in the whole diagram: rows named
    // ui.play / ui.jump are the lens's (what a first visit sees), ui.play-all / ui.jump-all the
    // whole diagram's.
    for (const mode of ['lens', 'all'] as const) {
      const m = mode === 'lens' ? '' : '-all';
      const where = mode === 'lens' ? 'the lens' : 'whole diagram';
      const { deltas, steps } = await playFrames(browser, url, mode);
      const j = await jumps(browser, url, mode);
      rows.push(
        {
          name: `ui.play${m}.p95`,
          value: round(pct(deltas, 0.95)),
          unit: 'ms',
          note: `${where}: global io-pgtable walk + PRI fault flow at 8×, ${steps} steps played: ${frames(deltas)}`,
        },
        {
          name: `ui.jump${m}.p95`,
          value: round(pct(j.commit, 0.95)),
          unit: 'ms',
          note: `${where}: store → the page shows the op (diagram summary, timeline row in view) + layout, ${j.commit.length} random jumps in the ${j.ops}-op scenario with a 64 MB buffer, stepper tab open; median ${round(median(j.commit))} ms`,
        },
        { name: `ui.jump${m}.worst`, value: round(Math.max(...j.commit)), unit: 'ms' },
        {
          name: `ui.jump${m}.painted.p95`,
          value: round(pct(j.frame, 0.95)),
          unit: 'ms',
          note: `to the painted frame (includes waiting for the next vsync); median ${round(median(j.frame))} ms`,
        },
      );
      if (mode === 'lens')
        rows.push({
          name: 'ui.load-10k-big',
          value: round(j.loadMs, 0),
          unit: 'ms',
          note: `setDoc of the ${j.ops}-op scenario with a 64 MB buffer: every op run, before React renders`,
        });
    }
    return rows;
  } finally {
    await browser.close();
    stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `ui.ts jump|play [lens|all]`: only those rows (a developer's loop), else every UI row.
  const [part, mode] = process.argv.slice(2) as [string | undefined, Mode | undefined];
  const results = part ? await benchPart(part, mode ?? 'lens') : await benchUi();
  for (const r of results)
    console.log(`${r.name}: ${r.value} ${r.unit}${r.note ? `  (${r.note})` : ''}`);
}
