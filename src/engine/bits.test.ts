// The FIELD_GET / FIELD_PREP layer every structure goes through. Expected values are written out
// with explicit shifts, never computed by the helpers under test.
import { describe, expect, it } from 'vitest';
import {
  allBits,
  bit,
  bitsOf,
  decode,
  encode,
  f,
  fieldWidth,
  getBool,
  getField,
  getNum,
  hex,
  hex64,
  knownBits,
  ones,
  parseU64,
  setField,
  type FieldTable,
} from './bits.ts';

const U64 = 0xffff_ffff_ffff_ffffn;

describe('field descriptors', () => {
  it('f(dw, hi) describes a single bit when lo is omitted', () => {
    expect(f(2, 17)).toEqual({ dw: 2, hi: 17, lo: 17 });
    expect(f(1, 63, 59)).toEqual({ dw: 1, hi: 63, lo: 59 });
  });

  it('ones(n) is a mask of n ones, up to 64', () => {
    expect(ones(0)).toBe(0n);
    expect(ones(1)).toBe(1n);
    expect(ones(5)).toBe(0x1fn);
    expect(ones(52)).toBe(0x000f_ffff_ffff_ffffn);
    expect(ones(64)).toBe(U64);
  });

  it('fieldWidth counts hi..lo inclusive', () => {
    expect(fieldWidth(f(0, 0))).toBe(1);
    expect(fieldWidth(f(0, 55, 6))).toBe(50);
    expect(fieldWidth(f(3, 63, 0))).toBe(64);
  });
});

describe('reading bits of a word', () => {
  it('bitsOf extracts bits hi..lo, right-aligned', () => {
    // 0xf800_f0f0_f0f0_f0eb is the KUnit cdtable STE dw0 (smmuv3.md §11.2).
    const w = 0xf800_f0f0_f0f0_f0ebn;
    expect(bitsOf(w, 63, 59)).toBe(0b11111n);
    expect(bitsOf(w, 3, 1)).toBe(0b101n);
    expect(bitsOf(w, 5, 4)).toBe(0b10n);
    expect(bitsOf(w, 63, 0)).toBe(w);
  });

  it('bit tests a single bit, including bit 63', () => {
    expect(bit(1n << 63n, 63)).toBe(true);
    expect(bit(1n << 63n, 62)).toBe(false);
    expect(bit(0b100n, 2)).toBe(true);
  });

  it('getField reads from the right dword and treats a missing dword as zero', () => {
    const words = [0n, 0xabcdn << 48n];
    expect(getField(words, f(1, 63, 48))).toBe(0xabcdn);
    expect(getField(words, f(0, 63, 48))).toBe(0n);
    expect(getField(words, f(5, 63, 0))).toBe(0n);
  });

  it('getNum and getBool convert the field value', () => {
    const words = [(0x1234n << 12n) | (1n << 11n)];
    expect(getNum(words, f(0, 31, 12))).toBe(0x1234);
    expect(getBool(words, f(0, 11))).toBe(true);
    expect(getBool(words, f(0, 10))).toBe(false);
  });
});

describe('setField', () => {
  it('writes in place, returns the same array and keeps the other bits', () => {
    const words = [U64, 0n];
    const out = setField(words, f(0, 15, 8), 0n);
    expect(out).toBe(words);
    expect(words[0]).toBe(U64 & ~(0xffn << 8n));
    setField(words, f(1, 47, 32), 0xbeefn);
    expect(words[1]).toBe(0xbeefn << 32n);
  });

  it('truncates values wider than the field', () => {
    // Linux masks s1cdmax 0xFF down to the 5-bit S1CDMax field (smmuv3.md §11.2).
    const words = [0n];
    setField(words, f(0, 63, 59), 0xffn);
    expect(words[0]).toBe(0x1fn << 59n);
  });

  it('accepts numbers and booleans', () => {
    const words = [0n];
    setField(words, f(0, 7, 0), 0x46);
    setField(words, f(0, 31), true);
    setField(words, f(0, 30), false);
    expect(words[0]).toBe(0x46n | (1n << 31n));
  });

  it('writes all ones across a full 64-bit word', () => {
    const words = [0n];
    setField(words, f(0, 63, 0), U64);
    expect(words[0]).toBe(U64);
  });

  it('creates a missing dword', () => {
    const words: bigint[] = [];
    setField(words, f(2, 3, 0), 0xa);
    expect(words[2]).toBe(0xan);
  });
});

describe('encode / decode / knownBits', () => {
  const T = { A: f(0, 3, 0), B: f(0, 63, 60), C: f(1, 11) } as const satisfies FieldTable;

  it('encode builds the dwords from named values', () => {
    expect(encode(T, 2, { A: 0x5, B: 0xc, C: true })).toEqual([0x5n | (0xcn << 60n), 1n << 11n]);
    expect(encode(T, 3, {})).toEqual([0n, 0n, 0n]);
  });

  it('encode rejects a field the table does not have', () => {
    expect(() => encode(T, 2, { D: 1 })).toThrow(/unknown field D/);
  });

  it('decode returns every field of the table', () => {
    expect(decode(T, [0xc000_0000_0000_0009n, 0x800n])).toEqual({ A: 9n, B: 0xcn, C: 1n });
  });

  it('knownBits is the union of field masks per dword', () => {
    expect(knownBits(T, 2)).toEqual([0xfn | (0xfn << 60n), 1n << 11n]);
  });
});

describe('rendering and parsing', () => {
  it('hex64 pads to 16 digits and wraps negatives to 64 bits', () => {
    expect(hex64(0x7fff_dead_b000n)).toBe('0x00007fffdeadb000');
    expect(hex64(-1n)).toBe('0xffffffffffffffff');
  });

  it('hex is the shortest form', () => {
    expect(hex(0)).toBe('0x0');
    expect(hex(0x1e20)).toBe('0x1e20');
    expect(hex(0x4e4d_0000n)).toBe('0x4e4d0000');
  });

  it('parseU64 accepts hex, binary and decimal with underscores', () => {
    expect(parseU64('0x7fff_dead_b000')).toBe(0x7fff_dead_b000n);
    expect(parseU64(' 0X1F ')).toBe(0x1fn);
    expect(parseU64('0b1_0101')).toBe(21n);
    expect(parseU64('1_000')).toBe(1000n);
    expect(parseU64('0xffffffffffffffff')).toBe(U64);
  });

  it('parseU64 rejects garbage, negatives and values above 64 bits', () => {
    expect(parseU64('0x1_0000_0000_0000_0000')).toBeUndefined();
    expect(parseU64('-1')).toBeUndefined();
    expect(parseU64('0xg')).toBeUndefined();
    expect(parseU64('')).toBeUndefined();
    expect(parseU64('12abc')).toBeUndefined();
  });
});

describe('allBits (sign/zero-extension checks)', () => {
  it('is true when every bit of the range equals the value', () => {
    // TTB0 selection: VA[63:48] all zero; TTB1: all ones (smmuv3.md §4.6).
    expect(allBits(0x0000_7fff_dead_b000n, 63, 48, 0)).toBe(true);
    expect(allBits(0xffff_8000_0000_0000n, 63, 48, 1)).toBe(true);
    expect(allBits(0x0001_0000_0000_0000n, 63, 48, 0)).toBe(false);
    expect(allBits(0xfffe_8000_0000_0000n, 63, 48, 1)).toBe(false);
  });

  it('is vacuously true for an empty range', () => {
    expect(allBits(U64, 47, 48, 0)).toBe(true);
  });
});
