// Which structure a changed word belongs to, and which of its named fields differ between two
// moments. Decoding goes through the stepper's decodeAs (the engine's field tables and the
// inspector's docs), so Compare names fields exactly as the step view and the inspector do.
// Pure: no React.
import { descriptorKind, type StructureKind } from '../../engine/index.ts';
import type { FrameBlock } from '../../kernel/index.ts';
import { decodeAs, type Decoded } from './decode.ts';

/** A structure in a kernel frame: where it starts, what to call it, how to decode it. */
export interface Located {
  readonly base: bigint;
  /** "STE 0x100", "CD 3", "L1CD[0]", "L3 entry [2]". */
  readonly what: string;
  readonly kind?: 'ste' | 'cd' | 'l1std' | 'l1cd' | 'descriptor';
  readonly dwords: number;
  /** Translation table level, for descriptors whose frame says it. */
  readonly level?: number;
}

const firstOf = (label: string, re: RegExp): number => {
  const m = re.exec(label);
  return m ? Number(m[1]) : 0;
};

/**
 * The level of a page-table frame from its allocator label ("page table L3 (ASID 66)",
 * "io-pgtable L2 table", "pgd of ml", "io-pgtable root of …"). The root is level 0: the kernel
 * and io-pgtable use 4 KB granules with 48-bit inputs, which start at level 0.
 */
export function frameLevel(label: string): number | undefined {
  const m = /\bL(\d)\b/.exec(label);
  if (m) return Number(m[1]);
  return /^(pgd|io-pgtable root)/.test(label) ? 0 : undefined;
}

/** The structure holding the word at `pa` in frame block `b` (STEs and CDs are 64 bytes). */
export function locate(b: FrameBlock, pa: bigint): Located {
  const off = pa - b.pa;
  const l1 = b.label.startsWith('L1 ');
  const at64 = b.pa + (off / 64n) * 64n;
  if (b.use === 'strtab') {
    if (l1) return { base: pa, what: `L1STD[${off / 8n}]`, kind: 'l1std', dwords: 1 };
    const sid = firstOf(b.label, /StreamIDs (0x[0-9a-f]+)/) + Number(off / 64n);
    return { base: at64, what: `STE 0x${sid.toString(16)}`, kind: 'ste', dwords: 8 };
  }
  if (b.use === 'cdtable') {
    if (l1) return { base: pa, what: `L1CD[${off / 8n}]`, kind: 'l1cd', dwords: 1 };
    const ssid = firstOf(b.label, /CDs (\d+)/) + Number(off / 64n);
    return { base: at64, what: `CD ${ssid}`, kind: 'cd', dwords: 8 };
  }
  const level = b.use === 'pgtable' || b.use === 'iopgtable' ? frameLevel(b.label) : undefined;
  return {
    base: pa,
    what: `${level !== undefined ? `L${level} ` : ''}entry [${off / 8n}]`,
    ...(level !== undefined ? { kind: 'descriptor' as const, level } : {}),
    dwords: 1,
  };
}

/**
 * Decodes a structure's words as `loc` says; a descriptor is a table or a leaf by its bits[1:0].
 * An invalid descriptor has no type of its own: it is read with the layout of `other` (the same
 * entry at the other moment), so "invalid → table" lists the table's fields, not a leaf's.
 */
export function decodeLocated(
  loc: Located,
  words: readonly bigint[],
  other?: readonly bigint[],
): Decoded | undefined {
  if (!loc.kind) return undefined;
  if (loc.kind !== 'descriptor') return decodeAs(loc.kind, words);
  const w = words[0] ?? 0n;
  const typed = (w & 1n) === 1n || other === undefined ? w : (other[0] ?? 0n);
  const kind: StructureKind = descriptorKind(1, loc.level ?? 3, typed);
  return decodeAs(kind, words, loc.level);
}

export interface FieldChange {
  readonly name: string;
  /** `dw0[31]`; both sides' when a descriptor changed between table and leaf. */
  readonly bits: string;
  /** Undefined when the field does not exist on that side (table ⇄ leaf). */
  readonly before?: bigint;
  readonly after?: bigint;
  readonly beforeMeaning?: string;
  readonly afterMeaning?: string;
}

/** The named fields whose value differs, in the order of the structure's field table. */
export function fieldChanges(
  loc: Located,
  before: readonly bigint[],
  after: readonly bigint[],
): FieldChange[] {
  const a = decodeLocated(loc, before, after);
  const b = decodeLocated(loc, after, before);
  if (!a || !b) return [];
  const fa = new Map(a.fields.map((f) => [f.name, f]));
  const fb = new Map(b.fields.map((f) => [f.name, f]));
  const names = [...fb.keys(), ...[...fa.keys()].filter((n) => !fb.has(n))];
  const out: FieldChange[] = [];
  for (const name of names) {
    const x = fa.get(name);
    const y = fb.get(name);
    if (x && y && x.value === y.value && x.bits === y.bits) continue;
    out.push({
      name,
      bits: y?.bits ?? x!.bits,
      ...(x ? { before: x.value } : {}),
      ...(y ? { after: y.value } : {}),
      ...(x?.meaning !== undefined ? { beforeMeaning: x.meaning } : {}),
      ...(y?.meaning !== undefined ? { afterMeaning: y.meaning } : {}),
    });
  }
  return out;
}
