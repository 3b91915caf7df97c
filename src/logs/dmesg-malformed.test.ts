// Bad input: what cannot be read is listed in `skipped` with a line number and one line of text,
// the rest of the paste is still read, and no input throws.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDmesg } from './dmesg.ts';
import { DMESG_FIXTURES, dmesgOk, smmu } from './testkit.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const errorOf = (text: string): string => {
  const r = parseDmesg(text);
  if (r.ok) throw new Error('expected an error');
  return r.message;
};
/** The one thing the importer skipped (the tests below each break one record). */
const skippedOf = (text: string): string => {
  const r = dmesgOk(text);
  expect(r.skipped).toHaveLength(1);
  return r.skipped[0]!.message;
};

describe('malformed dumps', () => {
  it('a dump cut after two dwords names the line where the 3rd was due and what is missing', () => {
    const lines = fixture('02-aquantia-atl2-ftranslation.txt').split('\n').slice(0, 4);
    expect(skippedOf(lines.join('\n'))).toBe(
      'line 4: expected the 3rd event dword (0x + 16 hex digits) after "event 0x10 received:" (line 2), but the text ends here; the record is missing dw2, dw3 (InputAddr, IPA)',
    );
    // What the two dwords hold is still shown: F_TRANSLATION from SID 0x20600.
    const e = dmesgOk(lines.join('\n')).events[0]!;
    expect(e).toMatchObject({ missing: [2, 3], record: { name: 'F_TRANSLATION', sid: 0x20600 } });
  });

  it('a dump followed by the next header: both dumps are read, the first one partly', () => {
    // Sample 17 with dw2 and dw3 of the first dump (lines 5 and 6) removed.
    const lines = fixture('17-hanpfei-f-stream-disabled.txt').split('\n');
    lines.splice(4, 2);
    const text = lines.join('\n');
    expect(skippedOf(text)).toBe(
      'line 5: expected the 3rd event dword (0x + 16 hex digits) after "event 0x06 received:" (line 2), found "event 0x06 received:"; the record is missing dw2, dw3 (this event defines no fields there)',
    );
    expect(dmesgOk(text).events.map((e) => [e.line, e.missing])).toEqual([
      [2, [2, 3]],
      [5, undefined],
    ]);
  });

  it('a control character in a dword is not a digit (U+0011 | 0x20 is "1"): no exception', () => {
    // Found by `npm run fuzz` (seed 45828, log case 23208): BigInt() threw on this dword.
    const text = fixture('01-hisi-sva-stall-ssid1.txt').replace(
      '0x0000120080000176',
      '0x000\u0011120080000176',
    );
    expect(skippedOf(text)).toContain('the record is missing dw1');
    expect(dmesgOk(text).events[0]).toMatchObject({ missing: [1] });
  });

  it('a non-hex digit in a dword: that dword is missing, the others and the print are read', () => {
    const text = fixture('01-hisi-sva-stall-ssid1.txt').replace(
      '0x0000120080000176',
      '0x00001200800g0176',
    );
    expect(skippedOf(text)).toBe(
      'line 4: expected the 2nd event dword (0x + 16 hex digits) after "event 0x10 received:" (line 2), found "0x00001200800g0176"; the record is missing dw1 (STAG, Stall, PnU, InD, RnW, S2, CLASS)',
    );
    const r = dmesgOk(text);
    expect(r.events[0]).toMatchObject({
      missing: [1],
      raw: [0x0000750100001810n, 0n, 0xaaaada7af000n, 0xaaaada7af000n],
    });
    expect(r.events[0]!.kernel?.access?.stag).toBe(0x176);
    expect(r.warnings).toEqual([]);
  });

  it('a dword with too few digits, even without a driver prefix', () => {
    const text = ['event 0x02 received:', '\t0x0000090000000002', '\t0x1234'].join('\n');
    expect(skippedOf(text)).toMatch(
      /^line 3: expected the 2nd event dword .* found "0x1234"; the record is missing dw1, dw2, dw3 \(this event defines no fields there\)$/,
    );
  });

  it('a header with no dwords at all is skipped', () => {
    expect(skippedOf(smmu('event 0x10 received:'))).toBe(
      'line 1: expected the 1st event dword (0x + 16 hex digits) after "event 0x10 received:" (line 1), but the text ends here; the record was not read',
    );
    expect(dmesgOk(smmu('event 0x10 received:')).events).toEqual([]);
  });

  it('dwords too far from their header end the dump (bounded lookahead)', () => {
    const text = [
      'arm-smmu-v3 a: event 0x02 received:',
      ...Array.from({ length: 20 }, (_, i) => `nvme nvme0: line ${i}`),
      'arm-smmu-v3 a: \t0x0000090000000002',
    ].join('\n');
    expect(skippedOf(text)).toMatch(/but none came within 16 lines; the record was not read$/);
  });

  it('a skipped command with one dword', () => {
    const text = smmu('skipping command in error state:', '\t0x0000000000000000');
    expect(skippedOf(text)).toBe(
      'line 2: expected the 2nd command dword (0x + 16 hex digits) after "skipping command in error state:" (line 1), but the text ends here; the command was not read',
    );
  });

  it('a PRI header without its request line; the next line is still read', () => {
    const text = smmu('unexpected PRI request received:', 'EVTQ overflow detected -- events lost');
    expect(skippedOf(text)).toMatch(/^line 2: expected the PRI request line .* \(line 1\), found/);
    expect(dmesgOk(text).other.map((n) => n.kind)).toEqual(['evtq-overflow']);
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

  it('an over-long line is skipped and said so; the lines around it are read', () => {
    const text = `${'x'.repeat(5000)}\n${fixture('02-aquantia-atl2-ftranslation.txt')}`;
    const r = dmesgOk(text);
    expect(r.events).toHaveLength(1);
    expect(r.skipped.map((s) => s.message)).toEqual([
      'line 1: 5,000 characters on one line: longer than any kernel log line (not read)',
    ]);
  });

  it('lists at most MAX_DETAILS skipped records, then how many more', () => {
    const r = dmesgOk(smmu(...Array.from({ length: 250 }, () => 'event 0x10 received:')));
    expect(r.skipped).toHaveLength(201);
    expect(r.skipped.at(-1)!.message).toBe('and 50 more not read');
  });
});

describe('properties', () => {
  const oneLine = (m: string): boolean => !/[\r\n]/.test(m);
  const wellFormed = (r: ReturnType<typeof parseDmesg>): boolean =>
    r.ok
      ? r.skipped.every((s) => oneLine(s.message)) && r.warnings.every(oneLine)
      : oneLine(r.message) && /^no arm-smmu-v3/.test(r.message);

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
