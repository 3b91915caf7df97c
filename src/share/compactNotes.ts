// How a link spells notes and tours (appended to link version 1 as the fields `n` and `r`; a
// link without them decodes exactly as before). A note is [op, step, text] or [op, step, text,
// target]; a tour is [title, stops] with each stop spelt like a note. A target keeps its document
// shape, with a structure's `pa` in bare lowercase hex like the ops' numbers. Frozen once
// released: never reorder, only append.
//
// expand*() trusts nothing: a wrong shape passes through as a value parseScenario then names
// (`notes[2]: …`), never as an exception.
import { parseU64 } from '../engine/index.ts';
import type { NoteDoc, TargetDoc, TourDoc } from '../scenario/index.ts';

type Packed = (string | number | Record<string, unknown>)[];

function packTarget(t: TargetDoc): Record<string, unknown> {
  if (!('pa' in t)) return { ...t };
  const pa = parseU64(t.pa);
  return { ...t, pa: pa === undefined ? t.pa : pa.toString(16) };
}

function unpackTarget(t: unknown): unknown {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) return t;
  const o = t as Record<string, unknown>;
  return typeof o.pa === 'string' && /^[0-9a-f]+$/.test(o.pa) ? { ...o, pa: `0x${o.pa}` } : o;
}

const packMoment = (
  at: { op: number; step: number },
  text: string,
  target: TargetDoc | undefined,
): Packed => (target ? [at.op, at.step, text, packTarget(target)] : [at.op, at.step, text]);

/** [op, step, text, target?] back to {at, text, <key>?}; anything else passes through. */
function unpackMoment(a: unknown, key: 'on' | 'focus'): unknown {
  if (!Array.isArray(a)) return a;
  const [op, step, text, target, ...rest] = a as unknown[];
  const o: Record<string, unknown> = { at: { op, step }, text };
  if (target !== undefined) o[key] = unpackTarget(target);
  // Values no encoder wrote: refuse rather than drop them (the schema names the field).
  if (rest.length) o['(field 5)'] = rest[0];
  return o;
}

export const compactNotes = (notes: readonly NoteDoc[]): Packed[] =>
  notes.map((n) => packMoment(n.at, n.text, n.on));

export const compactTours = (tours: readonly TourDoc[]): unknown[] =>
  tours.map((t) => [t.title, t.stops.map((s) => packMoment(s.at, s.text, s.focus))]);

export function expandNotes(v: unknown): NoteDoc[] {
  return (Array.isArray(v) ? v.map((n) => unpackMoment(n, 'on')) : v) as NoteDoc[];
}

export function expandTours(v: unknown): TourDoc[] {
  if (!Array.isArray(v)) return v as TourDoc[];
  return (v as unknown[]).map((t) => {
    if (!Array.isArray(t)) return t;
    const [title, stops, ...rest] = t as unknown[];
    const o: Record<string, unknown> = {
      title,
      stops: Array.isArray(stops) ? stops.map((s) => unpackMoment(s, 'focus')) : stops,
    };
    if (rest.length) o['(field 3)'] = rest[0];
    return o;
  }) as TourDoc[];
}
