// Command queue entries (smmuv3.md §6.1; positions corrected/confirmed by spec-facts.md Q8).
// Raw values are E14 vectors or written out with explicit shifts.
import { describe, expect, it } from 'vitest';
import { getField, setField } from './bits.ts';
import {
  CMD_BYTES,
  CMD_DWORDS,
  COMMANDS,
  COMMAND_BY_NAME,
  COMMAND_FIELD_ALIASES,
  PRI_RESP,
  SECURE_ONLY_OPCODES,
  SYNC_CS,
  buildCommand,
  decodeCommand,
  lookupCommand,
} from './commands.ts';

type Pos = readonly [dw: number, hi: number, lo: number];
type Layout = Record<string, Pos>;
const U64 = (1n << 64n) - 1n;
const mask = (hi: number, lo: number): bigint => ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);
const b = (n: number): bigint => 1n << BigInt(n);

// Common dw0 fields (§6.1): SSV [11], SubstreamID [31:12], StreamID [63:32].
const SUB: Layout = { SSV: [0, 11, 11], SubstreamID: [0, 31, 12] };
const SID: Layout = { StreamID: [0, 63, 32] };
const VMID: Layout = { VMID: [0, 47, 32] };
const ASID: Layout = { ASID: [0, 63, 48] };
// SCALE is [25:20] in the spec (spec-facts Q8); Linux and QEMU mask [24:20] (smmuv3.md §11.6).
const RANGE: Layout = { NUM: [0, 16, 12], SCALE: [0, 25, 20] };
// TTL128 (dw1[7], spec-facts Q8) is not modelled.
const VA: Layout = { Leaf: [1, 0, 0], TTL: [1, 9, 8], TG: [1, 11, 10], Address: [1, 63, 12] };

const REF: Record<string, readonly [number, Layout]> = {
  CMD_PREFETCH_CONFIG: [0x01, { ...SUB, ...SID }],
  // Size [4:0] and Address [63:12] from Linux CMDQ_PREFETCH_1_*; Stride/NS: see UNVERIFIED.
  CMD_PREFETCH_ADDR: [0x02, { ...SUB, ...SID, Size: [1, 4, 0], Address: [1, 63, 12] }],
  CMD_CFGI_STE: [0x03, { ...SID, Leaf: [1, 0, 0] }],
  CMD_CFGI_STE_RANGE: [0x04, { ...SID, Range: [1, 4, 0] }],
  CMD_CFGI_CD: [0x05, { SubstreamID: [0, 31, 12], ...SID, Leaf: [1, 0, 0] }],
  CMD_CFGI_CD_ALL: [0x06, { ...SID }],
  // §4.3.5 figure is an image; its text says VMID is "consistent with ... CMD_TLBI_*".
  CMD_CFGI_VMS_PIDM: [0x07, { ...VMID }],
  CMD_TLBI_NH_ALL: [0x10, { ...VMID }],
  CMD_TLBI_NH_ASID: [0x11, { ...VMID, ...ASID }],
  CMD_TLBI_NH_VA: [0x12, { ...RANGE, ...VMID, ...ASID, ...VA }],
  CMD_TLBI_NH_VAA: [0x13, { ...RANGE, ...VMID, ...VA }],
  CMD_TLBI_EL3_ALL: [0x18, {}],
  // The reference leaves EL3_VA blank; the spec's TLBI-by-VA fields (§6.1 "TLBI fields") apply.
  CMD_TLBI_EL3_VA: [0x1a, { ...RANGE, ...VA }],
  CMD_TLBI_EL2_ALL: [0x20, {}],
  CMD_TLBI_EL2_ASID: [0x21, { ...ASID }],
  CMD_TLBI_EL2_VA: [0x22, { ...RANGE, ...ASID, ...VA }],
  CMD_TLBI_EL2_VAA: [0x23, { ...RANGE, ...VA }],
  CMD_TLBI_S12_VMALL: [0x28, { ...VMID }],
  // IPA [51:12] as in smmuv3.md and Linux; the v3.4 spec widens it to [55:12] (spec-facts Q8).
  CMD_TLBI_S2_IPA: [0x2a, { ...RANGE, ...VMID, ...VA, Address: [1, 51, 12] }],
  CMD_TLBI_NSNH_ALL: [0x30, {}],
  CMD_ATC_INV: [0x40, { Global: [0, 9, 9], ...SUB, ...SID, Size: [1, 5, 0], Address: [1, 63, 12] }],
  CMD_PRI_RESP: [0x41, { ...SUB, ...SID, PRGIndex: [1, 8, 0], Resp: [1, 13, 12] }],
  CMD_RESUME: [0x44, { Ac: [0, 12, 12], Ab: [0, 13, 13], ...SID, STAG: [1, 15, 0] }],
  CMD_STALL_TERM: [0x45, { ...SID }],
  // MSIAddress [55:2] as the spec has it (§4.7.3; spec-facts Q8); Linux masks [51:2].
  CMD_SYNC: [
    0x46,
    {
      CS: [0, 13, 12],
      MSH: [0, 23, 22],
      MSIAttr: [0, 27, 24],
      MSIData: [0, 63, 32],
      MSIAddress: [1, 55, 2],
    },
  ],
  // Secure-queue twins (§4.1.1 opcode table; "encoded similarly", §4.4.2.11–14). S_S12_VMALL's
  // VMID [47:32] and S_S2_IPA's SCALE/NUM/Address[55:12] are in the §4.4.3.3–4 text tables.
  CMD_TLBI_S_EL2_ALL: [0x50, {}],
  CMD_TLBI_S_EL2_ASID: [0x51, { ...ASID }],
  CMD_TLBI_S_EL2_VA: [0x52, { ...RANGE, ...ASID, ...VA }],
  CMD_TLBI_S_EL2_VAA: [0x53, { ...RANGE, ...VA }],
  CMD_TLBI_S_S12_VMALL: [0x58, { ...VMID }],
  CMD_TLBI_S_S2_IPA: [0x5a, { ...RANGE, ...VMID, ...VA, Address: [1, 55, 12] }],
  CMD_TLBI_SNH_ALL: [0x60, {}],
  // §4.6.2 table: Leaf [64] = dw1[0], SIZE [75:72] = dw1[11:8], Address[55:12] from bit 76 = dw1[12].
  CMD_DPTI_ALL: [0x70, {}],
  CMD_DPTI_PA: [0x73, { Leaf: [1, 0, 0], SIZE: [1, 11, 8], Address: [1, 55, 12] }],
};

/** Engine fields with no reference position (spec figure is an image): not checked here. */
const UNVERIFIED: Record<string, readonly string[]> = { CMD_PREFETCH_ADDR: ['Stride', 'NS'] };

describe('command field tables (smmuv3.md §6.1, spec-facts Q8)', () => {
  it('a command is 16 bytes, 2 dwords', () => {
    expect(CMD_DWORDS).toBe(2);
    expect(CMD_BYTES).toBe(16n);
  });

  it('COMMANDS holds exactly the reference opcodes', () => {
    const got = Object.fromEntries(COMMANDS.map((c) => [c.name, c.opcode]));
    expect(got).toEqual(Object.fromEntries(Object.entries(REF).map(([n, [op]]) => [n, op])));
  });

  it.each(Object.keys(REF))('%s names the reference fields plus Opcode', (name) => {
    const spec = COMMAND_BY_NAME.get(name)!;
    const want = ['Opcode', ...Object.keys(REF[name]![1]), ...(UNVERIFIED[name] ?? [])];
    expect(Object.keys(spec.fields).sort()).toEqual(want.sort());
  });

  const rows = Object.entries(REF).flatMap(([name, [, layout]]) =>
    Object.entries({ Opcode: [0, 7, 0] as Pos, ...layout }).map(
      ([field, p]) => [name, field, ...p] as const,
    ),
  );
  it.each(rows)('%s.%s occupies dw%i[%i:%i]', (name, field, dw, hi, lo) => {
    const fd = COMMAND_BY_NAME.get(name)!.fields[field]!;
    const words = [0n, 0n];
    setField(words, fd, U64);
    const expected = [0n, 0n];
    expected[dw] = mask(hi, lo);
    expect(words).toEqual(expected);
    expect(getField(words, fd)).toBe(mask(hi, lo) >> BigInt(lo));
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s has no overlapping fields', (_n, c) => {
    const e = Object.values(c.fields);
    for (let i = 0; i < e.length; i++)
      for (let j = i + 1; j < e.length; j++) {
        const [x, y] = [e[i]!, e[j]!];
        if (x.dw === y.dw) expect(mask(x.hi, x.lo) & mask(y.hi, y.lo)).toBe(0n);
      }
  });
});

const ADDR = 0x7fff_dead_b000n;
const SID100 = 0x100n << 32n;
const SSV5 = b(11) | (5n << 12n);

// [command, values, dw0, dw1]: one vector per opcode at least; E14 rows are marked.
const BUILD: readonly (readonly [string, Record<string, bigint | number>, bigint, bigint])[] = [
  ['PREFETCH_CONFIG', { StreamID: 0x100, SubstreamID: 5 }, 0x01n | SSV5 | SID100, 0n],
  [
    'PREFETCH_ADDR',
    { StreamID: 0x100, Size: 3, Address: 0x1234_5000n },
    0x02n | SID100,
    0x1234_5003n,
  ],
  ['CFGI_STE', { StreamID: 0x100, Leaf: 1 }, 0x0000_0100_0000_0003n, 1n], // E14
  ['CFGI_STE_RANGE', { StreamID: 0x100, Range: 7 }, 0x04n | SID100, 7n],
  ['CFGI_ALL', {}, 0x04n, 0x1fn], // E14
  ['CFGI_CD', { StreamID: 0x100, SubstreamID: 5, Leaf: 1 }, 0x0000_0100_0000_5005n, 1n], // E14
  ['CFGI_CD_ALL', { StreamID: 0x100 }, 0x06n | SID100, 0n],
  ['CFGI_VMS_PIDM', { VMID: 7 }, 0x0000_0007_0000_0007n, 0n], // 0x07 | 7 << 32
  ['TLBI_NH_ALL', { VMID: 7 }, 0x10n | (7n << 32n), 0n],
  ['TLBI_NH_ASID', { ASID: 0x42 }, 0x0042_0000_0000_0011n, 0n], // E14
  [
    'TLBI_NH_VA',
    { ASID: 0x42, Address: ADDR, Leaf: 1 },
    0x0042_0000_0000_0012n,
    0x0000_7fff_dead_b001n,
  ], // E14
  [
    'TLBI_NH_VA',
    { ASID: 0x42, Address: ADDR, Leaf: 1, TG: 1, TTL: 3 },
    0x0042_0000_0000_0012n,
    0x0000_7fff_dead_b701n,
  ], // E14
  [
    'TLBI_NH_VA',
    { ASID: 0x42, Address: 0x1000_0000n, Leaf: 1, TG: 1, TTL: 3, SCALE: 3 },
    0x0042_0000_0030_0012n,
    0x0000_0000_1000_0701n,
  ], // E14
  [
    'TLBI_NH_VAA',
    { VMID: 7, Address: ADDR, Leaf: 1, NUM: 4 },
    0x13n | (4n << 12n) | (7n << 32n),
    ADDR | 1n,
  ],
  ['TLBI_EL3_ALL', {}, 0x18n, 0n],
  ['TLBI_EL3_VA', { Address: ADDR }, 0x1an, ADDR],
  ['TLBI_EL2_ALL', {}, 0x20n, 0n],
  ['TLBI_EL2_ASID', { ASID: 0x1234 }, 0x21n | (0x1234n << 48n), 0n],
  [
    'TLBI_EL2_VA',
    { ASID: 0x1234, Address: ADDR, Leaf: 1, SCALE: 0x21 },
    0x22n | (0x21n << 20n) | (0x1234n << 48n),
    ADDR | 1n,
  ],
  ['TLBI_EL2_VAA', { Address: ADDR, TG: 3, TTL: 2 }, 0x23n, ADDR | (2n << 8n) | (3n << 10n)],
  ['TLBI_S12_VMALL', { VMID: 7 }, 0x0000_0007_0000_0028n, 0n], // E14
  [
    'TLBI_S2_IPA',
    { VMID: 7, Address: 0x8000_1000n, Leaf: 1 },
    0x0000_0007_0000_002an,
    0x0000_0000_8000_1001n,
  ], // E14
  ['TLBI_NSNH_ALL', {}, 0x30n, 0n],
  ['ATC_INV', { StreamID: 0x100, SubstreamID: 5, Size: 4, Address: 0 }, 0x0000_0100_0000_5840n, 4n], // E14
  ['ATC_INV', { StreamID: 0x100, Size: 52 }, 0x0000_0100_0000_0040n, 0x34n], // E14
  [
    'ATC_INV',
    { StreamID: 0x100, SubstreamID: 5, Global: 1, Address: 0x7000n },
    0x40n | b(9) | SSV5 | SID100,
    0x7000n,
  ],
  [
    'PRI_RESP',
    { StreamID: 0x100, SubstreamID: 5, PRGIndex: 0x1f, Resp: 2 },
    0x0000_0100_0000_5841n,
    0x201fn,
  ], // E14
  ['RESUME', { StreamID: 0x100, Ac: 1, STAG: 3 }, 0x0000_0100_0000_1044n, 3n], // E14 retry
  ['RESUME', { StreamID: 0x100, Ab: 1, STAG: 3 }, 0x0000_0100_0000_2044n, 3n], // E14 abort
  ['STALL_TERM', { StreamID: 0x100 }, 0x0000_0100_0000_0045n, 0n], // E14
  ['SYNC', { CS: 2, MSH: 3, MSIAttr: 0xf }, 0x0000_0000_0fc0_2046n, 0n], // E14
  [
    'SYNC',
    { CS: 1, MSH: 3, MSIAttr: 0xf, MSIAddress: 0x8000_4000n },
    0x0000_0000_0fc0_1046n,
    0x8000_4000n,
  ], // E14
  ['TLBI_S_EL2_ALL', {}, 0x50n, 0n],
  ['TLBI_S_EL2_ASID', { ASID: 0x1234 }, 0x1234_0000_0000_0051n, 0n], // 0x51 | 0x1234 << 48
  [
    'TLBI_S_EL2_VA',
    { ASID: 0x1234, Address: ADDR, Leaf: 1 },
    0x1234_0000_0000_0052n,
    0x0000_7fff_dead_b001n,
  ],
  // dw1 = ADDR | TTL 3 << 8 (0x300) | TG 1 << 10 (0x400) = …b000 | 0x700
  ['TLBI_S_EL2_VAA', { Address: ADDR, TG: 1, TTL: 3 }, 0x53n, 0x0000_7fff_dead_b700n],
  ['TLBI_S_S12_VMALL', { VMID: 7 }, 0x0000_0007_0000_0058n, 0n],
  [
    'TLBI_S_S2_IPA',
    { VMID: 7, Address: 0x00f0_0000_8000_1000n, Leaf: 1 }, // bits [55:52] reach dw1
    0x0000_0007_0000_005an,
    0x00f0_0000_8000_1001n,
  ],
  ['TLBI_SNH_ALL', {}, 0x60n, 0n],
  ['DPTI_ALL', {}, 0x70n, 0n],
  ['DPTI_PA', { Address: 0x0080_0000_4020_0000n, Leaf: 1 }, 0x73n, 0x0080_0000_4020_0001n],
  // dw1 = Address | SIZE 3 (2 MB) << 8 (0x300)
  ['DPTI_PA', { Address: 0x4020_0000n, SIZE: 3 }, 0x73n, 0x4020_0300n],
];

describe('buildCommand / decodeCommand', () => {
  it('covers every opcode', () => {
    const ops = new Set(BUILD.map(([n]) => lookupCommand(n)!.opcode));
    expect([...ops].sort((x, y) => x - y)).toEqual(COMMANDS.map((c) => c.opcode));
  });

  it.each(BUILD)('builds %s %o', (name, values, dw0, dw1) => {
    expect(buildCommand(name, values).raw).toEqual([dw0, dw1]);
  });

  it.each(BUILD)('decodes %s %o and rebuilds the same dwords', (name, values, dw0, dw1) => {
    const c = decodeCommand([dw0, dw1])!;
    expect(c.name).toBe(`CMD_${name}`);
    for (const [k, v] of Object.entries(values)) expect(c.fields[k]).toBe(BigInt(v));
    expect(buildCommand(c.name, c.fields).raw).toEqual([dw0, dw1]);
  });

  it('keeps byte addresses: Address drops bits [11:0], MSIAddress bits [1:0]', () => {
    expect(buildCommand('TLBI_NH_VAA', { Address: ADDR | 0xfffn }).raw[1]).toBe(ADDR);
    expect(buildCommand('SYNC', { MSIAddress: 0x8000_4003n }).raw[1]).toBe(0x8000_4000n);
  });

  it('sets SSV for a SubstreamID unless SSV is given, and only where SSV exists', () => {
    expect(buildCommand('PRI_RESP', { SubstreamID: 5, SSV: 0 }).raw[0]).toBe(0x41n | (5n << 12n));
    expect(buildCommand('CMD_CFGI_CD', { SubstreamID: 5 }).raw[0]).toBe(0x05n | (5n << 12n));
  });

  it('CFGI_ALL is CFGI_STE_RANGE with Range 31, in both directions', () => {
    expect(lookupCommand('cfgi_all')?.name).toBe('CMD_CFGI_STE_RANGE');
    expect(decodeCommand([0x04n, 31n])?.name).toBe('CMD_CFGI_ALL');
    expect(decodeCommand([0x04n, 30n])?.name).toBe('CMD_CFGI_STE_RANGE');
  });

  it('rejects unknown commands and fields', () => {
    expect(lookupCommand('CMD_BOGUS')).toBeUndefined();
    expect(() => buildCommand('BOGUS', {})).toThrow(/unknown command/);
    expect(() => buildCommand('CFGI_STE', { ASID: 1 })).toThrow(/has no field ASID/);
  });

  // Reserved in §4.1.1 (0x00: the command Linux skipped in dmesg sample 19), and 0x80–0x8F,
  // IMPLEMENTATION DEFINED, of which this SMMU defines none.
  it.each([0x00, 0x08, 0x14, 0x54, 0x59, 0x61, 0x71, 0x74, 0x80, 0x8f, 0x90, 0xff])(
    'opcode %#x decodes to undefined',
    (op) => {
      expect(decodeCommand([BigInt(op) | SID100, 0n])).toBeUndefined();
    },
  );

  it('0x07 is CMD_CFGI_VMS_PIDM, not CFGI_ALL as QEMU has it (smmuv3.md §11.6)', () => {
    expect(decodeCommand([0x0000_0007_0000_0007n, 0n])).toMatchObject({
      name: 'CMD_CFGI_VMS_PIDM',
      fields: { VMID: 7n },
    });
  });

  it('names the Secure-only opcodes and the PRI_RESP / SYNC encodings', () => {
    expect([...SECURE_ONLY_OPCODES].sort((x, y) => x - y)).toEqual([
      0x18, 0x1a, 0x50, 0x51, 0x52, 0x53, 0x58, 0x5a, 0x60,
    ]);
    expect(PRI_RESP).toEqual({ FAILURE: 0, INVALID: 1, SUCCESS: 2 });
    expect(SYNC_CS).toEqual({ NONE: 0, IRQ: 1, SEV: 2 });
  });
});

// alias → [command, value, dword, bit the value lands on]
const ALIASES: Record<string, readonly [string, bigint, number, number]> = {
  sid: ['CFGI_STE', 1n, 0, 32],
  ssid: ['CFGI_CD', 1n, 0, 12],
  ssv: ['PRI_RESP', 1n, 0, 11],
  leaf: ['CFGI_STE', 1n, 1, 0],
  asid: ['TLBI_NH_ASID', 1n, 0, 48],
  vmid: ['TLBI_NH_ALL', 1n, 0, 32],
  addr: ['TLBI_NH_VA', 0x1000n, 1, 12],
  size: ['ATC_INV', 1n, 1, 0],
  stag: ['RESUME', 1n, 1, 0],
  resp: ['PRI_RESP', 1n, 1, 12],
  range: ['CFGI_STE_RANGE', 1n, 1, 0],
  num: ['TLBI_NH_VA', 1n, 0, 12],
  scale: ['TLBI_NH_VA', 1n, 0, 20],
  ttl: ['TLBI_NH_VA', 1n, 1, 8],
  tg: ['TLBI_NH_VA', 1n, 1, 10],
  global: ['ATC_INV', 1n, 0, 9],
  prgIndex: ['PRI_RESP', 1n, 1, 0],
  prgindex: ['PRI_RESP', 1n, 1, 0],
  ac: ['RESUME', 1n, 0, 12],
  ab: ['RESUME', 1n, 0, 13],
  cs: ['SYNC', 1n, 0, 12],
  msiAddr: ['SYNC', 4n, 1, 2],
  msiData: ['SYNC', 1n, 0, 32],
};

describe('scenario field aliases', () => {
  it('has exactly the documented aliases', () => {
    expect(Object.keys(COMMAND_FIELD_ALIASES).sort()).toEqual(Object.keys(ALIASES).sort());
  });

  it.each(Object.entries(ALIASES))('%s writes the spec field it names', (alias, row) => {
    const [cmd, value, dw, bitNo] = row;
    const raw = buildCommand(cmd, { [COMMAND_FIELD_ALIASES[alias]!]: value }).raw;
    const op = BigInt(lookupCommand(cmd)!.opcode);
    expect(raw).toEqual(dw === 0 ? [op | b(bitNo), 0n] : [op, b(bitNo)]);
  });
});
