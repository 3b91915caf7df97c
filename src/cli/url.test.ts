// `sva url FILE` and `sva url --decode URL` (scenario-format.md "CLI"): the fragment of a scenario,
// and the document a link holds; bad input → a non-zero exit and one stderr line saying what.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/index.ts';
import { goldenPath } from '../scenario/golden.testkit.ts';
import { main } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'sva-url-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const meaning = (text: string): unknown => {
  const p = parseScenario(text);
  if (!p.ok) throw new Error(p.error);
  return p.scenario;
};
const oneLine = /^url: [^\n]+\n$/;

describe('url FILE', () => {
  const golden = goldenPath('10-stall');
  const out = main(['url', golden]);

  it('prints one fragment line of link version 2', () => {
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(out.stdout).toMatch(/^#s=2\.[A-Za-z0-9_-]+\n$/);
  });
  it('url --decode of it gives back the same scenario', () => {
    const back = main(['url', '--decode', out.stdout.trim()]);
    expect(back).toMatchObject({ code: 0, stderr: '' });
    expect(meaning(back.stdout)).toEqual(meaning(readFileSync(golden, 'utf8')));
  });
  it('names the field of an invalid scenario', () => {
    const bad = file(
      'bad.json',
      '{"format":"sva-explorer/scenario","version":1,"ops":[{"op":"exit"}]}',
    );
    expect(main(['url', bad])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'url: ops[0].proc: required\n',
    });
  });
  it('prints no link the page would refuse', () => {
    const ops = Array.from({ length: 5_001 }, () => ({ op: 'exit', proc: 'p' }));
    const big = file(
      'big.json',
      JSON.stringify({ format: 'sva-explorer/scenario', version: 1, ops }),
    );
    expect(main(['url', big])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'url: no link: the scenario has 5,001 ops; links may have at most 5,000\n',
    });
  });
});

describe('url --decode URL', () => {
  const link = main(['url', goldenPath('01-first-bind')]).stdout.trim();

  it('reads a full page URL as well as a bare fragment', () => {
    const full = main(['url', '--decode', `https://example.org/sva/?x=1${link}`]);
    expect(full.code).toBe(0);
    expect(full.stdout).toBe(main(['url', '--decode', link]).stdout);
    expect(JSON.parse(full.stdout)).toMatchObject({
      format: 'sva-explorer/scenario',
      version: 2,
      title: 'Golden 1: first bind — PASID 1, CD 1 shares the process page tables',
    });
  });
  it('refuses bad links with one line each', () => {
    const cases: [string, string][] = [
      [link.replace('#s=2.', '#s=3.'), 'url: the link is version 3; this page reads up to 2\n'],
      [link.slice(0, 40), 'url: the link is damaged or truncated: its data does not decompress\n'],
      ['', 'url: the link is malformed: it does not start with a format version\n'],
    ];
    for (const [input, stderr] of cases)
      expect(main(['url', '--decode', input])).toEqual({ code: 1, stdout: '', stderr });
    // The tampered link of the audit (an op named "constructor") used to throw.
    const tampered = main(['url', '--decode', '#s=1.q1bKV7KKjlZKzs8rLikqTS7JL1KKja0FAA']);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(oneLine);
    expect(tampered.stderr).toContain('unknown op "constructor"');
  });
});

describe('the CLI entry, as a process', () => {
  const cwd = fileURLToPath(new URL('../..', import.meta.url));
  const sva = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('url then url --decode round-trips through stdout, and a bad link exits 1', () => {
    const enc = sva('url', goldenPath('13-private-vs-global'));
    expect(enc.status, enc.stderr).toBe(0);
    const dec = sva('url', '--decode', enc.stdout.trim());
    expect(dec.status, dec.stderr).toBe(0);
    expect(meaning(dec.stdout)).toEqual(
      meaning(readFileSync(goldenPath('13-private-vs-global'), 'utf8')),
    );
    const bad = sva('url', '--decode', '#s=1.%%%%');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('url: the link is damaged: its payload is not base64url\n');
  }, 120_000);
});
