// /proc/PID/maps: the two real samples (fixtures/, from shared/samples/maps), field validation,
// and a property test that no input throws.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMaps } from './maps.ts';
import { MAPS_FIXTURES, mapsOk } from './testkit.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const errorOf = (text: string): string => {
  const r = parseMaps(text);
  if (r.ok) throw new Error('expected an error');
  return r.message;
};

describe('real samples', () => {
  it('01: arm64 process with a one-page hole and a stack ending at 2^48', () => {
    const r = mapsOk(fixture('01-arm64-v6.5-merge-test-hole.maps'));
    expect(r.vmas).toHaveLength(20);
    expect(r.vmas[0]).toEqual({
      start: '0xaaaaaaaa0000',
      end: '0xaaaaaaaa1000',
      perms: { read: true, write: false, exec: true, shared: false },
      offset: '0x0',
      dev: 'fe:02',
      inode: 8199010,
      path: '/home/ubuntu/merge',
      line: 2,
    });
    // "fffff7f89000-fffff7f98000 ---p 00189000 fe:02 41410085 …/libc.so.6"
    expect(r.vmas[5]).toMatchObject({
      start: '0xfffff7f89000',
      perms: { read: false, write: false, exec: false, shared: false },
      offset: '0x189000',
      inode: 41410085,
    });
    // "fffff7ff2000-fffff7ff3000 ---p 00000000 00:00 0 " (trailing space): anonymous, no path.
    const hole = r.vmas.find((v) => v.start === '0xfffff7ff2000');
    expect(hole?.path).toBeUndefined();
    expect(hole?.line).toBe(12);
    // The 13-digit end: 0x1000000000000 = 2^48.
    expect(r.vmas.at(-1)).toMatchObject({
      start: '0xfffffffdf000',
      end: '0x1000000000000',
      path: '[stack]',
    });
    expect(r.warnings).toEqual([]);
  });

  it('09: the kernel documentation’s i386 example (8-digit addresses)', () => {
    const r = mapsOk(fixture('09-kernel-doc-proc-rst-i386.maps'));
    expect(r.vmas).toHaveLength(20);
    expect(r.vmas[0]).toMatchObject({
      start: '0x8048000',
      end: '0x8049000',
      dev: '03:00',
      inode: 8312,
      path: '/opt/test',
    });
    // "a7cb1000-a7cb2000 ---p 00000000 00:00 0" (no trailing space): a thread's guard page.
    expect(r.vmas[3]).toMatchObject({ start: '0xa7cb1000', inode: 0 });
    expect(r.vmas[3]?.path).toBeUndefined();
    expect(r.vmas.at(-1)).toMatchObject({ start: '0xffffe000', path: '[vdso]' });
    expect(r.vmas.filter((v) => v.path === '/lib/libc.so.6').map((v) => v.offset)).toEqual([
      '0x0',
      '0x133000',
      '0x135000',
    ]);
  });
});

describe('validation names the line and the field', () => {
  const ok = '08048000-08049000 r-xp 00000000 03:00 8312 /opt/test';
  const withLine2 = (bad: string): string => `${ok}\n${bad}\n`;

  it('start not below end', () => {
    expect(errorOf(withLine2('08049000-08049000 r--p 00000000 03:00 8312'))).toBe(
      'line 2: start 0x8049000 must be below end 0x8049000 (the end is exclusive)',
    );
  });

  it('bad perms', () => {
    expect(errorOf(withLine2('08049000-0804a000 rwz 00000000 03:00 8312'))).toMatch(
      /^line 2: perms: "rwz" must be 4 characters/,
    );
    expect(errorOf(withLine2('08049000-0804a000 rwxq 00000000 03:00 8312'))).toMatch(
      /^line 2: perms: "rwxq"/,
    );
  });

  it('non-hex addresses and offsets', () => {
    expect(errorOf(withLine2('0804g000-0804a000 r--p 00000000 03:00 8312'))).toBe(
      'line 2: start: "0804g000" is not a hex address',
    );
    expect(errorOf(withLine2('08049000-zz r--p 00000000 03:00 8312'))).toBe(
      'line 2: end: "zz" is not a hex address',
    );
    expect(errorOf(withLine2('08049000-0804a000 r--p 0000x000 03:00 8312'))).toBe(
      'line 2: offset: "0000x000" is not hex',
    );
    expect(errorOf(withLine2('08049000 r--p 00000000 03:00 8312'))).toMatch(
      /^line 2: address range: "08049000" must be start-end in hex/,
    );
  });

  it('dev, inode and missing fields', () => {
    expect(errorOf(withLine2('08049000-0804a000 r--p 00000000 0300 8312'))).toMatch(
      /^line 2: dev: "0300" must be major:minor/,
    );
    expect(errorOf(withLine2('08049000-0804a000 r--p 00000000 03:00 83x2'))).toBe(
      'line 2: inode: "83x2" is not a decimal number',
    );
    expect(errorOf(withLine2('08049000-0804a000 r--p 00000000'))).toMatch(
      /^line 2: expected "start-end perms offset dev inode \[path\]"/,
    );
  });

  it('nothing to read', () => {
    expect(errorOf('')).toMatch(/^no VMAs found/);
    expect(errorOf('# only a comment\n\n')).toMatch(/^no VMAs found/);
  });

  it('warns about overlapping, unsorted or unaligned VMAs, and reads shared mappings', () => {
    const r = mapsOk(
      [
        '10000-20000 rw-s 00000000 00:05 77 /dev/zero',
        '18000-30000 r--p 00000000 00:00 0',
        '40000-40800 r--p 00000000 00:00 0',
      ].join('\n'),
    );
    expect(r.vmas[0]?.perms.shared).toBe(true);
    expect(r.warnings).toEqual([
      'line 2: 0x18000-0x30000 overlaps or comes before the previous VMA (the kernel lists VMAs in address order)',
      'line 3: 0x40000-0x40800 is not 4 KB aligned',
    ]);
  });

  it('keeps spaces inside a path', () => {
    const r = mapsOk('7f0000000000-7f0000001000 rw-s 00000000 00:01 1024 /memfd:my buf (deleted)');
    expect(r.vmas[0]?.path).toBe('/memfd:my buf (deleted)');
  });
});

describe('properties', () => {
  const wellFormed = (r: ReturnType<typeof parseMaps>): boolean =>
    r.ok || (!/[\r\n]/.test(r.message) && /^(line \d+: |no VMAs)/.test(r.message));

  it('random text never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => wellFormed(parseMaps(s))),
      { numRuns: 500 },
    );
  });

  it('every truncation of every sample never throws', () => {
    for (const name of MAPS_FIXTURES) {
      const text = fixture(name);
      for (let n = 0; n <= text.length; n++)
        expect(wellFormed(parseMaps(text.slice(0, n)))).toBe(true);
    }
  });
});
