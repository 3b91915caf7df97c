// One-line meanings and spec sections for every field of every engine field table (STE, CD,
// L1STD, L1CD, descriptors, event and PRI records, commands, registers). Written from
// ../shared/reference/smmuv3.md and the spec text (Arm IHI 0070 G.b; descriptors: Arm ARM D8.3).
// Pure data: no React. A unit test checks that every engine field has a doc here.
// The front door: the tables live in fieldDocs/ by structure family.
import type { StructureKind } from '../engine/index.ts';
import { CD_DOCS, L1CD_DOCS } from './fieldDocs/cd.ts';
import {
  S1_LEAF_DOCS,
  S1_TABLE_DOCS,
  S2_LEAF_DOCS,
  S2_TABLE_DOCS,
} from './fieldDocs/descriptors.ts';
import { EVTQ_DOCS, PRIQ_DOCS } from './fieldDocs/queues.ts';
import type { DocTable } from './fieldDocs/shared.ts';
import { L1STD_DOCS, STE_DOCS } from './fieldDocs/ste.ts';

export { COMMAND_SECTION, commandFieldDoc } from './fieldDocs/commands.ts';
export { REG_DOCS, REG_SECTION, REG_WIDTH, regFieldDoc } from './fieldDocs/registers.ts';
export { valueMeaning, type DocTable, type FieldDoc } from './fieldDocs/shared.ts';

export type StructDocKey =
  | 'STE'
  | 'CD'
  | 'L1STD'
  | 'L1CD'
  | 'S1_TABLE'
  | 'S1_LEAF'
  | 'S2_TABLE'
  | 'S2_LEAF'
  | 'EVTQ'
  | 'PRIQ';

export const STRUCT_DOCS: Readonly<Record<StructDocKey, DocTable>> = {
  STE: STE_DOCS,
  CD: CD_DOCS,
  L1STD: L1STD_DOCS,
  L1CD: L1CD_DOCS,
  S1_TABLE: S1_TABLE_DOCS,
  S1_LEAF: S1_LEAF_DOCS,
  S2_TABLE: S2_TABLE_DOCS,
  S2_LEAF: S2_LEAF_DOCS,
  EVTQ: EVTQ_DOCS,
  PRIQ: PRIQ_DOCS,
};

const KIND_TO_DOC: Readonly<Record<Exclude<StructureKind, 'command'>, StructDocKey>> = {
  ste: 'STE',
  cd: 'CD',
  l1std: 'L1STD',
  l1cd: 'L1CD',
  's1-table': 'S1_TABLE',
  's1-leaf': 'S1_LEAF',
  's2-table': 'S2_TABLE',
  's2-leaf': 'S2_LEAF',
  event: 'EVTQ',
  pri: 'PRIQ',
};

export const structDocKey = (kind: Exclude<StructureKind, 'command'>): StructDocKey =>
  KIND_TO_DOC[kind];
