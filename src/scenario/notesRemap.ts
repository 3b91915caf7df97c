// Keeping notes and tours pointed at the same ops when the ops list is edited (an op deleted,
// moved or inserted): each op index goes through `to`, and what pointed at an op that is gone is
// dropped (a stop with it; a tour left with no stop with them). Without this, deleting an op
// would leave a note past the end and the edited document would be refused.
import type { ScenarioDoc } from './format.ts';
import type { NoteDoc, StopDoc, TargetDoc, TourDoc } from './notes.ts';

/** New index of old op `i`, or undefined when that op is gone. */
export type OpMap = (i: number) => number | undefined;

function target(t: TargetDoc | undefined, to: OpMap): TargetDoc | undefined | null {
  if (!t || !('op' in t)) return t;
  const op = to(t.op);
  return op === undefined ? null : { op };
}

function moved<T extends NoteDoc | StopDoc>(x: T, key: 'on' | 'focus', to: OpMap): T | undefined {
  const op = to(x.at.op);
  if (op === undefined) return undefined;
  const out: Record<string, unknown> = { ...x, at: { ...x.at, op } };
  const t = target(out[key] as TargetDoc | undefined, to);
  if (t === null) delete out[key];
  else if (t) out[key] = t;
  return out as T;
}

export function remapAnnotations(doc: ScenarioDoc, to: OpMap): ScenarioDoc {
  if (!doc.notes && !doc.tours) return doc;
  const out = { ...doc };
  if (doc.notes) out.notes = doc.notes.flatMap((n) => moved(n, 'on', to) ?? []);
  if (doc.tours)
    out.tours = doc.tours.flatMap((t): TourDoc[] => {
      const stops = t.stops.flatMap((s) => moved(s, 'focus', to) ?? []);
      return stops.length ? [{ ...t, stops }] : [];
    });
  return out;
}

/** The OpMap of deleting op `i`. */
export const afterDelete =
  (i: number): OpMap =>
  (j) =>
    j === i ? undefined : j > i ? j - 1 : j;

/** The OpMap of moving op `from` to index `to` (the op travels with its notes). */
export const afterMove =
  (from: number, to: number): OpMap =>
  (j) => {
    if (j === from) return to;
    const k = j > from ? j - 1 : j; // removed
    return k >= to ? k + 1 : k; // reinserted
  };

/** The OpMap of inserting a new op at index `at`. */
export const afterInsert =
  (at: number): OpMap =>
  (j) =>
    j >= at ? j + 1 : j;
