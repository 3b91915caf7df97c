// Decoding the words a step shows: the engine's own field tables (STRUCTURES, commandInfo,
// descriptorKind) and the inspector's one-line docs. Pure: no React.
import {
  commandInfo,
  getField,
  stepInput,
  stepStructure,
  STRUCTURES,
  type FieldTable,
  type StructureKind,
  type TraceStep,
} from '../../engine/index.ts';
import type { FlowStep } from '../../diagram/flow.ts';
import {
  COMMAND_SECTION,
  commandFieldDoc,
  STRUCT_DOCS,
  structDocKey,
  valueMeaning,
  type FieldDoc,
} from '../inspector/fieldDocs.ts';
import { bitRange } from '../inspector/inspect.ts';

export interface FieldRow {
  readonly name: string;
  /** `dw0[47:12]`. */
  readonly bits: string;
  readonly value: bigint;
  readonly meaning?: string;
  readonly doc?: FieldDoc;
}

export interface Decoded {
  readonly kind: StructureKind;
  /** "Stage-1 table descriptor (level 0)". */
  readonly title: string;
  readonly section: string;
  readonly words: readonly bigint[];
  readonly fields: readonly FieldRow[];
}

function rows(
  table: FieldTable,
  words: readonly bigint[],
  docOf: (n: string) => FieldDoc | undefined,
): FieldRow[] {
  return Object.entries(table).map(([name, fd]) => {
    const value = getField(words, fd);
    const doc = docOf(name);
    const meaning = valueMeaning(doc, value, fd.lo);
    return {
      name,
      bits: bitRange(fd, false),
      value,
      ...(meaning !== undefined ? { meaning } : {}),
      ...(doc ? { doc } : {}),
    };
  });
}

/** Decodes `words` as a structure of `kind` (a command by its opcode). */
export function decodeAs(
  kind: StructureKind,
  words: readonly bigint[],
  level?: number,
): Decoded | undefined {
  if (kind === 'command') {
    const info = commandInfo(words);
    if (!info) return undefined;
    return {
      kind,
      title: info.title,
      section: COMMAND_SECTION[info.title] ?? info.section,
      words,
      fields: rows(info.table, words, (n) => commandFieldDoc(info.title, n)),
    };
  }
  const info = STRUCTURES[kind];
  const docs = STRUCT_DOCS[structDocKey(kind)];
  return {
    kind,
    title: info.title + (level !== undefined ? ` (level ${level})` : ''),
    section: info.section,
    words: words.slice(0, info.dwords),
    fields: rows(info.table, words, (n) => docs[n]),
  };
}

/** The decoded words of a flow step: the descriptor read, the command, the record written. */
export function decodeStep(s: FlowStep): Decoded | undefined {
  const t = s.trace;
  if (t && t.kind !== 'event') {
    const kind = stepStructure(t);
    if (!kind || !('value' in t)) return undefined;
    return decodeAs(kind, t.value, t.kind === 'tt' || t.kind === 'httu' ? t.level : undefined);
  }
  if (s.struct === 'command' && s.words) return decodeAs('command', s.words);
  if (s.struct === 'pri' && s.words) return decodeAs('pri', s.words);
  if (s.struct === 'event' && s.words) return decodeAs('event', s.words);
  return undefined;
}

/** Where a walk step's word is: the table base plus index × entry size. */
export function addressOf(t: TraceStep): string | undefined {
  const input = stepInput(t);
  if (!('pa' in t) || !input) return undefined;
  const ipa = 'ipa' in t ? t.ipa : undefined;
  const size = t.kind === 'ste' || t.kind === 'cd' ? 64n : 8n;
  const index = BigInt(input.index);
  const base = (ipa ?? t.pa) - index * size;
  const hx = (v: bigint) => '0x' + v.toString(16);
  const where = `${hx(base)} + ${input.index} × ${size} = ${hx(ipa ?? t.pa)}`;
  return ipa !== undefined ? `IPA ${where} (stage 2 → PA ${hx(t.pa)})` : where;
}

/** The fields worth showing by default: the non-zero ones and the valid bit. */
export const shownByDefault = (f: FieldRow): boolean =>
  f.value !== 0n || f.name === 'Valid' || f.name === 'V' || f.name === 'EventID';
