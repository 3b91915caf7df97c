// The compact form a link carries: the document minus everything that equals its default, ops as
// positional arrays ["bind", "gpu", "game", "private"], numbers in plain lowercase hex. It is
// version 1 of the link payload; expand() gives back an ordinary scenario (a plain document).
import { parseU64 } from '../engine/index.ts';
import { DEFAULT_ERA } from '../kernel/index.ts';
import {
  FORMAT,
  linkSpec,
  OP_NAMES,
  upgradeDoc,
  VERSION,
  type OpDoc,
  type ScenarioDoc,
} from '../scenario/index.ts';
import { compactNotes, compactTours, expandNotes, expandTours } from './compactNotes.ts';

/**
 * Field order per op, from each op's definition (scenario/ops/, `link`). The order is part of
 * link version 1: never reorder, only append. An op without one (cmd) travels as an object.
 */
export const OP_FIELDS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  OP_NAMES.flatMap((n) => {
    const spec = linkSpec(n);
    return spec === 'object' ? [] : [[n, spec.fields]];
  }),
);

/** Values equal to these are left out (scenario-format.md defaults). */
const DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = Object.fromEntries(
  OP_NAMES.flatMap((n) => {
    const spec = linkSpec(n);
    return spec === 'object' || !spec.defaults ? [] : [[n, spec.defaults]];
  }),
);

/**
 * Own-property lookup. A link is untrusted input: a plain `OP_FIELDS[name]` with a name such as
 * "constructor", "__proto__" or "toString" finds Object.prototype's members instead of nothing.
 */
const own = <T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined =>
  typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;

const NUMERIC = new Set(['iova', 'size', 'pa', 'addr', 'stride', 'value', 'ramBase', 'ramSize']);

/** "0x7f00_0000_0000" → "7f0000000000"; the link form of a 64-bit string. */
const packNum = (s: string): string => parseU64(s)!.toString(16);
const unpackNum = (s: string): string => `0x${s}`;

export type CompactOp = (string | number | boolean | null)[] | Record<string, unknown>;

export interface CompactDoc {
  t?: string;
  k?: string;
  p?: unknown;
  o: CompactOp[];
  c?: [number, number];
  /** Notes (compactNotes.ts); appended to version 1: a link without them reads as before. */
  n?: unknown;
  /** Tours (compactNotes.ts); appended to version 1 likewise. */
  r?: unknown;
}

export function compact(given: ScenarioDoc): CompactDoc {
  // A link carries the current version's meaning: a version-1 "mainline" is written as v6.11.
  const doc = upgradeDoc(given);
  const out: CompactDoc = { o: doc.ops.map(compactOp) };
  if (doc.title !== undefined) out.t = doc.title;
  if (doc.kernel && doc.kernel !== DEFAULT_ERA) out.k = doc.kernel;
  if (
    doc.platform &&
    (Object.keys(doc.platform.smmu ?? {}).length || Object.keys(doc.platform.cpu ?? {}).length)
  )
    out.p = doc.platform;
  if (doc.cursor) out.c = [doc.cursor.op, doc.cursor.step];
  if (doc.notes?.length) out.n = compactNotes(doc.notes);
  if (doc.tours?.length) out.r = compactTours(doc.tours);
  return out;
}

/**
 * Whether two valid documents hold the same scenario (cursor aside): the compact form spells
 * numbers one way and leaves defaults out, so "0x1000_0000" and "268435456", or a missing kernel
 * and "rfc2017" (or a version-1 "mainline" and "v6.11"), compare equal. A link decodes to that spelling, not the one the user typed.
 */
export function sameScenario(a: ScenarioDoc, b: ScenarioDoc): boolean {
  const key = ({ cursor: _c, ...d }: ScenarioDoc): string => JSON.stringify(compact(d));
  return key(a) === key(b);
}

function compactOp(op: OpDoc): CompactOp {
  const order = own(OP_FIELDS, op.op);
  const rec = op as unknown as Record<string, unknown>;
  if (!order) return { ...rec }; // cmd: fields depend on the opcode; kept as an object
  const defaults = own(DEFAULTS, op.op) ?? {};
  const arr: (string | number | boolean | null)[] = [op.op];
  for (const f of order) {
    let v = rec[f];
    if (v === undefined || defaults[f] === v) v = null;
    else if (NUMERIC.has(f) && typeof v === 'string') v = packNum(v);
    arr.push(v as string | number | boolean | null);
  }
  while (arr.length > 1 && arr[arr.length - 1] === null) arr.pop();
  return arr;
}

/**
 * Back to a plain scenario. The input came from a link, so nothing about its shape is trusted:
 * whatever this builds is validated by parseScenario like any other input, and wrong shapes
 * (a cursor that is not two numbers, an op that is neither a list nor an object) pass through
 * as values the schema then names.
 */
export function expand(c: CompactDoc): ScenarioDoc {
  const doc: ScenarioDoc = { format: FORMAT, version: VERSION, ops: c.o.map(expandOp) };
  if (c.t !== undefined) doc.title = c.t;
  doc.kernel = c.k ?? DEFAULT_ERA;
  if (c.p !== undefined) doc.platform = c.p as NonNullable<ScenarioDoc['platform']>;
  if (c.c !== undefined) doc.cursor = Array.isArray(c.c) ? { op: c.c[0], step: c.c[1] } : c.c;
  if (c.n !== undefined) doc.notes = expandNotes(c.n);
  if (c.r !== undefined) doc.tours = expandTours(c.r);
  return doc;
}

function expandOp(a: CompactOp): OpDoc {
  if (!Array.isArray(a)) return a as unknown as OpDoc;
  const [name, ...vals] = a;
  const order = own(OP_FIELDS, name);
  const op: Record<string, unknown> = { op: name };
  if (!order) return op as unknown as OpDoc; // unknown op: validation names it
  for (const [i, f] of order.entries()) {
    const v = vals[i];
    if (v === null || v === undefined) continue;
    op[f] = NUMERIC.has(f) && typeof v === 'string' ? unpackNum(v) : v;
  }
  // Values beyond the op's fields were not written by any encoder: refuse rather than drop them.
  if (vals.length > order.length) op[`(field ${order.length + 1})`] = vals[order.length];
  return op as unknown as OpDoc;
}
