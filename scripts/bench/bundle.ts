// The production bundle: what a first visit downloads before the page can draw (the entry script
// and every chunk it imports statically, as index.html loads them), against all the JavaScript
// the build emits; gzip sizes (zlib level 9, as Vite's report).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BenchResult } from './result.ts';

export interface BundleSizes {
  /** Gzip bytes of the initial JavaScript. */
  readonly initial: number;
  readonly initialFiles: readonly string[];
  /** Gzip bytes of every JavaScript chunk. */
  readonly all: number;
  readonly chunks: number;
}

const gz = (file: string): number => gzipSync(readFileSync(file), { level: 9 }).length;

/** Static imports of an ES module chunk (`import … from "./x.js"`, `import "./x.js"`), not import(). */
function staticImports(code: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[;\n}])\s*import\s*(?:[\w*${}\s,]+from\s*)?["']([^"']+\.js)["']/g;
  for (const m of code.matchAll(re)) out.push(m[1]!);
  // Minified: `import{a as b}from"./x.js"` directly after another statement.
  for (const m of code.matchAll(/import\{[^}]*\}from"([^"]+\.js)"/g)) out.push(m[1]!);
  for (const m of code.matchAll(/import"([^"]+\.js)"/g)) out.push(m[1]!);
  return [...new Set(out)];
}

export function bundleSizes(dist: string): BundleSizes {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const roots = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((m) => path.join(dist, m[1]!));
  const seen = new Set<string>();
  const todo = [...roots];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const i of staticImports(readFileSync(f, 'utf8')))
      todo.push(path.join(path.dirname(f), i));
  }
  const assets = path.join(dist, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'));
  return {
    initial: [...seen].reduce((s, f) => s + gz(f), 0),
    initialFiles: [...seen].map((f) => path.relative(dist, f)),
    all: js.reduce((s, f) => s + gz(path.join(assets, f)), 0),
    chunks: js.length,
  };
}

/** Builds the app into a folder of its own and reports its sizes (for runs without the UI). */
export async function benchBundle(): Promise<BenchResult[]> {
  await Promise.resolve();
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const out = path.join(root, 'dist-bench-bundle');
  const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', out], {
    cwd: root,
    stdio: 'inherit',
  });
  if (b.status !== 0) throw new Error('vite build failed');
  try {
    const s = bundleSizes(out);
    const kb = (x: number): number => Number((x / 1024).toFixed(1));
    return [
      {
        name: 'ui.bundle.initial-gzip',
        value: kb(s.initial),
        unit: 'kB',
        note: `entry + static imports (${s.initialFiles.length} files), gzip -9; all ${s.chunks} chunks: ${kb(s.all)} kB`,
      },
      { name: 'ui.bundle.all-gzip', value: kb(s.all), unit: 'kB' },
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2]) console.log(bundleSizes(process.argv[2]));
  else for (const r of await benchBundle()) console.log(r);
}
