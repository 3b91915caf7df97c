// A CPU profile of the page while it jumps the cursor around the 10,000-op scenario and while the
// stepper plays a walk (Chromium's CDP profiler, unminified build): self and total time per
// function, so the render cost can be read off by component; with TRACE=1 (play) the browser's
// own paint, layout and task times, and MODE=all the whole diagram instead of the lens. A tool
// for the developer, not a figure of the bench.
// Run: node --import tsx scripts/bench/profile.ts jump|play
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { chromiumPath } from '../chromium-path.mjs';
import { stressScenario } from '../../src/scenario/presets/index.ts';
import type { PageHook } from './pageHook.ts';
import { benchScenario } from './scenario.ts';

type Hook = PageHook & { __mut: number };
const what = process.argv[2] ?? 'jump';
const PORT = await new Promise<number>((resolve) => {
  // A free port (the bench's machine is shared).
  const srv = createServer().listen(0, '127.0.0.1', () => {
    const a = srv.address();
    srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
  });
});
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
{
  const b = spawnSync(
    'npx',
    ['vite', 'build', '--logLevel', 'warn', '--outDir', 'dist-bench-prof', '--minify', 'false'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (b.status !== 0) throw new Error('build failed');
}
const server = spawn(
  'npx',
  [
    'vite',
    'preview',
    '--outDir',
    'dist-bench-prof',
    '--port',
    String(PORT),
    '--strictPort',
    '--host',
    '127.0.0.1',
  ],
  { cwd: ROOT, stdio: 'ignore', detached: true },
);
const url = `http://127.0.0.1:${PORT}/`;
for (let i = 0; i < 100; i++) {
  try {
    if ((await fetch(url)).ok) break;
  } catch {
    /* not yet */
  }
  await new Promise((r) => setTimeout(r, 200));
}

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
function summarize(profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] }): string {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: Node) =>
    `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
  const selfBy = new Map<string, number>();
  const totalBy = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    selfBy.set(key(n), (selfBy.get(key(n)) ?? 0) + t);
    const seen = new Set<string>();
    for (let c: number | undefined = id; c !== undefined; c = parent.get(c)) {
      const k = key(byId.get(c)!);
      if (seen.has(k)) continue;
      seen.add(k);
      totalBy.set(k, (totalBy.get(k) ?? 0) + t);
    }
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, t]) => `${(t / 1000).toFixed(0).padStart(7)} ms  ${k}`)
      .join('\n');
  return `SELF\n${top(selfBy, 45)}\n\nTOTAL\n${top(totalBy, 70)}`;
}

async function open(page: Page, doc: unknown): Promise<void> {
  await page.goto(`${url}?bench`);
  await page.getByTestId('diagram-viewport').locator(':scope > *').first().waitFor();
  await page.evaluate((d) => {
    const err = (window as unknown as Hook).__sva.store.getState().setDoc(d, { record: false });
    if (err) throw new Error(err);
  }, doc);
  await page.waitForTimeout(800);
  await page.getByRole('tab', { name: 'Stepper' }).click();
}

const browser = await chromium.launch({
  ...(chromiumPath() ? { executablePath: chromiumPath()! } : {}),
  args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await ctx.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  if (process.env.MODE === 'all')
    await ctx.addInitScript({ content: "localStorage.setItem('sva.diagram.mode', 'all');" });
  const page = await ctx.newPage();
  const cdp: CDPSession = await ctx.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  if (what === 'jump') {
    await open(page, benchScenario(10_000, 2017, { buffer: true }));
    if (process.env.TRACE)
      await browser.startTracing(page, {
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
      });
    await cdp.send('Profiler.start');
    const times = await page.evaluate(async () => {
      const { store } = (window as unknown as Hook).__sva;
      const n = store.getState().timeline.length;
      let seed = 7;
      const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const out: number[] = [];
      for (let i = 0; i < 30; i++) {
        await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        const t0 = performance.now();
        store.getState().setCursor(Math.floor(rnd() * n), 0);
        await new Promise<void>((r) => setTimeout(r, 0));
        void document.body.offsetHeight;
        out.push(performance.now() - t0);
      }
      return out;
    });
    console.log('jumps', times.map((t) => t.toFixed(0)).join(' '));
  } else {
    await open(page, stressScenario);
    await page.getByTestId('step-speed').selectOption('8');
    const n = stressScenario.ops.length;
    await page.evaluate(
      (o) => (window as unknown as Hook).__sva.store.getState().setCursor(o, 0),
      n - 4,
    );
    await page.waitForTimeout(300);
    if (process.env.TRACE)
      await browser.startTracing(page, {
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
      });
    await page.evaluate(() => {
      const w = window as unknown as Hook;
      w.__mut = 0;
      new MutationObserver((l) => (w.__mut += l.length)).observe(
        document.querySelector('[data-testid="diagram-svg"]')!,
        { subtree: true, childList: true, attributes: true, characterData: true },
      );
    });
    await cdp.send('Profiler.start');
    await page.getByTestId('step-play').click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="step-play"]')?.getAttribute('aria-pressed') ===
        'false',
      null,
      { timeout: 60_000 },
    );
  }
  const { profile } = await cdp.send('Profiler.stop');
  console.log(
    'diagram-svg mutations',
    await page.evaluate(() => (window as unknown as Hook).__mut),
  );
  if (process.env.TRACE) {
    const buf = await browser.stopTracing();
    const ev = (
      JSON.parse(buf.toString()) as { traceEvents: { name: string; dur?: number; ph: string }[] }
    ).traceEvents;
    const paints = ev
      .filter((e) => e.name === 'Paint' && e.ph === 'X')
      .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0));
    for (const p of paints.slice(0, 8))
      console.log(
        'paint',
        ((p.dur ?? 0) / 1000).toFixed(1),
        JSON.stringify((p as unknown as { args: unknown }).args),
      );
    for (const name of ['UpdateLayoutTree', 'Layout']) {
      const xs = ev.filter((e) => e.name === name && e.ph === 'X');
      const sorted = [...xs].sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0));
      for (const x of sorted.slice(0, 4))
        console.log(
          name,
          ((x.dur ?? 0) / 1000).toFixed(1),
          JSON.stringify((x as unknown as { args: unknown }).args).slice(0, 300),
        );
    }
    const by = new Map<string, [number, number, number]>();
    for (const e of ev) {
      if (e.ph !== 'X' || !e.dur) continue;
      const v = by.get(e.name) ?? [0, 0, 0];
      v[0] += e.dur / 1000;
      v[1] += 1;
      v[2] = Math.max(v[2], e.dur / 1000);
      by.set(e.name, v);
    }
    console.log(
      [...by]
        .sort((a, b) => b[1][0] - a[1][0])
        .slice(0, 30)
        .map(
          ([k, [t, n, mx]]) =>
            `${t.toFixed(0).padStart(7)} ms ${String(n).padStart(5)}x max ${mx.toFixed(1)}  ${k}`,
        )
        .join('\n'),
    );
  }
  // PROFILE_OUT=file.cpuprofile: the whole profile too (Chrome DevTools opens it).
  if (process.env.PROFILE_OUT) writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
  const out = summarize(profile as never);
  console.log(out);
} finally {
  await browser.close();
  rmSync(`${ROOT}/dist-bench-prof`, { recursive: true, force: true });
  try {
    process.kill(-(server.pid ?? 0));
  } catch {
    server.kill();
  }
}
