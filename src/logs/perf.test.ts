// The importer is linear (issue 15: "The log decoder hangs (10 s+) on some inputs and takes
// seconds on large ones"). Each hostile input gets a generous wall-clock bound that a quadratic
// path cannot meet, and the growth from n to 4n is checked (4× for linear work, 16× for
// quadratic; the bound sits between them). Times are the best of three runs, so one slow moment
// on a shared machine does not fail the test.
import { describe, expect, it } from 'vitest';
import { parseDmesg, type DmesgResult } from './dmesg.ts';
import { parseMaps } from './maps.ts';
import { smmu } from './testkit.ts';

function best<T>(f: () => T): { ms: number; value: T } {
  let ms = Infinity;
  let value!: T;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    value = f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, value };
}

const dump = smmu(
  'event 0x10 received:',
  '\t0x0000750100001810',
  '\t0x0000120080000176',
  '\t0x0000aaaada7af000',
  '\t0x0000aaaada7af000',
);
const noise = 'nvme nvme0: I/O 12 QID 3 timeout, aborting\n';

/** Bytes-sized inputs that once took seconds or hung, and the classic worst cases. */
const INPUTS: [string, (n: number) => string][] = [
  ['short lines', (n) => 'a\n'.repeat(n)],
  ['empty lines', (n) => '\n'.repeat(n)],
  ['blanks on one line', (n) => ' '.repeat(n)],
  ['blanks on a line each', (n) => `${' '.repeat(50)}\n`.repeat(n / 50)],
  ['headers without dwords', (n) => `${smmu('event 0x10 received:')}\n`.repeat(n / 50)],
  ['a header, then noise', (n) => `${smmu('event 0x10 received:')}\n${noise.repeat(n / 45)}`],
  ['dwords without headers', (n) => `${smmu('\t0x0000000000000000')}\n`.repeat(n / 50)],
  ['PRI headers', (n) => `${smmu('unexpected PRI request received:')}\n`.repeat(n / 60)],
  ['callbacks suppressed', (n) => `arm_smmu${'_x'.repeat(n / 4)}: 3 callbacks suppressed`],
  ['event lines', (n) => `${smmu('event: X client: x sid: 0x1 ssid: 0x0')}\n`.repeat(n / 75)],
  ['dumps', (n) => `${dump}\n`.repeat(n / 220)],
  ['brackets', (n) => '[ 1'.repeat(n / 3)],
];

describe('the importer is linear', () => {
  for (const [what, make] of INPUTS) {
    it(`${what}: 1 MB well under the bound, and 4× the input costs about 4× the time`, () => {
      const small = best(() => parseDmesg(make(250_000)));
      const large = best(() => parseDmesg(make(1_000_000)));
      expect(large.ms).toBeLessThan(3_000);
      // Linear: ~4×; quadratic: ~16×. A floor keeps tiny times from making a noisy ratio (the
      // suite runs files in parallel on shared cores), and under 500 ms for 1 MB nothing
      // quadratic is going on whatever the ratio says (the quadratic paths found took seconds
      // for 50 KB).
      const ratio = large.ms / Math.max(small.ms, 50);
      expect(large.ms < 500 || ratio < 9, `${small.ms} ms → ${large.ms} ms`).toBe(true);
    });
  }

  it('a million short lines: an answer within seconds, saying nothing was found', () => {
    const r = best(() => parseDmesg('x\n'.repeat(1_000_000)));
    expect(r.ms).toBeLessThan(3_000);
    expect(r.value).toMatchObject({ ok: false });
    expect((r.value as { message: string }).message).toMatch(/^no arm-smmu-v3 event dumps found/);
  });

  it('binary: an answer within seconds', () => {
    let seed = 1;
    const bytes = Array.from({ length: 1_000_000 }, () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return String.fromCharCode(seed & 0xff);
    }).join('');
    expect(best(() => parseDmesg(bytes)).ms).toBeLessThan(3_000);
  });

  it('megabytes of noise around a few dumps: what was found and what was skipped', () => {
    const text = [noise.repeat(40_000), dump, noise.repeat(40_000), 'z'.repeat(100_000), dump].join(
      '\n',
    );
    expect(text.length).toBeGreaterThan(3_000_000);
    const r = best(() => parseDmesg(text));
    expect(r.ms).toBeLessThan(4_000);
    const v = r.value as Extract<DmesgResult, { ok: true }>;
    expect(v.events).toHaveLength(2);
    // 40,000 noise lines, a blank (the join after the final newline), 5 dump lines (40,002–
    // 40,006), 40,000 more (40,007–80,006), a blank, then the long line: 80,008.
    expect(v.skipped.map((s) => s.message)).toEqual([
      'line 80008: 100,000 characters on one line: longer than any kernel log line (not read)',
    ]);
  });

  it('more than MAX_TEXT is cut at a line end, and said so', () => {
    const line = `${'n'.repeat(99)}\n`;
    const r = parseDmesg(`${dump}\n${line.repeat(180_000)}`);
    expect(r.ok && r.skipped[0]!.message).toBe(
      'the text is 17.2 MB; only the first 16 MB were read',
    );
  });

  it('maps: a quarter of a million lines and a megabyte of blanks within seconds', () => {
    const line = '7f0000000000-7f0000001000 rw-p 00000000 00:00 0\n';
    expect(best(() => parseMaps(line.repeat(250_000))).ms).toBeLessThan(3_000);
    expect(best(() => parseMaps(' '.repeat(1_000_000))).ms).toBeLessThan(3_000);
  });
});
