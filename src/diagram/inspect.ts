// What the inspector shows for a selection at one moment: the words read from the world, the
// field table that decodes them (the engine's own tables, read with getField), and the docs.
// Pure: no React. A selection that no longer exists is reported, not guessed at.
import {
  commandInfo,
  descriptorKind,
  f,
  getField,
  hex,
  REG_FIELDS,
  REG_OFFSET,
  STRUCTURES,
  type Field,
  type FieldTable,
  type RegName,
  type StructureKind,
} from '../engine/index.ts';
import { blockAt, type FrameUse } from '../kernel/index.ts';
import type { World } from '../scenario/index.ts';
import {
  COMMAND_SECTION,
  commandFieldDoc,
  REG_DOCS,
  REG_SECTION,
  REG_WIDTH,
  STRUCT_DOCS,
  structDocKey,
  valueMeaning,
  type FieldDoc,
} from './fieldDocs.ts';

/** What the inspector shows: a structure in memory, or a register. */
export type Selection =
  | {
      readonly kind: 'memory';
      readonly struct: StructureKind;
      readonly pa: bigint;
      readonly title: string;
      readonly level?: number;
      readonly stage?: 1 | 2;
    }
  | { readonly kind: 'reg'; readonly reg: RegName; readonly title: string };

export interface InspectedField {
  readonly name: string;
  readonly field: Field;
  readonly value: bigint;
  /** Value in the previous op's world, when it differs. */
  readonly was?: bigint;
  readonly doc: FieldDoc | undefined;
  /** Enum / address / computed meaning of the value. */
  readonly meaning: string | undefined;
}

export interface Inspected {
  readonly title: string;
  /** What kind of thing this is and where the spec defines it. */
  readonly kind: string;
  readonly section: string;
  readonly pa?: bigint;
  readonly offset?: number;
  /** Bits per word: 64 for structures, 32 or 64 for registers. */
  readonly width: 32 | 64;
  readonly words: readonly bigint[];
  /** Words that changed since the previous op (by index). */
  readonly changedWords: ReadonlySet<number>;
  readonly fields: readonly InspectedField[];
  /** Set when the selection does not exist at this moment. */
  readonly missing?: string;
  /** What the frame holding it is (kernel allocator label). */
  readonly where?: string;
  /** Set when a table pointer points back into the table that holds it: a cycle written by hand. */
  readonly cycle?: string;
}

const EXPECTED_USE: Readonly<Record<StructureKind, readonly FrameUse[]>> = {
  ste: ['strtab'],
  l1std: ['strtab'],
  cd: ['cdtable'],
  l1cd: ['cdtable'],
  's1-table': ['iopgtable', 'pgtable'],
  's1-leaf': ['iopgtable', 'pgtable'],
  's2-table': ['iopgtable', 'pgtable'],
  's2-leaf': ['iopgtable', 'pgtable'],
  event: ['queue'],
  command: ['queue'],
  pri: ['queue'],
};

const UNKNOWN_COMMAND: FieldTable = { Opcode: f(0, 7, 0) };

interface Layout {
  readonly kind: string;
  readonly section: string;
  readonly dwords: number;
  readonly table: FieldTable;
  readonly docOf: (name: string) => FieldDoc | undefined;
}

function layoutOf(sel: Extract<Selection, { kind: 'memory' }>, words: readonly bigint[]): Layout {
  if (sel.struct === 'command') {
    const info = commandInfo(words);
    if (!info)
      return {
        kind: 'Command queue entry (no known opcode)',
        section: '§4.1.1',
        dwords: 2,
        table: UNKNOWN_COMMAND,
        docOf: (n) => commandFieldDoc('', n),
      };
    return {
      kind: `Command ${info.title}`,
      section: COMMAND_SECTION[info.title] ?? info.section,
      dwords: 2,
      table: info.table,
      docOf: (n) => commandFieldDoc(info.title, n),
    };
  }
  // A descriptor is a table or a leaf by its level and bits[1:0], at this moment.
  const kind =
    sel.stage !== undefined && sel.level !== undefined && sel.struct.match(/^s[12]-/)
      ? (descriptorKind(sel.stage, sel.level, words[0] ?? 0n) as Exclude<StructureKind, 'command'>)
      : sel.struct;
  const info = STRUCTURES[kind];
  const docs = STRUCT_DOCS[structDocKey(kind)];
  const level = sel.level !== undefined ? ` (level ${sel.level})` : '';
  return {
    kind: info.title + level,
    section: info.section,
    dwords: info.dwords,
    table: info.table,
    docOf: (n) => docs[n],
  };
}

function decodeFields(
  table: FieldTable,
  words: readonly bigint[],
  prev: readonly bigint[] | undefined,
  docOf: (name: string) => FieldDoc | undefined,
): InspectedField[] {
  return Object.entries(table).map(([name, field]) => {
    const value = getField(words, field);
    const before = prev ? getField(prev, field) : value;
    const d = docOf(name);
    return {
      name,
      field,
      value,
      ...(before !== value ? { was: before } : {}),
      doc: d,
      meaning: valueMeaning(d, value, field.lo),
    };
  });
}

const changed = (a: readonly bigint[], b: readonly bigint[] | undefined): Set<number> =>
  new Set(b ? a.flatMap((w, i) => (b[i] !== undefined && b[i] !== w ? [i] : [])) : []);

/** The pointer field of a descriptor that names the next table, by structure kind. */
const NEXT_TABLE: Partial<Record<string, string>> = {
  'Stage-1 table descriptor': 'NextLevelTable',
  'Stage-2 table descriptor': 'NextLevelTable',
  'Level-1 Stream Table Descriptor': 'L2Ptr',
  'Level-1 Context Descriptor': 'L2Ptr',
};

/**
 * A table pointer that leads back into the table (the allocator's block, or without a kernel the
 * 4 KB frame) holding the descriptor: a pgd or io-pgtable entry at its own table, an L1STD into
 * the stream table's L1 array. Nothing the kernel writes does this; a write64 can. The walk
 * still ends (it reads one descriptor per level) but reads this same table again as the next
 * level; the diagram lists the table once.
 */
function cycleOf(
  world: World,
  pa: bigint,
  title: string,
  words: readonly bigint[],
  fields: readonly InspectedField[],
): string | undefined {
  const kind = title.replace(/ \(level \d\)$/, '');
  const ptr = fields.find((x) => x.name === NEXT_TABLE[kind]);
  // Valid: bit 0, but an L1STD has no V bit — Span 0 means invalid (§5.1).
  const span = fields.find((x) => x.name === 'Span');
  const valid = kind.startsWith('Level-1 Stream')
    ? (span?.value ?? 0n) !== 0n
    : (words[0]! & 1n) === 1n;
  if (!ptr || !valid) return undefined;
  const target = ptr.value << BigInt(ptr.field.lo);
  const k = world.kernel;
  const own = k ? blockAt(k.frames, pa) : undefined;
  const same = own ? blockAt(k!.frames, target) === own : target >> 12n === pa >> 12n;
  if (!same) return undefined;
  return `${ptr.name} ${hex(target)} points back into the table that holds this descriptor${own ? ` (${own.label})` : ''}: a cycle. The walk reads that table again as its next level; the diagram lists it once.`;
}

/** Why a memory selection no longer holds its structure, or undefined if it does. */
function whyMissing(sel: Extract<Selection, { kind: 'memory' }>, world: World): string | undefined {
  if (!world.mem.isRam(sel.pa)) return `${hex(sel.pa)} is not RAM`;
  const k = world.kernel;
  if (!k) return undefined;
  const block = blockAt(k.frames, sel.pa);
  if (!block) return `the frame at ${hex(sel.pa)} is free at this moment: the structure was freed`;
  if (!EXPECTED_USE[sel.struct].includes(block.use))
    return `the frame at ${hex(sel.pa)} now holds ${block.use} (${block.label})`;
  return undefined;
}

export function inspect(sel: Selection, world: World, prev: World | undefined): Inspected {
  if (sel.kind === 'reg') {
    const words = [world.smmu.regs[sel.reg]];
    const before = prev ? [prev.smmu.regs[sel.reg]] : undefined;
    const docs = REG_DOCS[sel.reg];
    return {
      title: sel.title,
      kind: `Register SMMU_${sel.reg}`,
      section: REG_SECTION[sel.reg],
      offset: REG_OFFSET[sel.reg],
      width: REG_WIDTH[sel.reg],
      words,
      changedWords: changed(words, before),
      fields: decodeFields(REG_FIELDS[sel.reg], words, before, (n) => docs[n]),
    };
  }
  const missing = whyMissing(sel, world);
  const probe = world.mem.readWords(sel.pa, 2) ?? [0n, 0n];
  const layout = layoutOf(sel, probe);
  const words = world.mem.readWords(sel.pa, layout.dwords);
  const base = {
    title: sel.title,
    kind: layout.kind,
    section: layout.section,
    pa: sel.pa,
    width: 64 as const,
  };
  if (missing !== undefined || !words)
    return {
      ...base,
      words: [],
      changedWords: new Set(),
      fields: [],
      missing: missing ?? `${hex(sel.pa)} cannot be read`,
    };
  const before =
    prev && !whyMissing(sel, prev) ? prev.mem.readWords(sel.pa, layout.dwords) : undefined;
  const block = world.kernel ? blockAt(world.kernel.frames, sel.pa) : undefined;
  const fields = decodeFields(layout.table, words, before, layout.docOf);
  const cycle = cycleOf(world, sel.pa, layout.kind, words, fields);
  return {
    ...base,
    words,
    changedWords: changed(words, before),
    fields,
    ...(block ? { where: block.label } : {}),
    ...(cycle ? { cycle } : {}),
  };
}

/** `dw0[3:1]`, `dw1[27]`; registers have one word and omit the `dw`. */
export function bitRange(fd: Field, register: boolean): string {
  const bits = fd.hi === fd.lo ? `[${fd.hi}]` : `[${fd.hi}:${fd.lo}]`;
  return register ? bits : `dw${fd.dw}${bits}`;
}
