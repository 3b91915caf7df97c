// CD, L1STD and L1CD field positions (smmuv3.md §3.2, §1.3, §3.1; SPEC 5.4, 5.1, 5.3), the TGx
// granule encodings and the PA-size encoding.
import { describe, expect, it } from 'vitest';
import { getField, setField, type FieldTable } from './bits.ts';
import {
  CD,
  CD_BYTES,
  CD_DWORDS,
  L1CD,
  L1STD,
  PA_SIZE_BITS,
  paSizeBits,
  paSizeEncoding,
  tg0Shift,
  tg1Shift,
  viewCd,
} from './cd.ts';

type Pos = readonly [dw: number, hi: number, lo: number];
const U64 = (1n << 64n) - 1n;
const mask = (hi: number, lo: number): bigint => ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);

function checkField(table: FieldTable, name: string, dwords: number, [dw, hi, lo]: Pos): void {
  const fd = table[name]!;
  const words = new Array<bigint>(dwords).fill(0n);
  setField(words, fd, U64);
  const expected = new Array<bigint>(dwords).fill(0n);
  expected[dw] = mask(hi, lo);
  expect(words).toEqual(expected);
  expect(getField(words, fd)).toBe(mask(hi, lo) >> BigInt(lo));
}

function overlapping(table: FieldTable): string[] {
  const out: string[] = [];
  const e = Object.entries(table);
  for (let i = 0; i < e.length; i++)
    for (let j = i + 1; j < e.length; j++) {
      const [a, fa] = e[i]!;
      const [b, fb] = e[j]!;
      if (fa.dw === fb.dw && (mask(fa.hi, fa.lo) & mask(fb.hi, fb.lo)) !== 0n)
        out.push(`${a}/${b}`);
    }
  return out;
}

const rows = (ref: Record<string, Pos>) => Object.entries(ref).map(([n, p]) => [n, ...p] as const);

// smmuv3.md §3.2. HWU1 (HWU159..HWU162) is not in the reference table; its position comes from
// the spec's CD field text (HWU159 bit [188], HWU160 [189], HWU161/162 [191:190] when D128=0),
// i.e. dw2[63:60], mirroring HWU0 at dw1[63:60].
const CD_REF: Record<string, Pos> = {
  T0SZ: [0, 5, 0],
  TG0: [0, 7, 6],
  IR0: [0, 9, 8],
  OR0: [0, 11, 10],
  SH0: [0, 13, 12],
  EPD0: [0, 14, 14],
  ENDI: [0, 15, 15],
  T1SZ: [0, 21, 16],
  TG1: [0, 23, 22],
  IR1: [0, 25, 24],
  OR1: [0, 27, 26],
  SH1: [0, 29, 28],
  EPD1: [0, 30, 30],
  V: [0, 31, 31],
  IPS: [0, 34, 32],
  AFFD: [0, 35, 35],
  WXN: [0, 36, 36],
  UWXN: [0, 37, 37],
  TBI0: [0, 38, 38],
  TBI1: [0, 39, 39],
  PAN: [0, 40, 40],
  AA64: [0, 41, 41],
  HD: [0, 42, 42],
  HA: [0, 43, 43],
  S: [0, 44, 44],
  R: [0, 45, 45],
  A: [0, 46, 46],
  ASET: [0, 47, 47],
  ASID: [0, 63, 48],
  NSCFG0: [1, 0, 0],
  HAD0: [1, 1, 1],
  E0PD0: [1, 2, 2],
  HAFT: [1, 3, 3],
  TTB0: [1, 51, 4],
  PnCH: [1, 58, 58],
  EPAN: [1, 59, 59],
  HWU0: [1, 63, 60],
  NSCFG1: [2, 0, 0],
  HAD1: [2, 1, 1],
  E0PD1: [2, 2, 2],
  AIE: [2, 3, 3],
  TTB1: [2, 51, 4],
  HWU1: [2, 63, 60],
  MAIR0: [3, 31, 0],
  MAIR1: [3, 63, 32],
  AMAIR0: [4, 31, 0],
  AMAIR1: [4, 63, 32],
};

// smmuv3.md §1.3: Span [4:0], bit 5 RES0, L2Ptr [55:6], [63:56] RES0.
const L1STD_REF: Record<string, Pos> = { Span: [0, 4, 0], L2Ptr: [0, 55, 6] };
// smmuv3.md §3.1: V bit 0, [11:1] RES0, L2Ptr [55:12], [63:56] RES0.
const L1CD_REF: Record<string, Pos> = { V: [0, 0, 0], L2Ptr: [0, 55, 12] };

describe('CD field table (smmuv3.md §3.2)', () => {
  it('is 64 bytes, 8 dwords', () => {
    expect(CD_DWORDS).toBe(8);
    expect(CD_BYTES).toBe(64n);
  });

  it('names exactly the reference fields', () => {
    expect(Object.keys(CD).sort()).toEqual(Object.keys(CD_REF).sort());
  });

  it.each(rows(CD_REF))('CD.%s occupies dw%i[%i:%i]', (name, dw, hi, lo) =>
    checkField(CD, name, 8, [dw, hi, lo]),
  );

  it('has no overlapping fields', () => {
    expect(overlapping(CD)).toEqual([]);
  });
});

describe('L1STD and L1CD (smmuv3.md §1.3, §3.1)', () => {
  it('L1STD names exactly Span and L2Ptr', () => {
    expect(Object.keys(L1STD).sort()).toEqual(Object.keys(L1STD_REF).sort());
  });

  it.each(rows(L1STD_REF))('L1STD.%s occupies dw%i[%i:%i]', (name, dw, hi, lo) =>
    checkField(L1STD, name, 1, [dw, hi, lo]),
  );

  it('L1CD names exactly V and L2Ptr', () => {
    expect(Object.keys(L1CD).sort()).toEqual(Object.keys(L1CD_REF).sort());
  });

  it.each(rows(L1CD_REF))('L1CD.%s occupies dw%i[%i:%i]', (name, dw, hi, lo) =>
    checkField(L1CD, name, 1, [dw, hi, lo]),
  );

  it('neither level-1 descriptor has overlapping fields', () => {
    expect(overlapping(L1STD)).toEqual([]);
    expect(overlapping(L1CD)).toEqual([]);
  });
});

describe('granule encodings (smmuv3.md §3.2)', () => {
  it('TG0: 00 4 KB, 01 64 KB, 10 16 KB, 11 reserved', () => {
    expect([0, 1, 2, 3].map(tg0Shift)).toEqual([12, 16, 14, undefined]);
  });

  it('TG1 uses the different encoding: 00 reserved, 01 16 KB, 10 4 KB, 11 64 KB', () => {
    expect([0, 1, 2, 3].map(tg1Shift)).toEqual([undefined, 14, 12, 16]);
  });
});

describe('PA size encoding (IPS / S2PS / OAS, smmuv3.md §2.1, §10)', () => {
  it('maps 000..111 to 32, 36, 40, 42, 44, 48, 52, 56 bits', () => {
    expect(PA_SIZE_BITS).toEqual([32, 36, 40, 42, 44, 48, 52, 56]);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(paSizeBits)).toEqual([32, 36, 40, 42, 44, 48, 52, 56]);
  });

  it('paSizeBits only looks at the low three bits', () => {
    expect(paSizeBits(0b1101)).toBe(48);
  });

  it('paSizeEncoding inverts it and rejects sizes without an encoding', () => {
    expect(paSizeEncoding(44)).toBe(4);
    expect(paSizeEncoding(48)).toBe(5);
    expect(() => paSizeEncoding(47)).toThrow(/47/);
  });
});

describe('viewCd', () => {
  it('decodes the QEMU qtest CD (smmuv3.md §11.3)', () => {
    const v = viewCd([0x1e20_6204_c000_0010n, 0x4e4d_0001n, 1n, 0n, 0n, 0n, 0n, 0n]);
    expect(v).toMatchObject({
      V: true,
      T0SZ: 16,
      TG0: 0,
      EPD0: false,
      EPD1: true,
      IPS: 4,
      AA64: true,
      R: true,
      A: true,
      S: false,
      ASET: false,
      ASID: 0x1e20,
      TTB0: 0x4e4d_0000n,
      TTB1: 0n,
    });
  });

  it('returns TTB0 as a byte address and MAIR as the whole of dw3', () => {
    // KUnit S1 CD (smmuv3.md §11.2): TTB0 = ttbr & [51:4], dw3 = MAIR.
    const v = viewCd([0x07cd_e201_c000_3684n, 0x000d_beef_dead_bee0n, 0n, 0x0abc_def0_1234_5678n]);
    expect(v.TTB0).toBe(0x000d_beef_dead_bee0n);
    expect(v.MAIR).toBe(0x0abc_def0_1234_5678n);
    expect(v).toMatchObject({ ASID: 1997, T0SZ: 4, TG0: 2, IPS: 1, ASET: true, HA: false });
  });
});
