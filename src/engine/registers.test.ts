// Programming-interface registers (smmuv3.md §1.1, §6.3, §10; spec-facts Q1, Q7) and the ID
// registers a platform description implies (platform.ts idRegisters).
import { describe, expect, it } from 'vitest';
import { getField, setField } from './bits.ts';
import { DEFAULT_SMMU, idRegisters } from './platform.ts';
import {
  CERROR,
  CERROR_NAMES,
  REG_FIELDS,
  REG_NAMES,
  REG_OFFSET,
  WRITABLE_REGS,
  regField,
  regName,
  type RegName,
} from './registers.ts';

type Bits = readonly [hi: number, lo: number];
const U64 = (1n << 64n) - 1n;
const mask = (hi: number, lo: number): bigint => ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);
const b = (n: number): bigint => 1n << BigInt(n);

const CR0: Record<string, Bits> = {
  SMMUEN: [0, 0],
  PRIQEN: [1, 1],
  EVENTQEN: [2, 2],
  CMDQEN: [3, 3],
  ATSCHK: [4, 4],
};
// GERROR/GERRORN: smmuv3.md §10 gives MSI_*_ABT as [7:4]; the per-bit order is Linux's
// GERROR_MSI_{CMDQ,EVTQ,PRIQ,GERROR}_ABT_ERR = bits 4, 5, 6, 7.
const GERROR: Record<string, Bits> = {
  CMDQ_ERR: [0, 0],
  EVENTQ_ABT_ERR: [2, 2],
  PRIQ_ABT_ERR: [3, 3],
  MSI_CMDQ_ABT_ERR: [4, 4],
  MSI_EVENTQ_ABT_ERR: [5, 5],
  MSI_PRIQ_ABT_ERR: [6, 6],
  MSI_GERROR_ABT_ERR: [7, 7],
  SFM_ERR: [8, 8],
};
const QBASE = (hint: 'RA' | 'WA'): Record<string, Bits> => ({
  LOG2SIZE: [4, 0],
  ADDR: [55, 5],
  [hint]: [62, 62],
});
const PROD: Record<string, Bits> = { WR: [19, 0], OVFLG: [31, 31] };
const CONS: Record<string, Bits> = { RD: [19, 0], OVACKFLG: [31, 31] };

// Bit positions per register (all single-word). IDR0 RME_IMPL [30] and most IDR3 bits are not
// modelled.
const REF: Record<RegName, Record<string, Bits>> = {
  IDR0: {
    S2P: [0, 0],
    S1P: [1, 1],
    TTF: [3, 2],
    COHACC: [4, 4],
    BTM: [5, 5],
    HTTU: [7, 6],
    DORMHINT: [8, 8],
    HYP: [9, 9],
    ATS: [10, 10],
    NS1ATS: [11, 11],
    ASID16: [12, 12],
    MSI: [13, 13],
    SEV: [14, 14],
    ATOS: [15, 15],
    PRI: [16, 16],
    VMW: [17, 17],
    VMID16: [18, 18],
    CD2L: [19, 19],
    VATOS: [20, 20],
    TTENDIAN: [22, 21],
    ATSRECERR: [23, 23],
    STALL_MODEL: [25, 24],
    TERM_MODEL: [26, 26],
    ST_LEVEL: [28, 27],
  },
  IDR1: {
    SIDSIZE: [5, 0],
    SSIDSIZE: [10, 6],
    PRIQS: [15, 11],
    EVENTQS: [20, 16],
    CMDQS: [25, 21],
    ATTR_PERMS_OVR: [26, 26],
    ATTR_TYPES_OVR: [27, 27],
    REL: [28, 28],
    QUEUES_PRESET: [29, 29],
    TABLES_PRESET: [30, 30],
    ECMDQ: [31, 31],
  },
  IDR3: {
    HAD: [2, 2],
    PBHA: [3, 3],
    XNX: [4, 4],
    PPS: [5, 5],
    STT: [9, 9],
    RIL: [10, 10],
    BBML: [12, 11],
    E0PD: [13, 13],
    DPT: [15, 15], // §6.3.4
  },
  IDR5: {
    OAS: [2, 0],
    GRAN4K: [4, 4],
    GRAN16K: [5, 5],
    GRAN64K: [6, 6],
    DS: [7, 7],
    VAX: [11, 10],
    STALL_MAX: [31, 16],
  },
  CR0,
  CR0ACK: CR0,
  CR1: {
    QUEUE_IC: [1, 0],
    QUEUE_OC: [3, 2],
    QUEUE_SH: [5, 4],
    TABLE_IC: [7, 6],
    TABLE_OC: [9, 8],
    TABLE_SH: [11, 10],
  },
  CR2: { E2H: [0, 0], RECINVSID: [1, 1], PTM: [2, 2] },
  // spec-facts Q1.
  GBPA: {
    MemAttr: [3, 0],
    MTCFG: [4, 4],
    ALLOCCFG: [11, 8],
    SHCFG: [13, 12],
    PRIVCFG: [17, 16],
    INSTCFG: [19, 18],
    ABORT: [20, 20],
    UPDATE: [31, 31],
  },
  IRQ_CTRL: { GERROR_IRQEN: [0, 0], PRIQ_IRQEN: [1, 1], EVENTQ_IRQEN: [2, 2] },
  GERROR,
  GERRORN: GERROR,
  STRTAB_BASE: { ADDR: [55, 6], RA: [62, 62] },
  STRTAB_BASE_CFG: { LOG2SIZE: [5, 0], SPLIT: [10, 6], FMT: [17, 16] },
  CMDQ_BASE: QBASE('RA'),
  CMDQ_PROD: { WR: [19, 0] },
  // spec-facts Q7: ERR [30:24], RD [19:0].
  CMDQ_CONS: { RD: [19, 0], ERR: [30, 24] },
  EVENTQ_BASE: QBASE('WA'),
  EVENTQ_PROD: PROD,
  EVENTQ_CONS: CONS,
  PRIQ_BASE: QBASE('WA'),
  PRIQ_PROD: PROD,
  PRIQ_CONS: CONS,
};

describe('register map (smmuv3.md §1.1, §6.3, §10)', () => {
  it('uses the architected offsets (page 1 for the EVENTQ/PRIQ PROD and CONS)', () => {
    expect(REG_OFFSET).toEqual({
      IDR0: 0x0,
      IDR1: 0x4,
      IDR3: 0xc,
      IDR5: 0x14,
      CR0: 0x20,
      CR0ACK: 0x24,
      CR1: 0x28,
      CR2: 0x2c,
      GBPA: 0x44,
      IRQ_CTRL: 0x50,
      GERROR: 0x60,
      GERRORN: 0x64,
      STRTAB_BASE: 0x80,
      STRTAB_BASE_CFG: 0x88,
      CMDQ_BASE: 0x90,
      CMDQ_PROD: 0x98,
      CMDQ_CONS: 0x9c,
      EVENTQ_BASE: 0xa0,
      EVENTQ_PROD: 0x100a8,
      EVENTQ_CONS: 0x100ac,
      PRIQ_BASE: 0xc0,
      PRIQ_PROD: 0x100c8,
      PRIQ_CONS: 0x100cc,
    });
    expect(REG_NAMES).toEqual(Object.keys(REG_OFFSET));
  });

  it('ID, ACK and GERROR registers are read-only', () => {
    const ro = REG_NAMES.filter((n) => !WRITABLE_REGS.includes(n));
    expect(ro).toEqual(['IDR0', 'IDR1', 'IDR3', 'IDR5', 'CR0ACK', 'GERROR']);
  });

  it.each(REG_NAMES)('SMMU_%s names exactly the reference fields', (reg) => {
    expect(Object.keys(REG_FIELDS[reg]).sort()).toEqual(Object.keys(REF[reg]).sort());
  });

  const rows = REG_NAMES.flatMap((reg) =>
    Object.entries(REF[reg]).map(([name, [hi, lo]]) => [reg, name, hi, lo] as const),
  );
  it.each(rows)('SMMU_%s.%s occupies bits [%i:%i]', (reg, name, hi, lo) => {
    const fd = REG_FIELDS[reg][name]!;
    const words = [0n];
    setField(words, fd, U64);
    expect(words).toEqual([mask(hi, lo)]);
    expect(getField(words, fd)).toBe(mask(hi, lo) >> BigInt(lo));
  });

  it.each(REG_NAMES)('SMMU_%s has no overlapping fields', (reg) => {
    const all = Object.values(REG_FIELDS[reg]);
    for (let i = 0; i < all.length; i++)
      for (let j = i + 1; j < all.length; j++)
        expect(mask(all[i]!.hi, all[i]!.lo) & mask(all[j]!.hi, all[j]!.lo)).toBe(0n);
  });
});

describe('register helpers', () => {
  it('regName accepts SMMU_-prefixed and lower-case names', () => {
    expect(regName('SMMU_CR0')).toBe('CR0');
    expect(regName('smmu_eventq_prod')).toBe('EVENTQ_PROD');
    expect(regName('strtab_base_cfg')).toBe('STRTAB_BASE_CFG');
    expect(regName('SMMU_IDR2')).toBeUndefined();
  });

  it('decodes the CMDQ error of dmesg sample 19 (cons 0x01000022, GERROR 0x1)', () => {
    expect(regField('CMDQ_CONS', 'ERR', 0x0100_0022n)).toBe(CERROR.ILL);
    expect(regField('CMDQ_CONS', 'RD', 0x0100_0022n)).toBe(0x22);
    expect(regField('GERROR', 'CMDQ_ERR', 0x1n)).toBe(1);
    expect(CERROR_NAMES[CERROR.ILL]).toBe('CERROR_ILL');
  });

  it('regField rejects a field the register does not have', () => {
    expect(() => regField('CR0', 'SFM_ERR', 0n)).toThrow(/CR0 has no field SFM_ERR/);
  });

  it('CMDQ_CONS.ERR codes (spec-facts Q7)', () => {
    expect(CERROR).toEqual({ NONE: 0, ILL: 1, ABT: 2, ATC_INV_SYNC: 3 });
    expect(CERROR_NAMES).toEqual([
      'CERROR_NONE',
      'CERROR_ILL',
      'CERROR_ABT',
      'CERROR_ATC_INV_SYNC',
    ]);
  });
});

describe('idRegisters (platform.ts)', () => {
  it('encodes the default platform', () => {
    const id = idRegisters(DEFAULT_SMMU);
    // S2P, S1P, TTF=AArch64, COHACC, BTM, HYP, ATS, NS1ATS, ASID16, MSI, SEV, PRI, VMID16, CD2L,
    // TTENDIAN=LE, STALL_MODEL=00, ST_LEVEL=2-level.
    const idr0 =
      b(0) | b(1) | (2n << 2n) | b(4) | b(5) | b(9) | b(10) | b(11) | b(12) | b(13) | b(14);
    expect(id.IDR0).toBe(idr0 | b(16) | b(18) | b(19) | (2n << 21n) | (1n << 27n));
    expect(id.IDR0).toBe(0x084d_7e3bn);
    // SIDSIZE 16, SSIDSIZE 20, PRIQS log2(64), EVENTQS log2(64), CMDQS log2(256),
    // ATTR_PERMS_OVR (the engine obeys STE.PRIVCFG/INSTCFG by default, §5.2).
    expect(id.IDR1).toBe(16n | (20n << 6n) | (6n << 11n) | (6n << 16n) | (8n << 21n) | b(26));
    // HAD [2], PPS [5], E0PD [13]: CD.HADx and CD.E0PDx act by default (§5.4), overflow
    // auto-responses echo the PASID (§8.1); RIL [10] and DPT [15] are 0.
    expect(id.IDR3).toBe(b(2) | b(5) | b(13));
    expect(id.IDR3).toBe(0x2024n);
    // OAS 48 bits (0b101), all three granules, STALL_MAX 64.
    expect(id.IDR5).toBe(0x0040_0075n);
  });

  it('reflects a minimal stage-1-only platform', () => {
    const id = idRegisters({
      ...DEFAULT_SMMU,
      s2: false,
      btm: false,
      ats: false,
      pri: false,
      asidBits: 8,
      vmidBits: 8,
      cd2l: false,
      streamTable: 'linear',
      stall: 'none',
      httu: 'af',
      rangeInv: true,
      attrPermsOvr: false,
      had: false,
      e0pd: false,
      pps: false,
      oas: 44,
      sidBits: 8,
      ssidBits: 0,
      cmdqEntries: 1 << 19,
      evtqEntries: 2,
      priqEntries: 1,
    });
    const idr0 = b(1) | (2n << 2n) | b(4) | (1n << 6n) | b(9) | b(11) | b(13) | b(14);
    expect(id.IDR0).toBe(idr0 | (2n << 21n) | (1n << 24n));
    expect(id.IDR1).toBe(8n | (0n << 11n) | (1n << 16n) | (19n << 21n));
    expect(id.IDR3).toBe(b(10));
    expect(id.IDR5).toBe(4n | b(4) | b(5) | b(6));
  });

  it('encodes forced stalls and AF+dirty HTTU', () => {
    const id = idRegisters({ ...DEFAULT_SMMU, stall: 'forced', httu: 'af+dirty' });
    expect((id.IDR0 >> 24n) & 3n).toBe(2n);
    expect((id.IDR0 >> 6n) & 3n).toBe(2n);
  });

  it('STALL_MAX is the platform stallMax, and RES0 without stalls (§6.3.6)', () => {
    expect(idRegisters({ ...DEFAULT_SMMU, stallMax: 3 }).IDR5 >> 16n).toBe(3n);
    expect(idRegisters({ ...DEFAULT_SMMU, stallMax: 3, stall: 'none' }).IDR5 >> 16n).toBe(0n);
  });
});
