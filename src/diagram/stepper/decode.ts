// Decoding the words a step shows: the engine's own field tables (STRUCTURES, commandInfo,
// descriptorKind) and the inspector's one-line docs. Pure: no React.
import {
  commandInfo,
  descriptorKind,
  getField,
  stepInput,
  stepStructure,
  STRUCTURES,
  type FieldTable,
  type StructureKind,
  type TraceStep,
} from '../../engine/index.ts';
import type { OpRecord, World } from '../../scenario/index.ts';
import type { FlowStep } from '../flow.ts';
import { wordsAt } from '../flowWrites.ts';
import {
  COMMAND_SECTION,
  commandFieldDoc,
  STRUCT_DOCS,
  structDocKey,
  valueMeaning,
  type FieldDoc,
} from '../fieldDocs.ts';
import { bitRange } from '../inspect.ts';

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

/**
 * A structure written by the kernel, decoded as it was right after this step's writes: the
 * world after the op with the op's later writes undone. (A CD is published in two steps, V=1
 * last; reading the end of the op would show V=1 at the first.)
 */
export function decodeWritten(
  s: FlowStep,
  after: World | undefined,
  record: OpRecord | undefined,
): Decoded | undefined {
  if (s.kind !== 'write' || s.pa === undefined || !after) return undefined;
  const read = (pa: bigint, n: number): bigint[] | undefined =>
    record && s.seq !== undefined
      ? wordsAt(record, after, pa, n, s.seq)
      : after.mem.readWords(pa, n);
  const label = /\((.*)\) written$/.exec(s.title)?.[1] ?? '';
  const l1 = label.startsWith('L1 ');
  if (s.title.startsWith('CD table') || s.title.startsWith('stream table')) {
    const cd = s.title.startsWith('CD table');
    if (l1) {
      const w = read(s.pa, 1);
      return w ? decodeAs(cd ? 'l1cd' : 'l1std', w) : undefined;
    }
    const base = s.pa & ~63n;
    const w = read(base, 8);
    return w ? decodeAs(cd ? 'cd' : 'ste', w) : undefined;
  }
  if (s.title.startsWith('CPU page table') || s.title.startsWith('io-pgtable')) {
    const m = /\bL(\d)\b/.exec(label);
    const level = m ? Number(m[1]) : /^(pgd|io-pgtable root)/.test(label) ? 0 : undefined;
    const w = read(s.pa, 1);
    if (level === undefined || !w) return undefined;
    return decodeAs(descriptorKind(1, level, w[0]!), w, level);
  }
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

/** The short names of the structures an ID indexes: level-1 descriptors, STEs and CDs. */
export const ID_STRUCT_NAME: Readonly<Partial<Record<StructureKind, string>>> = {
  l1std: 'L1STD',
  ste: 'STE',
  l1cd: 'L1CD',
  cd: 'CD',
};

/** "stage 1 · level 0", "STE", "stage 2 for TT · level 1". */
export function levelText(t: TraceStep): string | undefined {
  if (t.kind === 'tt' || t.kind === 'httu')
    return `${t.nested ? `stage 2 for ${t.nested}` : `stage ${t.stage}`} · level ${t.level}`;
  const s = stepStructure(t);
  return s && ID_STRUCT_NAME[s];
}

/** The fields worth showing by default: the non-zero ones and the valid bit. */
export const shownByDefault = (f: FieldRow): boolean =>
  f.value !== 0n || f.name === 'Valid' || f.name === 'V' || f.name === 'EventID';
