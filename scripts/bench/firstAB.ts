// First-diagram A/B: the first-diagram measure of ui.ts (navigation → the first frame with the
// diagram drawn, against a trivial page's first frame from the same server) over two or more
// production builds in one run, served side by side and measured alternately (app A, trivial,
// app B, trivial, …), so a loaded machine weighs on each alike; with each build's initial JS.
// Build the baseline first, e.g. from main:
//   (cd /work/main && npx vite build --outDir /tmp/base-dist) && npx vite build --outDir /tmp/mine-dist
// Run: node --import tsx scripts/bench/firstAB.ts ROUNDS DIR_A DIR_B...
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleSizes } from './bundle.ts';
import { firstDiagram, launch, TRIVIAL } from './ui.ts';
import { preview } from '../serve.ts';
import { loadAverage } from './result.ts';

const [roundsArg = '5', ...dirs] = process.argv.slice(2);
if (dirs.length === 0) throw new Error('usage: firstAB.ts ROUNDS DIR...');
const rounds = Number(roundsArg);

/** Serves a build with the trivial page written beside it. */
async function serveWithTrivial(dir: string): ReturnType<typeof preview> {
  writeFileSync(path.join(dir, 'trivial.html'), TRIVIAL);
  return preview(dir);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const list = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');

const servers = await Promise.all(dirs.map(serveWithTrivial));
const browser = await launch();
const app: number[][] = dirs.map(() => []);
const trivial: number[][] = dirs.map(() => []);
const trivialPage = '[data-testid="trivial"]';
try {
  console.log(`load average before: ${loadAverage()}`);
  for (const s of servers) {
    await firstDiagram(browser, s.url); // warm-up (disk cache, JIT of the server)
    await firstDiagram(browser, `${s.url}trivial.html`, trivialPage);
  }
  for (let r = 0; r < rounds; r++)
    for (const [i, s] of servers.entries()) {
      app[i]!.push(await firstDiagram(browser, s.url));
      trivial[i]!.push(await firstDiagram(browser, `${s.url}trivial.html`, trivialPage));
    }
  console.log(`load average after: ${loadAverage()}`);
  for (const [i, d] of dirs.entries()) {
    const b = bundleSizes(d);
    const m = median(app[i]!);
    const t = median(trivial[i]!);
    console.log(
      `${d}: initial JS ${(b.initial / 1024).toFixed(1)} kB gzip (${b.initialFiles.length} files); first diagram median ${m.toFixed(1)} ms (${list(app[i]!)}), trivial ${t.toFixed(1)} ms (${list(trivial[i]!)}), ×${(m / t).toFixed(1)}`,
    );
  }
} finally {
  await browser.close();
  for (const s of servers) s.stop();
}
