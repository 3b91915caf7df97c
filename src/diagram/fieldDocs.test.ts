// Every field of every engine table has a one-line meaning and a spec section, and no doc names
// a field the engine doesn't have (a renamed field would otherwise keep a stale doc).
import { describe, expect, it } from 'vitest';
import {
  CD,
  COMMANDS,
  decodeCommand,
  EVTQ,
  L1CD,
  L1STD,
  PRIQ,
  REG_FIELDS,
  REG_NAMES,
  S1_LEAF,
  S1_TABLE,
  S2_LEAF,
  S2_TABLE,
  STE,
  STRUCTURES,
  type FieldTable,
} from '../engine/index.ts';
import {
  commandFieldDoc,
  REG_DOCS,
  REG_SECTION,
  regFieldDoc,
  STRUCT_DOCS,
  structDocKey,
  valueMeaning,
  type FieldDoc,
  type StructDocKey,
} from './fieldDocs.ts';

const ENGINE_TABLES: Readonly<Record<StructDocKey, FieldTable>> = {
  STE,
  CD,
  L1STD,
  L1CD,
  S1_TABLE,
  S1_LEAF,
  S2_TABLE,
  S2_LEAF,
  EVTQ,
  PRIQ,
};

function expectDoc(where: string, d: FieldDoc | undefined): void {
  expect(d, where).toBeDefined();
  expect(d!.meaning.trim().length, `${where} meaning`).toBeGreaterThan(8);
  expect(d!.meaning, `${where} is one line`).not.toMatch(/\n/);
  expect(d!.section, `${where} section`).toMatch(/^(§\d+(\.\d+)*|Arm ARM D\d+(\.\d+)*)$/);
}

describe('field documentation', () => {
  for (const [key, table] of Object.entries(ENGINE_TABLES) as [StructDocKey, FieldTable][]) {
    it(`documents every ${key} field, and only those`, () => {
      for (const name of Object.keys(table)) expectDoc(`${key}.${name}`, STRUCT_DOCS[key][name]);
      expect(Object.keys(STRUCT_DOCS[key]).sort()).toEqual(Object.keys(table).sort());
    });
  }

  it('maps every structure kind to the table the engine decodes it with', () => {
    for (const [kind, info] of Object.entries(STRUCTURES) as [
      keyof typeof STRUCTURES,
      (typeof STRUCTURES)[keyof typeof STRUCTURES],
    ][]) {
      expect(ENGINE_TABLES[structDocKey(kind)]).toBe(info.table);
    }
  });

  it('documents every field of every command', () => {
    for (const c of COMMANDS) {
      for (const name of Object.keys(c.fields))
        expectDoc(`${c.name}.${name}`, commandFieldDoc(c.name, name));
    }
    expectDoc('CMD_CFGI_ALL.Range', commandFieldDoc('CMD_CFGI_ALL', 'Range'));
  });

  it('documents every field of every register, and only those', () => {
    for (const reg of REG_NAMES) {
      expect(REG_SECTION[reg]).toMatch(/^§6\.3\.\d+$/);
      for (const name of Object.keys(REG_FIELDS[reg]))
        expectDoc(`${reg}.${name}`, regFieldDoc(reg, name));
      expect(Object.keys(REG_DOCS[reg]).sort()).toEqual(Object.keys(REG_FIELDS[reg]).sort());
    }
  });

  it('reads values: enums, addresses and computed meanings', () => {
    expect(valueMeaning(STRUCT_DOCS.STE['Config'], 5n, 1)).toBe('stage 1 translates');
    expect(valueMeaning(STRUCT_DOCS.STE['S1DSS'], 2n, 0)).toMatch(/CD 0/);
    expect(valueMeaning(STRUCT_DOCS.STE['S1ContextPtr'], 0x40010000n >> 6n, 6)).toBe(
      'address 0x40010000',
    );
    expect(valueMeaning(STRUCT_DOCS.CD['T0SZ'], 16n, 0)).toBe('48-bit address range');
    expect(valueMeaning(STRUCT_DOCS.EVTQ['EventID'], 0x10n, 0)).toBe('F_TRANSLATION');
    expect(valueMeaning(STRUCT_DOCS.L1STD['Span'], 9n, 0)).toBe('256 STEs');
    const sync = decodeCommand([0x000000000fc02046n, 0n])!;
    expect(sync.name).toBe('CMD_SYNC');
    expect(valueMeaning(commandFieldDoc('CMD_SYNC', 'CS'), 2n, 12)).toMatch(/SEV/);
    expect(valueMeaning(commandFieldDoc('CMD_SYNC', 'Opcode'), 0x46n, 0)).toBe('CMD_SYNC');
    expect(valueMeaning(regFieldDoc('CMDQ_CONS', 'ERR'), 1n, 24)).toBe('CERROR_ILL');
  });
});
