// Which field table describes which structure, for decoding any word the UI or CLI shows.
import { decode, type FieldTable } from './bits.ts';
import { CD, L1CD, L1STD } from './cd.ts';
import { COMMAND_BY_OPCODE } from './commands.ts';
import { S1_LEAF, S1_TABLE, S2_LEAF, S2_TABLE } from './descriptor.ts';
import { EVTQ } from './events.ts';
import { assertNever } from './never.ts';
import { PRIQ } from './priq.ts';
import { STE } from './ste.ts';
import type { TraceStep } from './trace.ts';

export type StructureKind =
  | 'ste'
  | 'cd'
  | 'l1std'
  | 'l1cd'
  | 's1-table'
  | 's1-leaf'
  | 's2-table'
  | 's2-leaf'
  | 'event'
  | 'command'
  | 'pri';

export interface StructureInfo {
  readonly title: string;
  readonly section: string;
  readonly dwords: number;
  readonly table: FieldTable;
}

export const STRUCTURES: Readonly<Record<Exclude<StructureKind, 'command'>, StructureInfo>> = {
  ste: { title: 'Stream Table Entry', section: '§5.2', dwords: 8, table: STE },
  cd: { title: 'Context Descriptor', section: '§5.4', dwords: 8, table: CD },
  l1std: { title: 'Level-1 Stream Table Descriptor', section: '§5.1', dwords: 1, table: L1STD },
  l1cd: { title: 'Level-1 Context Descriptor', section: '§5.3', dwords: 1, table: L1CD },
  's1-table': {
    title: 'Stage-1 table descriptor',
    section: 'Arm ARM D8.3',
    dwords: 1,
    table: S1_TABLE,
  },
  's1-leaf': {
    title: 'Stage-1 block/page descriptor',
    section: 'Arm ARM D8.3',
    dwords: 1,
    table: S1_LEAF,
  },
  's2-table': {
    title: 'Stage-2 table descriptor',
    section: 'Arm ARM D8.3',
    dwords: 1,
    table: S2_TABLE,
  },
  's2-leaf': {
    title: 'Stage-2 block/page descriptor',
    section: 'Arm ARM D8.3',
    dwords: 1,
    table: S2_LEAF,
  },
  event: { title: 'Event record', section: '§7.3', dwords: 4, table: EVTQ },
  pri: { title: 'PRI queue entry (page request)', section: '§8.1', dwords: 2, table: PRIQ },
};

/** The field table for a command's opcode (dw0[7:0]). */
export function commandInfo(raw: readonly bigint[]): StructureInfo | undefined {
  const c = COMMAND_BY_OPCODE.get(Number((raw[0] ?? 0n) & 0xffn));
  return c ? { title: c.name, section: '§4', dwords: 2, table: c.fields } : undefined;
}

/** A descriptor word's structure kind: table or leaf, by level and bits[1:0]. */
export function descriptorKind(stage: 1 | 2, level: number, word: bigint): StructureKind {
  const table = level < 3 && (word & 3n) === 3n;
  return stage === 1 ? (table ? 's1-table' : 's1-leaf') : table ? 's2-table' : 's2-leaf';
}

export function decodeStructure(
  kind: StructureKind,
  words: readonly bigint[],
): Record<string, bigint> {
  const info = kind === 'command' ? commandInfo(words) : STRUCTURES[kind];
  return info ? decode(info.table, words) : {};
}

/**
 * The structure a trace step's words are: the STE, CD or L1 descriptor it read, or for a walk
 * step (and an HTTU write) a table or leaf descriptor by stage, level and bits[1:0]. Steps that
 * read no structure (decisions, cache hits, events, the result) have none.
 */
export function stepStructure(step: TraceStep): StructureKind | undefined {
  switch (step.kind) {
    case 'l1std':
    case 'ste':
    case 'l1cd':
    case 'cd':
      return step.kind;
    case 'tt':
    case 'httu': {
      const word = step.value[0];
      return word === undefined ? undefined : descriptorKind(step.stage, step.level, word);
    }
    case 'cfg-hit':
    case 'tlb-hit':
    case 'tlb-miss':
    case 'atc-hit':
    case 'decision':
    case 'event':
    case 'result':
      return undefined;
    default:
      return assertNever(step, 'trace step');
  }
}

/**
 * The spec-named fields of the words a step read (or wrote), decoded on demand: the trace keeps
 * raw words only, so recording stays cheap and a caller that shows fields (the CLI's dma.steps,
 * an inspector) pays for the decode. Undefined for steps that read no structure.
 */
export function stepFields(step: TraceStep): Record<string, bigint> | undefined {
  const kind = stepStructure(step);
  return kind && 'value' in step ? decodeStructure(kind, step.value) : undefined;
}
