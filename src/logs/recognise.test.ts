// What pasted text is, for each kind the page can open.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recognise } from './recognise.ts';
import { DMESG_FIXTURES, MAPS_FIXTURES } from './testkit.ts';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('recognise', () => {
  it.each(DMESG_FIXTURES)('%s is a kernel log', (name) => {
    expect(recognise(fixture(name))).toBe('dmesg');
  });
  it.each(MAPS_FIXTURES)('%s is /proc/PID/maps', (name) => {
    expect(recognise(fixture(name))).toBe('maps');
  });
  it('a scenario document', () => {
    expect(recognise('  {"format":"sva-explorer/scenario","version":1,"ops":[]}')).toBe('scenario');
  });
  it('share links, whole or as a fragment, also with the = percent-encoded', () => {
    expect(recognise('https://example.org/sva/#s=1.N4Ig')).toBe('link');
    expect(recognise('#s=1.N4Ig')).toBe('link');
    expect(recognise('http://127.0.0.1:5173/#s%3D1.N4Ig\n')).toBe('link');
  });
  it('a Xen console log', () => {
    expect(recognise('(XEN) SMMUv3: /smmu@4f000000: event 0x10 received:')).toBe('dmesg');
  });
  it('binary, empty and anything else', () => {
    expect(recognise('\u0000\u0001\u0002ELF\u0003\u0004'.repeat(100))).toBe('binary');
    expect(recognise(' \n\t')).toBe('empty');
    expect(recognise('hello world')).toBe('unknown');
  });
  it('answers at once for megabytes of noise', () => {
    const t0 = performance.now();
    expect(recognise('x'.repeat(8_000_000))).toBe('unknown');
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
