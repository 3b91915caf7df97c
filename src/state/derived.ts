// What the views show, derived from the timeline and memoised per timeline: the world after an
// op, its diagram model, what the op changed, and its flow for the stepper. One home for these
// caches: a new timeline (any edit, undo, a new scenario) is a new key, so nothing is ever stale,
// and the old timeline's entries go with it (WeakMap). The UI selects and renders them.
import {
  buildModel,
  findFault,
  flowOf,
  NO_CHANGES,
  opChanges,
  sinceOp,
  staleEntries,
  staleHitsOf,
  staleMarks,
  worldAtSeq,
  writeHistory,
  type Changes,
  type DiagramModel,
  type FaultKind,
  type FlowStep,
  type ModelHint,
  type Moment,
  type StaleHit,
  type StaleMarks,
} from '../diagram/index.ts';
import { cloneWorld, runOp, type Timeline, type World } from '../scenario/index.ts';

/**
 * Memoises `compute(t, key)` per timeline, keeping the `keep` most recently computed keys (a
 * scrub back and forth reuses them; a long scenario does not keep every world alive).
 */
function perTimeline<K, T>(keep: number, compute: (t: Timeline, key: K) => T) {
  const cache = new WeakMap<Timeline, Map<K, T>>();
  return Object.assign(get, {
    /** The cached value, if there is one (nothing is computed). */
    peek: (t: Timeline, key: K): T | undefined => cache.get(t)?.get(key),
  });
  function get(t: Timeline, key: K): T {
    let m = cache.get(t);
    if (!m) cache.set(t, (m = new Map<K, T>()));
    let v = m.get(key);
    if (v === undefined) {
      v = compute(t, key);
      if (m.size > keep) m.delete(m.keys().next().value!);
      m.set(key, v);
    }
    return v;
  }
}

/** A cache of a value at the stepper's moments inside an op: `op` after its activity `upTo`. */
function perMoment<T>(keep: number, compute: (t: Timeline, op: number, upTo: number) => T) {
  const cached = perTimeline(keep, (t, moment: string) => {
    const [op, upTo] = moment.split('@').map(Number) as [number, number];
    return compute(t, op, upTo);
  });
  return (t: Timeline, op: number, upTo: number): T => cached(t, `${op}@${upTo}`);
}

/**
 * The world after op `op` (op = −1: after boot). With the world before it cached (a step forward;
 * a jump asks for the op's changes and flow, which read the world before it first), that world
 * and the op, as the timeline replays from a checkpoint (runs are deterministic): one op run, not
 * the checkpoint's replay again.
 */
export const worldAt = perTimeline(16, (t, op: number): World => {
  const before = op >= 0 ? worldAt.peek(t, op - 1) : undefined;
  const o = t.scenario.ops[op];
  if (!before || !o || op >= t.records.length) return t.stateAt(op + 1);
  const w = cloneWorld(before);
  runOp(w, o, op);
  return w;
});

/**
 * The model after op `op`, its unchanged tables taken from a neighbour's model when one is cached
 * (the op after it, or the op itself from the one before): a jump builds the op's model and the
 * one before it, and a step builds the next.
 */
const modelAfter = perTimeline(32, (t, op: number): DiagramModel => {
  const writes = (i: number) => (t.records[i]?.writes ?? []).map((w) => w.pa);
  const next = modelAfter.peek(t, op + 1);
  const prev = next ? undefined : modelAfter.peek(t, op - 1);
  const hint: ModelHint | undefined = next
    ? { from: next, written: writes(op + 1) }
    : prev && op >= 0
      ? { from: prev, written: writes(op) }
      : undefined;
  return buildModel(worldAt(t, op), hint);
});
/**
 * Mid-op, memory is the world before the op with some of the op's writes made: a table none of
 * the op's words touches reads as in the model before the op and the model after it, so the
 * stepper's model (a jump with the stepper open builds it) takes those from whichever is cached.
 */
const modelDuring = perMoment(8, (t, op, upTo) => {
  const from = modelAfter.peek(t, op - 1) ?? modelAfter.peek(t, op);
  const written = (t.records[op]?.writes ?? []).map((w) => w.pa);
  return buildModel(
    worldAtSeq(t.records[op]!, worldAt(t, op), upTo),
    from ? { from, written } : undefined,
  );
});

/**
 * The diagram model after op `op`; with `upTo`, in the middle of the op: memory as it was after
 * the op's activity `upTo` (the stepper's moment), its later writes undone.
 */
export function modelAt(t: Timeline, op: number, upTo?: number): DiagramModel {
  return upTo !== undefined && t.records[op] ? modelDuring(t, op, upTo) : modelAfter(t, op);
}

function changes(t: Timeline, op: number, upTo?: number): Changes {
  const r = t.records[op];
  if (!r || op < 0) return NO_CHANGES;
  const writes = upTo === undefined ? r.writes : r.writes.filter((w) => (w.seq ?? 0) <= upTo);
  return opChanges(modelAt(t, op - 1), modelAt(t, op, upTo), writes);
}
const changesAfter = perTimeline(32, (t, op: number) => changes(t, op));
const changesDuring = perMoment(8, changes);

/** What op `op` changed in the model (up to activity `upTo` while stepping through it). */
export const changesAt = (t: Timeline, op: number, upTo?: number): Changes =>
  upTo === undefined ? changesAfter(t, op) : changesDuring(t, op, upTo);

const flowOfOp = perTimeline(64, (t, op: number): FlowStep[] =>
  flowOf(t.records[op]!, worldAt(t, op - 1), worldAt(t, op)),
);

/** The flow of op `op` for the stepper (op < 0, before the first op, has none). */
export const flowAt = (t: Timeline, op: number): FlowStep[] =>
  t.records[op] ? flowOfOp(t, op) : [];

/** The next (dir 1) or previous (dir −1) fault step of the scenario from a moment. */
export const faultFrom = (
  t: Timeline,
  from: Moment,
  dir: 1 | -1,
): (Moment & { kind: FaultKind }) | undefined => findFault(t, from, dir, (op) => flowAt(t, op));

/** Every write of the timeline by word address (built once, when something is stale). */
const historyOf = perTimeline(1, (t, _all: 0) => writeHistory(t.records));

/**
 * The stale TLB, configuration cache and ATC entries after op `op`, each with the op that made it
 * stale (the write that took its first source word away from the cached value).
 */
export const staleAt = perTimeline(32, (t, op: number): StaleMarks =>
  staleMarks(staleEntries(worldAt(t, op), (w) => sinceOp(historyOf(t, 0), w, op))),
);

/** A stale hit of op `op`'s device access, with the op that made the entry stale. */
export interface StaleHitAt extends StaleHit {
  readonly since: number | undefined;
}

/** The stale hits of op `op` (a dma), each with since which op the entry was stale. */
export const staleHitsAt = perTimeline(32, (t, op: number): readonly StaleHitAt[] => {
  const r = t.records[op];
  if (!r) return [];
  return staleHitsOf(r).map((h) => {
    let since: number | undefined;
    for (const w of h.words) {
      const s = sinceOp(historyOf(t, 0), w, op);
      if (s !== undefined && (since === undefined || s < since)) since = s;
    }
    return { ...h, since };
  });
});
