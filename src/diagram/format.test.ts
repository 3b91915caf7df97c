// count() groups whole numbers by hand (no ICU on the first paint): it must read exactly as
// en-US toLocaleString does, the standard the page showed before.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { count, plural } from './format.ts';

describe('count', () => {
  test('hand-picked values read as en-US grouping', () => {
    expect(count(0)).toBe('0');
    expect(count(999)).toBe('999');
    expect(count(1000)).toBe('1,000');
    expect(count(1_048_575)).toBe('1,048,575');
    expect(count(-1234)).toBe('-1,234');
    expect(count(12.5)).toBe('12.5');
    expect(plural(1, 'op')).toBe('1 op');
    expect(plural(65536, 'entry', 'entries')).toBe('65,536 entries');
  });

  test('agrees with toLocaleString("en-US") on every safe integer', () => {
    fc.assert(
      // maxSafeInteger: any safe integer, negative too; integer(): mostly 32-bit ones.
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer()), (n) => {
        expect(count(n)).toBe(n.toLocaleString('en-US'));
      }),
      { numRuns: 2000 },
    );
  });
});
