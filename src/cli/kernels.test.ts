// `sva kernels [--json]` and `sva run FILE --kernel ID` through the CLI entry (main.ts).
import { describe, expect, it } from 'vitest';
import { ERAS } from '../kernel/index.ts';
import { goldenPath } from '../scenario/golden.testkit.ts';
import { main } from './main.ts';

const version = (v: string): number[] => v.slice(1).split('.').map(Number);
const before = (a: string, b: string): boolean => {
  const [x, y] = [version(a), version(b)];
  return x[0]! < y[0]! || (x[0] === y[0] && x[1]! < y[1]!);
};

describe('kernels --json', () => {
  const out = main(['kernels', '--json']);
  const list = JSON.parse(out.stdout) as Record<string, unknown>[];

  it('lists every era once, with exactly id, from, to, title, summary', () => {
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    expect(list.map((e) => e['id'])).toEqual(ERAS.map((e) => e.id));
    for (const e of list) {
      expect(Object.keys(e)).toEqual(['id', 'from', 'to', 'title', 'summary']);
      expect(e['from']).toMatch(/^v\d+\.\d+$/);
      expect(typeof e['title']).toBe('string');
      expect((e['summary'] as string).length).toBeGreaterThan(40);
    }
  });

  it('in time order: each era ends where the next starts; the newest has to = null', () => {
    list.forEach((e, i) => {
      const next = list[i + 1];
      if (!next) return expect(e['to']).toBeNull();
      expect(e['to']).toBe(next['from']);
      expect(before(e['from'] as string, next['from'] as string)).toBe(true);
    });
    expect(list[0]).toMatchObject({ id: 'rfc2017', from: 'v4.14', to: 'v5.14' });
    expect(list.at(-1)).toMatchObject({ id: 'mainline', from: 'v7.2', to: null });
  });

  it('without --json: one line per era', () => {
    const text = main(['kernels']).stdout.trim().split('\n');
    expect(text).toHaveLength(ERAS.length);
    expect(text[4]).toMatch(/^v6\.7\s+v6\.7–v6\.11\s+CD table per master$/);
  });
});

describe('run --kernel', () => {
  type Run = { kernel: string; results: { status: string; error?: string; pasid?: number }[] };
  const run = (...args: string[]): Run =>
    JSON.parse(main(['run', goldenPath('01-first-bind'), '--json', ...args]).stdout) as Run;

  it('runs the scenario under the era named instead of its own', () => {
    expect(run().kernel).toBe('rfc2017');
    expect(run('--kernel', 'v6.7').kernel).toBe('v6.7');
    expect(run('--kernel=v6.11').kernel).toBe('v6.11');
  });

  it('a version-1 document saying "mainline" runs as v6.11 (what it meant)', () => {
    const out = JSON.parse(main(['run', goldenPath('m1-first-bind'), '--json']).stdout) as Run;
    expect(out.kernel).toBe('v6.11');
  });

  it('an unknown era: exit 1 and one line naming the ids', () => {
    const out = main(['run', goldenPath('01-first-bind'), '--json', '--kernel', 'v9.9']);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/no kernel era "v9\.9" \(one of rfc2017, v5\.14, .*mainline/);
  });

  it('--kernel without a value: exit 2', () => {
    expect(main(['run', goldenPath('01-first-bind'), '--kernel']).code).toBe(2);
  });
});
