// CD table geometry (SPEC §5.2 STE.S1Fmt/S1CDMax, §5.3 L1CD) and the TGx granules a view or check
// uses for a CD (§5.4: a reserved TGx is ILLEGAL; the TTB plan falls back to 4 KB).
import { describe, expect, it } from 'vitest';
import { tg0Granule, tg1Granule } from './cd.ts';
import { cdLeafBits, l1cdCount, l1cdIndex, l1cdLeaf, l1cdPtr } from './cdTable.ts';

describe('CD table geometry', () => {
  it('S1Fmt: 0b00 linear, 0b01 4 KB leaves (64 CDs), 0b10 64 KB leaves (1024), 0b11 as linear', () => {
    expect([0, 1, 2, 3].map(cdLeafBits)).toEqual([undefined, 6, 10, undefined]);
  });

  it('L1CD: V=0 has no leaf; L2Ptr[55:12] is aligned down to the leaf size', () => {
    expect(l1cdLeaf(0x4001_0000n, 10)).toBeUndefined();
    // L2Ptr 0x4001_3000 | V: a 64 KB leaf ignores bits [15:12], a 4 KB leaf keeps them.
    expect(l1cdPtr(0x4001_3001n)).toBe(0x4001_3000n);
    expect(l1cdLeaf(0x4001_3001n, 10)).toBe(0x4001_0000n);
    expect(l1cdLeaf(0x4001_3001n, 6)).toBe(0x4001_3000n);
    // Bits above 55 are not address bits.
    expect(l1cdLeaf(0xff00_0000_4001_0001n, 10)).toBe(0x4001_0000n);
  });

  it('2^(S1CDMax − leafBits) L1CDs, at least one; an SSID picks L1CD[ssid >> leafBits]', () => {
    expect(l1cdCount(20, 10)).toBe(1024);
    expect(l1cdCount(8, 10)).toBe(1);
    expect(l1cdIndex(0x1_2345, 20, 10)).toBe(0x48);
    expect(l1cdIndex(0x3f, 6, 6)).toBe(0);
  });

  it('TG0 0b11 and TG1 0b00 (reserved) read as 4 KB; the others as encoded', () => {
    expect([0, 1, 2, 3].map(tg0Granule)).toEqual([12, 16, 14, 12]);
    expect([0, 1, 2, 3].map(tg1Granule)).toEqual([12, 14, 12, 16]);
  });
});
