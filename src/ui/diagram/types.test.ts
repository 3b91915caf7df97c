// Model ids → data-testids, as the e2e tests and the docs name them; asked twice, the same.
import { describe, expect, it } from 'vitest';
import { testId } from './types.ts';

describe('testId', () => {
  it('renames the kinds the tests know by another name, keeps the rest', () => {
    expect(testId('ste:16')).toBe('ste-16');
    expect(testId('cdt:media')).toBe('cdtable-media');
    expect(testId('pt:4000a000')).toBe('table-4000a000');
    expect(testId('pte:4000a008')).toBe('entry-4000a008');
    expect(testId('run:4000a000:80000000')).toBe('run-4000a000-80000000');
    expect(testId('cd:media:3')).toBe('cd-media-3');
    expect(testId('proc')).toBe('proc');
  });

  it('answers the same the second time (remembered)', () => {
    expect(testId('pt:1')).toBe('table-1');
    expect(testId('pt:1')).toBe('table-1');
    expect(testId('cdt:a:b')).toBe('cdtable-a-b');
  });
});
