// VMSAv8-64 translation table descriptors (smmuv3.md §4.2; Arm ARM D8.3; Linux io-pgtable-arm
// ARM_LPAE_PTE_*). 4 KB granule: the table/output address field is [47:12].
import { describe, expect, it } from 'vitest';
import { getField, setField, type FieldTable } from './bits.ts';
import {
  AF,
  AP1_EL0,
  AP2_RDONLY,
  AP_TABLE_NO_EL0,
  AP_TABLE_RDONLY,
  DBM,
  DESC_TABLE_OR_PAGE,
  DESC_VALID,
  NG,
  OA_MASK_48,
  PXN,
  PXN_TABLE,
  S1_LEAF,
  S1_TABLE,
  S2AP_READ,
  S2AP_WRITE,
  S2_LEAF,
  S2_TABLE,
  UXN,
  UXN_TABLE,
} from './descriptor.ts';

type Pos = readonly [dw: number, hi: number, lo: number];
const U64 = (1n << 64n) - 1n;
const mask = (hi: number, lo: number): bigint => ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);

function checkField(table: FieldTable, name: string, [dw, hi, lo]: Pos): void {
  const fd = table[name]!;
  const words = [0n];
  setField(words, fd, U64);
  expect(fd.dw).toBe(dw);
  expect(words).toEqual([mask(hi, lo)]);
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

// Descriptors are single words: rows are [name, hi, lo].
const rows = (ref: Record<string, Pos>) =>
  Object.entries(ref).map(([n, [, hi, lo]]) => [n, hi, lo] as const);

// smmuv3.md §4.2 "Table descriptor (stage 1)"; bits[1:0] = 0b11.
const S1_TABLE_REF: Record<string, Pos> = {
  Valid: [0, 0, 0],
  Type: [0, 1, 1],
  NextLevelTable: [0, 47, 12],
  PXNTable: [0, 59, 59],
  UXNTable: [0, 60, 60],
  APTable: [0, 62, 61],
  NSTable: [0, 63, 63],
};

// smmuv3.md §4.2 "Block/page descriptor (stage 1)".
const S1_LEAF_REF: Record<string, Pos> = {
  Valid: [0, 0, 0],
  Type: [0, 1, 1],
  AttrIndx: [0, 4, 2],
  NS: [0, 5, 5],
  AP: [0, 7, 6],
  SH: [0, 9, 8],
  AF: [0, 10, 10],
  nG: [0, 11, 11],
  OutputAddress: [0, 47, 12],
  GP: [0, 50, 50],
  DBM: [0, 51, 51],
  Contiguous: [0, 52, 52],
  PXN: [0, 53, 53],
  UXN: [0, 54, 54],
  SW: [0, 58, 55],
  PBHA: [0, 62, 59],
};

// smmuv3.md §4.2 "Stage-2 block/page". The reference lists the software bits 58:55 only for the
// stage-1 leaf; VMSAv8-64 reserves the same bits for software in stage-2 leaves.
const S2_LEAF_REF: Record<string, Pos> = {
  Valid: [0, 0, 0],
  Type: [0, 1, 1],
  MemAttr: [0, 5, 2],
  S2AP: [0, 7, 6],
  SH: [0, 9, 8],
  AF: [0, 10, 10],
  OutputAddress: [0, 47, 12],
  DBM: [0, 51, 51],
  Contiguous: [0, 52, 52],
  XN: [0, 54, 53],
  SW: [0, 58, 55],
};

const S2_TABLE_REF: Record<string, Pos> = {
  Valid: [0, 0, 0],
  Type: [0, 1, 1],
  NextLevelTable: [0, 47, 12],
};

const TABLES: readonly [string, FieldTable, Record<string, Pos>][] = [
  ['S1_TABLE', S1_TABLE, S1_TABLE_REF],
  ['S1_LEAF', S1_LEAF, S1_LEAF_REF],
  ['S2_LEAF', S2_LEAF, S2_LEAF_REF],
  ['S2_TABLE', S2_TABLE, S2_TABLE_REF],
];

describe.each(TABLES)('%s field table (smmuv3.md §4.2)', (label, table, ref) => {
  it('names exactly the reference fields', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(ref).sort());
  });

  it.each(rows(ref))(`${label}.%s occupies bits [%i:%i]`, (name, hi, lo) =>
    checkField(table, name, [0, hi, lo]),
  );

  it('has no overlapping fields', () => {
    expect(overlapping(table)).toEqual([]);
  });
});

describe('raw descriptor bits used on the walk hot path', () => {
  it('valid and table/page are bits 0 and 1', () => {
    expect(DESC_VALID).toBe(0x1n);
    expect(DESC_TABLE_OR_PAGE).toBe(0x2n);
  });

  it('AP[1] (EL0) is bit 6 and AP[2] (read-only) is bit 7; S2AP read/write likewise', () => {
    expect(AP1_EL0).toBe(0x40n);
    expect(AP2_RDONLY).toBe(0x80n);
    expect(S2AP_READ).toBe(0x40n);
    expect(S2AP_WRITE).toBe(0x80n);
  });

  it('AF is bit 10, nG bit 11, DBM bit 51', () => {
    expect(AF).toBe(0x400n);
    expect(NG).toBe(0x800n);
    expect(DBM).toBe(0x0008_0000_0000_0000n);
  });

  it('PXN is bit 53 and UXN/XN[1] bit 54 (Linux ARM_LPAE_PTE_XN = 3 << 53)', () => {
    expect(PXN | UXN).toBe(0x0060_0000_0000_0000n);
  });

  it('PXNTable 59, UXNTable 60, APTable[0] 61 (no EL0), APTable[1] 62 (read-only)', () => {
    expect(PXN_TABLE).toBe(0x0800_0000_0000_0000n);
    expect(UXN_TABLE).toBe(0x1000_0000_0000_0000n);
    expect(AP_TABLE_NO_EL0).toBe(0x2000_0000_0000_0000n);
    expect(AP_TABLE_RDONLY).toBe(0x4000_0000_0000_0000n);
  });

  it('OA_MASK_48 covers output address bits [47:12]', () => {
    expect(OA_MASK_48).toBe(0x0000_ffff_ffff_f000n);
  });

  it('each raw constant is the bit its named field describes', () => {
    const one = (fd: { lo: number }): bigint => 1n << BigInt(fd.lo);
    expect(one(S1_LEAF.AF)).toBe(AF);
    expect(one(S1_LEAF.nG)).toBe(NG);
    expect(one(S1_LEAF.DBM)).toBe(DBM);
    expect(one(S1_LEAF.PXN)).toBe(PXN);
    expect(one(S1_LEAF.UXN)).toBe(UXN);
    expect(one(S1_TABLE.PXNTable)).toBe(PXN_TABLE);
    expect(one(S1_TABLE.UXNTable)).toBe(UXN_TABLE);
  });
});
