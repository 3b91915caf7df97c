// VMSAv8-64 walk geometry (Arm ARM D8.2): for each granule g the stride is g − 3 bits, level n
// resolves input bits from g + (3 − n)(g − 3) upward, and the start level follows from the input
// size. Every value below is worked out by hand from those rules (python's >> and & where an
// index is read from an address), not taken from the code.
import { describe, expect, it } from 'vitest';
import {
  GRANULES,
  MAX_TXSZ,
  MIN_TXSZ,
  blockAllowed,
  blockShift,
  granuleFromName,
  granuleName,
  levelBits,
  levelIndex,
  levelShift,
  s2StartBits,
  s2StartLevel,
  s2tgShift,
  startLevel,
  stride,
} from './granule.ts';

describe('granule geometry', () => {
  it('names 4K, 16K, 64K both ways; anything else is no granule', () => {
    expect(GRANULES.map(granuleName)).toEqual(['4K', '16K', '64K']);
    expect(['4K', '16K', '64K', '8K', '4k'].map(granuleFromName)).toEqual([
      12,
      14,
      16,
      undefined,
      undefined,
    ]);
  });

  it('stride and the lowest bit each level resolves', () => {
    expect(GRANULES.map(stride)).toEqual([9, 11, 13]);
    expect([0, 1, 2, 3].map((l) => levelShift(12, l))).toEqual([39, 30, 21, 12]);
    expect([0, 1, 2, 3].map((l) => levelShift(14, l))).toEqual([47, 36, 25, 14]);
    expect([1, 2, 3].map((l) => levelShift(16, l))).toEqual([42, 29, 16]);
    expect([1, 2, 3].map((l) => blockShift(12, l))).toEqual([30, 21, 12]); // 1 GB, 2 MB, 4 KB
  });

  it('start level from the input size', () => {
    // 4 KB: 48 and 40 bits need L0, 39 bits start at L1, 30 bits at L2.
    expect([48, 40, 39, 31, 30].map((n) => startLevel(12, n))).toEqual([0, 0, 1, 1, 2]);
    // 16 KB: 48 bits use one bit of L0; 47 bits start at L1. 64 KB: 48 bits start at L1.
    expect([48, 47, 36].map((n) => startLevel(14, n))).toEqual([0, 1, 2]);
    expect([48, 42, 29].map((n) => startLevel(16, n))).toEqual([1, 2, 3]);
  });

  it('the bits that index each level, capped at the input size', () => {
    expect(levelBits(12, 0, 48)).toEqual([47, 39]);
    expect(levelBits(12, 1, 39)).toEqual([38, 30]);
    expect(levelBits(12, 1, 35)).toEqual([34, 30]);
    expect(levelBits(14, 0, 48)).toEqual([47, 47]);
    expect(levelBits(16, 1, 48)).toEqual([47, 42]);
    expect(levelBits(12, 3, 48)).toEqual([20, 12]);
  });

  it('indices of VA 0x7fff_dead_b000 at each level of each granule', () => {
    const va = 0x7fff_dead_b000n;
    expect([0, 1, 2, 3].map((l) => levelIndex(12, l, 48, va))).toEqual([0xff, 0x1ff, 0xf5, 0xdb]);
    expect([0, 1, 2, 3].map((l) => levelIndex(14, l, 48, va))).toEqual([0, 0x7ff, 0x7ef, 0x2b6]);
    expect([1, 2, 3].map((l) => levelIndex(16, l, 48, va))).toEqual([0x1f, 0x1ffe, 0x1ead]);
  });

  it('blocks: 4 KB at L1 and L2, 16 KB and 64 KB at L2 only; never at L3 or L0', () => {
    expect([0, 1, 2, 3].map((l) => blockAllowed(12, l))).toEqual([false, true, true, false]);
    expect([0, 1, 2, 3].map((l) => blockAllowed(14, l))).toEqual([false, false, true, false]);
    expect([1, 2, 3].map((l) => blockAllowed(16, l))).toEqual([false, true, false]);
  });

  it('TxSZ range 16..39', () => {
    expect([MIN_TXSZ, MAX_TXSZ]).toEqual([16, 39]);
  });
});

describe('stage-2 start (VTCR_EL2.SL0 / STE.S2SL0, §5.2)', () => {
  it('S2SL0 to a start level: 4 KB 0→L2, 1→L1, 2→L0; 16/64 KB 0→L3, 1→L2, 2→L1; 3 reserved', () => {
    expect([0, 1, 2, 3].map((x) => s2StartLevel(12, x))).toEqual([2, 1, 0, undefined]);
    expect([0, 1, 2, 3].map((x) => s2StartLevel(14, x))).toEqual([3, 2, 1, undefined]);
    expect([0, 1, 2, 3].map((x) => s2StartLevel(16, x))).toEqual([3, 2, 1, undefined]);
  });

  it('bits the start table resolves (concatenation beyond the stride), and S2TG', () => {
    expect(s2StartBits(12, 1, 40)).toBe(10); // IPA[39:30]: two concatenated L1 tables
    expect(s2StartBits(12, 2, 25)).toBe(4);
    expect(s2StartBits(16, 2, 40)).toBe(11);
    expect([0, 1, 2, 3].map(s2tgShift)).toEqual([12, 16, 14, undefined]);
  });
});
