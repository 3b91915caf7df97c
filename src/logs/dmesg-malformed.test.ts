// Bad input: errors are values with a line number and one line of text, and no input throws.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDmesg } from './dmesg.ts';
import { DMESG_FIXTURES, smmu } from './testkit.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const errorOf = (text: string): string => {
  const r = parseDmesg(text);
  if (r.ok) throw new Error('expected an error');
  return r.message;
};

describe('malformed dumps', () => {
  it('a dump cut after two dwords names the line where the 3rd was due', () => {
    const lines = fixture('02-aquantia-atl2-ftranslation.txt').split('\n').slice(0, 4);
    expect(errorOf(lines.join('\n'))).toBe(
      'line 4: expected the 3rd event dword (0x + 16 hex digits) after "event 0x10 received:" (line 2), but the text ends here',
    );
  });

  it('a dump followed by the next header names that header', () => {
    // Sample 17 with dw2 and dw3 of the first dump (lines 5 and 6) removed.
    const lines = fixture('17-hanpfei-f-stream-disabled.txt').split('\n');
    lines.splice(4, 2);
    expect(errorOf(lines.join('\n'))).toBe(
      'line 5: expected the 3rd event dword (0x + 16 hex digits) after "event 0x06 received:" (line 2), found "event 0x06 received:"',
    );
  });

  it('a non-hex digit in a dword', () => {
    const text = fixture('01-hisi-sva-stall-ssid1.txt').replace(
      '0x0000120080000176',
      '0x00001200800g0176',
    );
    expect(errorOf(text)).toBe(
      'line 4: expected the 2nd event dword (0x + 16 hex digits) after "event 0x10 received:" (line 2), found "0x00001200800g0176"',
    );
  });

  it('a dword with too few digits, even without a driver prefix', () => {
    const text = ['event 0x02 received:', '\t0x0000090000000002', '\t0x1234'].join('\n');
    expect(errorOf(text)).toMatch(/^line 3: expected the 2nd event dword .* found "0x1234"$/);
  });

  it('a skipped command with one dword', () => {
    const text = smmu('skipping command in error state:', '\t0x0000000000000000');
    expect(errorOf(text)).toBe(
      'line 2: expected the 2nd command dword (0x + 16 hex digits) after "skipping command in error state:" (line 1), but the text ends here',
    );
  });

  it('a PRI header without its request line', () => {
    const text = smmu('unexpected PRI request received:', 'EVTQ overflow detected -- events lost');
    expect(errorOf(text)).toMatch(/^line 2: expected the PRI request line .* \(line 1\), found/);
  });

  it('text with nothing from the driver', () => {
    expect(errorOf('hello\nworld\n')).toMatch(/^no arm-smmu-v3 event dumps found/);
    expect(errorOf('')).toMatch(/^no arm-smmu-v3 event dumps found/);
    // Another driver's lines only (sample 10 without its SMMU lines).
    const other = fixture('10-qemu-pxb-c-bad-streamid.txt')
      .split('\n')
      .filter((l) => !l.includes('arm-smmu-v3'))
      .join('\n');
    expect(errorOf(other)).toMatch(/^no arm-smmu-v3 event dumps found/);
  });
});

describe('properties', () => {
  const wellFormed = (r: ReturnType<typeof parseDmesg>): boolean =>
    r.ok || (!/[\r\n]/.test(r.message) && /^(line \d+: |no arm-smmu-v3)/.test(r.message));

  it('random text never throws and errors are one line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => wellFormed(parseDmesg(s))),
      { numRuns: 500 },
    );
  });

  it('random lines built from driver vocabulary never throw', () => {
    const piece = fc.constantFrom(
      'arm-smmu-v3 a.b: ',
      'arm-smmu-v3: ',
      '[ 1.5] ',
      'event 0x10 received:',
      '\t0x0000750100001810',
      '0x12',
      'event: F_TRANSLATION client: x sid: 0x1 ssid: 0x0',
      ' iova: 0x1 ipa: 0x0',
      'unpriv data read s1 "x" stag: 0x0',
      'skipping command in error state:',
      'unexpected PRI request received:',
      'sid 0x00000100.0x00005: [31L] unprivileged RW access at iova 0x00007fffdeadb000',
      'unexpected global error reported (0x00000001),',
      'CMDQ error (cons 0x01000022): Illegal command',
      '\n',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) =>
        wellFormed(parseDmesg(parts.join(''))),
      ),
      { numRuns: 500 },
    );
  });

  it('every truncation of every sample never throws', () => {
    for (const name of DMESG_FIXTURES) {
      const text = fixture(name);
      for (let n = 0; n <= text.length; n++)
        expect(wellFormed(parseDmesg(text.slice(0, n)))).toBe(true);
    }
  });

  it('samples with random lines dropped never throw', () => {
    const samples = DMESG_FIXTURES.map(fixture);
    fc.assert(
      fc.property(
        fc.constantFrom(...samples),
        fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
        (text, keep) =>
          wellFormed(
            parseDmesg(
              text
                .split('\n')
                .filter((_l, i) => keep[i % keep.length])
                .join('\n'),
            ),
          ),
      ),
      { numRuns: 300 },
    );
  });

  it('any four dwords survive the round trip through the text', () => {
    const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    fc.assert(
      fc.property(fc.tuple(u64, u64, u64, u64), (words) => {
        const id = (words[0] & 0xffn).toString(16).padStart(2, '0');
        const text = smmu(
          `event 0x${id} received:`,
          ...words.map((w) => `\t0x${w.toString(16).padStart(16, '0')}`),
        );
        const r = parseDmesg(text);
        return r.ok && r.events.length === 1 && r.events[0]!.raw.every((w, i) => w === words[i]);
      }),
      { numRuns: 300 },
    );
  });
});
