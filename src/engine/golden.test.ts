// Golden vectors of smmuv3.md §11: structures built from named field values with the engine's
// field tables must equal the literal dwords upstream tests (Linux KUnit, QEMU qtest, io-pgtable)
// or the reference's worked examples expect.
import { describe, expect, it } from 'vitest';
import { encode } from './bits.ts';
import { CD, L1CD, L1STD } from './cd.ts';
import { S1_LEAF, S1_TABLE, S2_LEAF } from './descriptor.ts';
import { encodePageRequest } from './priq.ts';
import { STE } from './ste.ts';
import { bringUp, makeSmmu } from './testkit.ts';
import { translate } from './translate.ts';

/** Pads the listed dwords with zeros to a 64-byte structure. */
const dw8 = (...w: bigint[]): bigint[] => [...w, ...new Array<bigint>(8 - w.length).fill(0n)];

// §11.2: KUnit test SMMU has STALLS | ATTR_TYPES_OVR; ATS enabled.
const CDTAB = { V: 1, Config: 5, S1Fmt: 2, S1CDMax: 0xff, S1CIR: 1, S1COR: 1, S1CSH: 3 };
const CDTAB_DW1 = { S1STALLD: 1, EATS: 1 };
const TTBR = 0xdaed_beef_dead_beefn;
const KUNIT_CD = { T0SZ: 4, TG0: 2, IR0: 2, OR0: 1, SH0: 3, EPD1: 1, V: 1, IPS: 1, AA64: 1 };
const KUNIT_CD2 = { R: 1, A: 1, ASET: 1, TTB0: TTBR >> 4n, MAIR0: 0x1234_5678, MAIR1: 0x0abc_def0 };

describe('§11.2 Linux KUnit STE and CD values', () => {
  it('abort STE: V, Config=0', () => {
    expect(encode(STE, 8, { V: 1, Config: 0 })).toEqual(dw8(0x1n));
  });

  it('bypass STE: V, Config=4, SHCFG=01 (incoming)', () => {
    expect(encode(STE, 8, { V: 1, Config: 4, SHCFG: 1 })).toEqual(
      dw8(0x9n, 0x0000_1000_0000_0000n),
    );
  });

  it('cdtable STE, S1DSS=SSID0 (s1cdmax 0xFF masked to 31)', () => {
    const ste = { ...CDTAB, ...CDTAB_DW1, S1ContextPtr: 0xf0f0_f0f0_f0f0n >> 6n, S1DSS: 2 };
    expect(encode(STE, 8, ste)).toEqual(dw8(0xf800_f0f0_f0f0_f0ebn, 0x0000_0000_1800_00d6n));
  });

  it('cdtable STE, S1DSS=BYPASS adds SHCFG=01', () => {
    const ste = { ...CDTAB, ...CDTAB_DW1, S1ContextPtr: 0xf0f0_f0f0_f0f0n >> 6n };
    expect(encode(STE, 8, { ...ste, S1DSS: 1, SHCFG: 1 })).toEqual(
      dw8(0xf800_f0f0_f0f0_f0ebn, 0x0000_1000_1800_00d5n),
    );
  });

  it('"non-hitless" ste_2 with CD table pointer 0x4B4B4B4B4B, S1DSS=BYPASS', () => {
    const ste = { ...CDTAB, ...CDTAB_DW1, S1ContextPtr: 0x4b_4b4b_4b4bn >> 6n };
    expect(encode(STE, 8, { ...ste, S1DSS: 1, SHCFG: 1 })).toEqual(
      dw8(0xf800_004b_4b4b_4b6bn, 0x0000_1000_1800_00d5n),
    );
  });

  it('S2 STE: vttbr 0xdaedbeefdeadbeef, ps1 tg2 sh3 orgn1 irgn2 sl3 tsz4, VMID 0', () => {
    const vtcr = { S2T0SZ: 4, S2SL0: 3, S2IR0: 2, S2OR0: 1, S2SH0: 3, S2TG: 2, S2PS: 1 };
    const s2 = { ...vtcr, S2AA64: 1, S2PTW: 1, S2R: 1, S2VMID: 0, S2TTB: TTBR >> 4n };
    expect(encode(STE, 8, { V: 1, Config: 6, EATS: 1, SHCFG: 1, ...s2 })).toEqual(
      dw8(0xdn, 0x0000_1000_1000_0000n, 0x0449_b6c4_0000_0000n, 0x000d_beef_dead_bee0n),
    );
  });

  it.each([
    [1997, 0x07cd_e201_c000_3684n],
    [778, 0x030a_e201_c000_3684n],
  ])('S1 CD with ASID %i', (asid, dw0) => {
    expect(encode(CD, 8, { ...KUNIT_CD, ...KUNIT_CD2, ASID: asid })).toEqual(
      dw8(dw0, 0x000d_beef_dead_bee0n, 0n, 0x0abc_def0_1234_5678n),
    );
  });
});

// The qtest's translations themselves (stage 1, stage 2, nested) are in golden-qtest.test.ts.
describe('§11.3 QEMU qtest structures', () => {
  it('S1-only STE: V, Config 5, S1ContextPtr 0x4E178FC0, stage-2 fields present', () => {
    const s2 = { S2T0SZ: 20, S2SL0: 2, S2TG: 0, S2PS: 5, S2AA64: 1, S2TTB: 0x4e4d_0000n >> 4n };
    expect(encode(STE, 8, { V: 1, Config: 5, S1ContextPtr: 0x4e17_8fc0n >> 6n, ...s2 })).toEqual(
      dw8(0x0000_0000_4e17_8fcbn, 0n, 0x000d_0094_0000_0000n, 0x0000_0000_4e4d_0000n),
    );
  });

  it('CD: T0SZ 16, 4 KB, EPD1, V, IPS 44-bit, AA64, R, A, ASID 0x1E20, NSCFG0/1', () => {
    const tcr = { T0SZ: 16, TG0: 0, EPD1: 1, V: 1, IPS: 4, AA64: 1, R: 1, A: 1, ASET: 0 };
    const rest = { ASID: 0x1e20, NSCFG0: 1, TTB0: 0x4e4d_0000n >> 4n, NSCFG1: 1 };
    expect(encode(CD, 8, { ...tcr, ...rest })).toEqual(
      dw8(0x1e20_6204_c000_0010n, 0x0000_0000_4e4d_0001n, 0x1n),
    );
  });

  it.each([
    [0x4e4d_1000n, 0x8000_0000_4e4d_1003n],
    [0x4e4d_2000n, 0x8000_0000_4e4d_2003n],
    [0x4e4d_3000n, 0x8000_0000_4e4d_3003n],
  ])('stage-1 table descriptor to %#x with NSTable', (next, want) => {
    const d = { Valid: 1, Type: 1, NextLevelTable: next >> 12n, NSTable: 1 };
    expect(encode(S1_TABLE, 1, d)).toEqual([want]);
  });

  it('stage-1 leaf: AP=01, SH=IS, AF, NS, software bit 58 → PA 0x4ECBA000', () => {
    const d = { Valid: 1, Type: 1, NS: 1, AP: 1, SH: 3, AF: 1, SW: 0b1000 };
    expect(encode(S1_LEAF, 1, { ...d, OutputAddress: 0x4ecb_an })).toEqual([
      0x0400_0000_4ecb_a763n,
    ]);
  });

  it('stage-2 leaf mask 0x7E3: S2AP=11, MemAttr=0b1000, SH=IS, AF', () => {
    const d = { Valid: 1, Type: 1, MemAttr: 0b1000, S2AP: 3, SH: 3, AF: 1 };
    expect(encode(S2_LEAF, 1, { ...d, OutputAddress: 0x4ecb_an })).toEqual([0x4ecb_a7e3n]);
  });
});

describe('§11.1 io-pgtable PTE values for PA 0x8000_0000', () => {
  // arm_lpae_prot_to_pte: nG, AP[1] unprivileged, AttrIndx 1 (cacheable), SH=IS, AF, page.
  const RW = { Valid: 1, Type: 1, AttrIndx: 1, AP: 1, SH: 3, AF: 1, nG: 1 };
  const PA = 0x8000_0000n >> 12n;

  it.each([
    ['4 KB page, R/W, cacheable', { ...RW }, 0x0000_0000_8000_0f47n],
    ['+ NOEXEC (PXN and UXN)', { ...RW, PXN: 1, UXN: 1 }, 0x0060_0000_8000_0f47n],
    ['read-only (AP=11)', { ...RW, AP: 3 }, 0x0000_0000_8000_0fc7n],
    ['writable with the HD quirk (DBM)', { ...RW, DBM: 1 }, 0x0008_0000_8000_0f47n],
  ] as const)('stage 1: %s', (_t, fields, want) => {
    expect(encode(S1_LEAF, 1, { ...fields, OutputAddress: PA })).toEqual([want]);
  });

  it('stage 1: 2 MB block at 0x4020_0000 (bits[1:0] = 01)', () => {
    expect(encode(S1_LEAF, 1, { ...RW, Type: 0, OutputAddress: 0x4020_0000n >> 12n })).toEqual([
      0x0000_0000_4020_0f45n,
    ]);
  });

  it('stage 2: page R/W cacheable (S2AP=11, MemAttr=0xF), and + XN', () => {
    const d = { Valid: 1, Type: 1, MemAttr: 0xf, S2AP: 3, SH: 3, AF: 1, OutputAddress: PA };
    expect(encode(S2_LEAF, 1, d)).toEqual([0x0000_0000_8000_07ffn]);
    expect(encode(S2_LEAF, 1, { ...d, XN: 3 })).toEqual([0x0060_0000_8000_07ffn]);
  });

  it('table descriptor to 0x8000_3000', () => {
    const d = { Valid: 1, Type: 1, NextLevelTable: 0x8000_3000n >> 12n };
    expect(encode(S1_TABLE, 1, d)).toEqual([0x0000_0000_8000_3003n]);
  });
});

describe('§11.4 worked examples', () => {
  it('E8: stage-1 STE with a 2-level CD table (64 KB leaves, S1CDMax 20)', () => {
    const dw0 = { V: 1, Config: 5, S1Fmt: 2, S1ContextPtr: 0x8123_4000n >> 6n, S1CDMax: 20 };
    const dw1 = { S1DSS: 2, S1CIR: 1, S1COR: 1, S1CSH: 3 };
    expect(encode(STE, 8, { ...dw0, ...dw1 })).toEqual(dw8(0xa000_0000_8123_402bn, 0xd6n));
    expect(encode(STE, 8, { ...dw1, S1STALLD: 1 })[1]).toBe(0x0000_0000_0800_00d6n);
    expect(encode(STE, 8, { ...dw1, S1STALLD: 1, EATS: 1 })[1]).toBe(0x0000_0000_1800_00d6n);
  });

  it('E9: CD with ASID 0x0042 and TTB0 0x8800_0000, Linux MAIR; SVA ASID 0x1234', () => {
    const tcr = { T0SZ: 16, TG0: 0, IR0: 1, OR0: 1, SH0: 3, EPD1: 1, V: 1, IPS: 5 };
    const cd = { ...tcr, AA64: 1, R: 1, A: 1, ASET: 1, TTB0: 0x8800_0000n >> 4n };
    expect(encode(CD, 8, { ...cd, ASID: 0x42, MAIR0: 0xf404_ff44 })).toEqual(
      dw8(0x0042_e205_c000_3510n, 0x0000_0000_8800_0000n, 0n, 0x0000_0000_f404_ff44n),
    );
    expect(encode(CD, 8, { ...cd, ASID: 0x1234 })[0]).toBe(0x1234_e205_c000_3510n);
  });

  it('E12: L1STD for an L2 array at 0x8001_0000 with Span 9', () => {
    expect(encode(L1STD, 1, { Span: 9, L2Ptr: 0x8001_0000n >> 6n })).toEqual([0x8001_0009n]);
  });

  it('E12: 2-level, SPLIT 8: SID 0x0305 reads L1STD at base+0x18 and STE at L2Ptr+0x140', () => {
    const base = 0x5000_0000n;
    const s = bringUp(makeSmmu(), { strtab: base, log2size: 16, fmt: '2level', split: 8 });
    s.mem.write64(base + 0x18n, 0x8001_0009n);
    s.mem.writeWords(0x8001_0140n, dw8(0x1n)); // abort STE: no event
    const t = translate(s, { sid: 0x305, addr: 0x1000n, access: 'r', priv: false });
    const reads = t.steps.filter((x) => x.kind === 'l1std' || x.kind === 'ste');
    expect(reads.map((x) => [x.kind, x.pa])).toEqual([
      ['l1std', base + 0x18n],
      ['ste', 0x8001_0140n],
    ]);
  });

  it('E12: linear stream table: SID s at base + 64·s', () => {
    const s = bringUp(makeSmmu(), { strtab: 0x5000_0000n, log2size: 4, fmt: 'linear' });
    s.mem.writeWords(0x5000_00c0n, dw8(0x1n));
    const t = translate(s, { sid: 3, addr: 0x1000n, access: 'r', priv: false });
    expect(t.steps.filter((x) => x.kind === 'ste').map((x) => x.pa)).toEqual([0x5000_00c0n]);
  });

  it('E13: L1CD for an L2 CD table at 0x8002_0000', () => {
    expect(encode(L1CD, 1, { V: 1, L2Ptr: 0x8002_0000n >> 12n })).toEqual([0x8002_0001n]);
  });

  it.each([
    [2, 0x20n, 0x8d00n],
    [1, 0x240n, 0xd00n],
  ])(
    'E13: S1Fmt=%i, SSID 0x1234 reads the L1CD at L1+%#x and the CD at L2Ptr+%#x',
    (fmt, l1Off, cdOff) => {
      const l1 = 0x5010_0000n;
      const l2 = 0x5020_0000n;
      const s = bringUp(makeSmmu(), { strtab: 0x5000_0000n, log2size: 4, fmt: 'linear' });
      const ste = { V: 1, Config: 5, S1Fmt: fmt, S1CDMax: 20, S1ContextPtr: l1 >> 6n };
      s.mem.writeWords(0x5000_0040n, encode(STE, 8, ste));
      s.mem.write64(l1 + l1Off, encode(L1CD, 1, { V: 1, L2Ptr: l2 >> 12n })[0]!);
      const t = translate(s, { sid: 1, ssid: 0x1234, addr: 0x1000n, access: 'r', priv: false });
      const reads = t.steps.filter((x) => x.kind === 'l1cd' || x.kind === 'cd');
      expect(reads.map((x) => [x.kind, x.pa])).toEqual([
        ['l1cd', l1 + l1Off],
        ['cd', l2 + cdOff],
      ]);
    },
  );

  it('E15: PRI record for SID 0x100, PASID 5, R+W, Last, PRG 0x1F', () => {
    const r = { sid: 0x100, ssv: true, ssid: 5, priv: false, exec: false, read: true };
    const raw = encodePageRequest({
      ...r,
      write: true,
      last: true,
      prgIndex: 0x1f,
      addr: 0x7fff_dead_b000n,
    });
    expect(raw).toEqual([0xf000_0005_0000_0100n, 0x0000_7fff_dead_b01fn]);
  });
});
