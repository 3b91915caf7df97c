// Jumps A/B: the jump benchmark of ui.ts (the same loop, the same 10,000-op scenario) against two
// or more production builds in one run, served side by side and measured alternately, so a loaded
// machine weighs on each alike. Build the baseline first, e.g. from main:
//   git -C /work/main worktree add /tmp/base main && (cd /tmp/base && npx vite build --outDir /tmp/base-dist)
//   npx vite build --outDir /tmp/mine-dist
// Run: node --import tsx scripts/bench/jumpAB.ts lens|all ROUNDS DIR_A DIR_B...
import { jumps, launch } from './ui.ts';
import { preview } from '../serve.ts';
import { loadAverage } from './result.ts';

const [mode = 'lens', roundsArg = '2', ...dirs] = process.argv.slice(2);
if ((mode !== 'lens' && mode !== 'all') || dirs.length === 0)
  throw new Error('usage: jumpAB.ts lens|all ROUNDS DIR...');
const rounds = Number(roundsArg);

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const line = (xs: number[]): string =>
  `median ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms, worst ${Math.max(...xs).toFixed(1)} ms (${xs.length} jumps)`;

const servers = await Promise.all(dirs.map(preview));
const browser = await launch();
const times: number[][] = dirs.map(() => []);
try {
  console.log(`load average before: ${loadAverage()}`);
  for (let r = 0; r < rounds; r++)
    for (const [i, s] of servers.entries()) {
      const j = await jumps(browser, s.url, mode);
      times[i]!.push(...j.commit);
      console.log(`round ${r} ${dirs[i]}: ${line(j.commit)}`);
    }
  console.log(`load average after: ${loadAverage()}`);
  for (const [i, d] of dirs.entries()) console.log(`${mode} ${d}: ${line(times[i]!)}`);
  const base = times[0]!;
  for (const [i, d] of dirs.entries())
    if (i > 0)
      console.log(
        `${d} / ${dirs[0]}: median ×${(pct(times[i]!, 0.5) / pct(base, 0.5)).toFixed(2)}, p95 ×${(pct(times[i]!, 0.95) / pct(base, 0.95)).toFixed(2)}`,
      );
} finally {
  await browser.close();
  for (const s of servers) s.stop();
}
