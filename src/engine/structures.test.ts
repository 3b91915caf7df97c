// Which field table decodes which word (structures.ts): every structure kind with its size in
// dwords from the spec (STE and CD 64 bytes §5.2/§5.4, L1 descriptors one dword §5.1/§5.3, an
// event record 32 bytes §7.3, a PRI entry 16 bytes §8.1, a command 16 bytes §4), a descriptor
// word's kind by stage, level and bits[1:0] (Arm ARM D8.3: 0b11 below level 3 is a table), and
// the fields of a trace step's words.
import { describe, expect, it } from 'vitest';
import {
  STRUCTURES,
  commandInfo,
  decodeStructure,
  descriptorKind,
  stepFields,
  stepStructure,
} from './structures.ts';
import type { TraceStep } from './trace.ts';

describe('structures', () => {
  it('sizes in dwords and the sections that define them', () => {
    const size = Object.fromEntries(Object.entries(STRUCTURES).map(([k, v]) => [k, v.dwords]));
    expect(size).toEqual({
      ste: 8,
      cd: 8,
      l1std: 1,
      l1cd: 1,
      's1-table': 1,
      's1-leaf': 1,
      's2-table': 1,
      's2-leaf': 1,
      event: 4,
      pri: 2,
    });
    expect([STRUCTURES.ste.section, STRUCTURES.cd.section, STRUCTURES.l1std.section]).toEqual([
      '§5.2',
      '§5.4',
      '§5.1',
    ]);
  });

  it('a command is described by its opcode (dw0[7:0]); an unknown opcode by nothing', () => {
    expect(commandInfo([0x46n, 0n])).toMatchObject({ title: 'CMD_SYNC', dwords: 2, section: '§4' });
    expect(commandInfo([0x0000_0042_0000_0012n, 0n])?.title).toBe('CMD_TLBI_NH_VA');
    expect(commandInfo([0x7fn, 0n])).toBeUndefined();
    expect(commandInfo([])).toBeUndefined(); // opcode 0: reserved
    expect(decodeStructure('command', [0x7fn, 0n])).toEqual({});
  });

  it('a descriptor is a table only with bits[1:0] = 0b11 above level 3', () => {
    expect(descriptorKind(1, 0, 0x4100_0003n)).toBe('s1-table');
    expect(descriptorKind(1, 2, 0x4100_0001n)).toBe('s1-leaf'); // block
    expect(descriptorKind(1, 3, 0x4100_0003n)).toBe('s1-leaf'); // page
    expect(descriptorKind(2, 1, 0x4100_0003n)).toBe('s2-table');
    expect(descriptorKind(2, 3, 0x4100_0003n)).toBe('s2-leaf');
    expect(descriptorKind(2, 1, 0x4100_0002n)).toBe('s2-leaf');
  });

  it('decodes a command by its own fields: CMD_TLBI_NH_VA ASID dw0[63:48]', () => {
    const f = decodeStructure('command', [0x0042_0000_0000_0012n, 0x1000_0701n]);
    expect(f['ASID']).toBe(0x42n);
    expect(f['Opcode']).toBe(0x12n);
    expect(decodeStructure('l1std', [0x4011_0000n | 7n])['Span']).toBe(7n);
  });

  it('the structure and fields of a trace step; none for steps that read none', () => {
    const ste: TraceStep = {
      kind: 'ste',
      note: '',
      pa: 0n,
      value: [0x9n, 0n, 0n, 0n, 0n, 0n, 0n, 0n],
      input: { name: 'SID', value: 1n, hi: 7, lo: 0, index: 1 },
    };
    expect(stepStructure(ste)).toBe('ste');
    expect(stepFields(ste)).toMatchObject({ V: 1n, Config: 4n });
    const input = { name: 'VA', value: 0n, hi: 47, lo: 39, index: 0 } as const;
    const tt = (level: number, word: bigint, stage: 1 | 2 = 1): TraceStep => ({
      kind: 'tt',
      note: '',
      pa: 0n,
      value: [word],
      input,
      stage,
      level,
    });
    expect(stepStructure(tt(0, 0x4100_0003n))).toBe('s1-table');
    expect(stepStructure(tt(3, 0x4100_0003n, 2))).toBe('s2-leaf');
    const httu: TraceStep = {
      kind: 'httu',
      note: '',
      stage: 2,
      level: 1,
      pa: 0n,
      old: 0n,
      value: [],
    };
    expect(stepStructure(httu)).toBeUndefined();
    for (const kind of ['tlb-miss', 'atc-hit', 'result'] as const)
      expect(stepStructure({ kind, note: '' })).toBeUndefined();
    expect(stepFields({ kind: 'decision', note: '' })).toBeUndefined();
  });
});
