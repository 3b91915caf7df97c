// scripts/sva.mjs, the launcher behind `npm run sva`: it runs the CLI from a cached bundle and
// must never run a stale one. Each case uses its own cache directory (SVA_CLI_CACHE).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './main.ts';

const cache = mkdtempSync(path.join(tmpdir(), 'sva-cli-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const GOLDEN = 'src/scenario/golden/01-first-bind.json';
const sva = (...args: string[]): string =>
  execFileSync('node', ['scripts/sva.mjs', ...args], {
    env: { ...process.env, SVA_CLI_CACHE: cache },
    encoding: 'utf8',
  });
const bundle = path.join(cache, 'cli.cjs');
const manifest = path.join(cache, 'inputs.json');
const built = (): number => statSync(bundle).ctimeMs;

describe('the CLI launcher', () => {
  it('builds the bundle once, then runs it (with its code cache) and prints what main() gives', () => {
    const expected = main(['run', GOLDEN, '--json']).stdout;
    expect(sva('run', GOLDEN, '--json')).toBe(expected);
    const first = built();
    expect(sva('run', GOLDEN, '--json')).toBe(expected);
    expect(built()).toBe(first);
    expect(statSync(path.join(cache, 'cli.v8cache')).size).toBeGreaterThan(0);
  }, 60_000);

  it('rebuilds when an input differs from what the bundle was built from', () => {
    sva('help');
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { inputs: [string, string][] };
    const main = m.inputs.findIndex(([f]) => f === 'src/cli/main.ts');
    expect(main).toBeGreaterThanOrEqual(0);
    // As if src/cli/main.ts had been edited after the build.
    m.inputs[main]![1] = '0:0:0';
    writeFileSync(manifest, JSON.stringify(m));
    const before = built();
    sva('help');
    expect(built()).not.toBe(before);
  }, 60_000);

  it('rebuilds when the bundle itself was changed or removed', () => {
    sva('help');
    writeFileSync(
      bundle,
      'module.exports = { main: () => ({ code: 0, stdout: "stale\\n", stderr: "" }) };',
    );
    expect(sva('help')).toMatch(/^usage: sva/);
    rmSync(bundle);
    expect(sva('help')).toMatch(/^usage: sva/);
  }, 60_000);
});
