// STE field positions, transcribed from smmuv3.md §2.1 (SPEC 5.2, cross-checked with Linux
// STRTAB_STE_* and QEMU STE_*), and the STE constants of §2.2/§2.3.
import { describe, expect, it } from 'vitest';
import { getField, knownBits, setField, type FieldTable } from './bits.ts';
import {
  EATS,
  S1DSS,
  S1FMT,
  STE,
  STE_BYTES,
  STE_CONFIG,
  STE_DWORDS,
  STRW,
  configMeaning,
  s1Enabled,
  s2Enabled,
  viewSte,
} from './ste.ts';

type Pos = readonly [dw: number, hi: number, lo: number];
const U64 = (1n << 64n) - 1n;
const mask = (hi: number, lo: number): bigint => ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);

/** Every field set to all ones lands exactly on its reference bits, and reads back. */
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

// smmuv3.md §2.1, column "bits (in dw)". S2HWU59..62 is one 4-bit row there ([11:8]); the engine
// names each bit. RES0/IMPDEF ranges the engine does not model: dw0[58:56], dw1[43:41],
// dw2[31:16]; dwords 4–7 (Secure stage 2, VMS…) are out of scope.
const REF: Record<string, Pos> = {
  V: [0, 0, 0],
  Config: [0, 3, 1],
  S1Fmt: [0, 5, 4],
  S1ContextPtr: [0, 55, 6],
  S1CDMax: [0, 63, 59],
  S1DSS: [1, 1, 0],
  S1CIR: [1, 3, 2],
  S1COR: [1, 5, 4],
  S1CSH: [1, 7, 6],
  S2HWU59: [1, 8, 8],
  S2HWU60: [1, 9, 9],
  S2HWU61: [1, 10, 10],
  S2HWU62: [1, 11, 11],
  DRE: [1, 12, 12],
  CONT: [1, 16, 13],
  DCP: [1, 17, 17],
  PPAR: [1, 18, 18],
  MEV: [1, 19, 19],
  SW_RESERVED: [1, 23, 20],
  S1PIE: [1, 24, 24],
  S2FWB: [1, 25, 25],
  S1MPAM: [1, 26, 26],
  S1STALLD: [1, 27, 27],
  EATS: [1, 29, 28],
  STRW: [1, 31, 30],
  MemAttr: [1, 35, 32],
  MTCFG: [1, 36, 36],
  ALLOCCFG: [1, 40, 37],
  SHCFG: [1, 45, 44],
  NSCFG: [1, 47, 46],
  PRIVCFG: [1, 49, 48],
  INSTCFG: [1, 51, 50],
  IMPDEF: [1, 63, 52],
  S2VMID: [2, 15, 0],
  S2T0SZ: [2, 37, 32],
  S2SL0: [2, 39, 38],
  S2IR0: [2, 41, 40],
  S2OR0: [2, 43, 42],
  S2SH0: [2, 45, 44],
  S2TG: [2, 47, 46],
  S2PS: [2, 50, 48],
  S2AA64: [2, 51, 51],
  S2ENDI: [2, 52, 52],
  S2AFFD: [2, 53, 53],
  S2PTW: [2, 54, 54],
  S2HD: [2, 55, 55],
  S2HA: [2, 56, 56],
  S2S: [2, 57, 57],
  S2R: [2, 58, 58],
  S2HAFT: [2, 59, 59],
  S2PIE: [2, 60, 60],
  S2POE: [2, 61, 61],
  DPT_VMATCH: [2, 63, 62],
  S2NSW: [3, 0, 0],
  S2NSA: [3, 1, 1],
  S2SL0_2: [3, 2, 2],
  S2DS: [3, 3, 3],
  S2TTB: [3, 51, 4],
};

describe('STE field table (smmuv3.md §2.1)', () => {
  it('is 64 bytes, 8 dwords', () => {
    expect(STE_DWORDS).toBe(8);
    expect(STE_BYTES).toBe(64n);
  });

  it('names exactly the reference fields', () => {
    expect(Object.keys(STE).sort()).toEqual(Object.keys(REF).sort());
  });

  it.each(Object.entries(REF).map(([n, p]) => [n, ...p] as const))(
    'STE.%s occupies dw%i[%i:%i]',
    (name, dw, hi, lo) => checkField(STE, name, 8, [dw, hi, lo]),
  );

  it('has no overlapping fields', () => {
    expect(overlapping(STE)).toEqual([]);
  });

  it('leaves the RES0 ranges dw0[58:56], dw1[43:41] and dw2[31:16] undescribed', () => {
    const known = knownBits(STE, 8);
    expect(known[0]! & mask(58, 56)).toBe(0n);
    expect(known[1]! & mask(43, 41)).toBe(0n);
    expect(known[2]! & mask(31, 16)).toBe(0n);
  });

  it('puts S2HD/S2HA/S2S/S2R at absolute bits 183..186 (not QEMU-pre-2023 184..187)', () => {
    // smmuv3.md §11.6: abs = 64*dw + bit.
    const abs = (n: keyof typeof STE): number => 64 * STE[n].dw + STE[n].lo;
    expect([abs('S2HD'), abs('S2HA'), abs('S2S'), abs('S2R')]).toEqual([183, 184, 185, 186]);
  });
});

describe('STE constants (smmuv3.md §2.2, §2.3)', () => {
  it('Config values match Linux STRTAB_STE_0_CFG_*', () => {
    expect(STE_CONFIG).toEqual({ ABORT: 0, BYPASS: 4, S1_TRANS: 5, S2_TRANS: 6, NESTED: 7 });
  });

  it('S1DSS, S1Fmt, EATS and STRW encodings', () => {
    expect(S1DSS).toEqual({ TERMINATE: 0, BYPASS: 1, SSID0: 2 });
    expect(S1FMT).toEqual({ LINEAR: 0, L2_4K: 1, L2_64K: 2 });
    expect(EATS).toEqual({ ABT: 0, TRANS: 1, S1CHK: 2, DPT: 3 });
    expect(STRW).toEqual({ NSEL1: 0, EL2: 2 });
  });

  it('stage 1 is enabled for Config 0b1x1 and stage 2 for 0b11x only', () => {
    const cfgs = [0, 1, 2, 3, 4, 5, 6, 7];
    expect(cfgs.filter(s1Enabled)).toEqual([5, 7]);
    expect(cfgs.filter(s2Enabled)).toEqual([6, 7]);
  });

  it('reserved Config values 1..3 read as abort', () => {
    for (const c of [1, 2, 3]) expect(configMeaning(c)).toMatch(/^reserved: behaves as abort/);
    expect(configMeaning(0)).toMatch(/^abort/);
    expect(configMeaning(7)).toMatch(/^nested/);
  });
});

describe('viewSte', () => {
  it('decodes the QEMU qtest S1-only STE (smmuv3.md §11.3) with byte addresses', () => {
    const w = [0x0000_0000_4e17_8fcbn, 0n, 0x000d_0094_0000_0000n, 0x0000_0000_4e4d_0000n];
    const v = viewSte([...w, 0n, 0n, 0n, 0n]);
    expect(v).toMatchObject({
      V: true,
      Config: 5,
      S1Fmt: 0,
      S1ContextPtr: 0x4e17_8fc0n,
      S1CDMax: 0,
      S2T0SZ: 20,
      S2SL0: 2,
      S2TG: 0,
      S2PS: 5,
      S2AA64: true,
      S2TTB: 0x4e4d_0000n,
    });
  });

  it('decodes the KUnit cdtable STE: S1CDMax 31, S1Fmt 64K leaves, S1DSS SSID0, EATS 01', () => {
    const v = viewSte([0xf800_f0f0_f0f0_f0ebn, 0x1800_00d6n, 0n, 0n, 0n, 0n, 0n, 0n]);
    expect(v).toMatchObject({
      V: true,
      Config: 5,
      S1Fmt: 2,
      S1CDMax: 31,
      S1ContextPtr: 0xf0f0_f0f0_f0c0n,
      S1DSS: 2,
      S1STALLD: true,
      EATS: 1,
      STRW: 0,
    });
  });
});
