// Fault steps across a scenario: which steps of an op's flow are faults (an event recorded, a
// stall, a page request, an ATS Translation Request denied, an event built but not recorded),
// and where the next or previous one is from a cursor. Flows are computed only for ops whose
// record says they faulted. Pure: no React; the caller (state) supplies and caches the flows.
import { encodeEvent } from '../../engine/index.ts';
import type { FlowStep } from '../flow.ts';
import type { OpRecord, Timeline } from '../../scenario/index.ts';

export type FaultKind = 'event' | 'stall' | 'page-request' | 'ats-denied' | 'not-recorded';

export const FAULT_LABEL: Readonly<Record<FaultKind, string>> = {
  event: 'event recorded',
  stall: 'stalled transaction',
  'page-request': 'page request',
  'ats-denied': 'ATS translation denied',
  'not-recorded': 'event not recorded',
};

/** The attempt's device step says how the device asked (ATS Translation Request or not). */
const isAts = (steps: readonly FlowStep[], attempt: number | undefined): boolean =>
  steps.some(
    (d) => d.lane === 'device' && d.attempt === attempt && d.detail.startsWith('ATS Translation'),
  );

export function faultKind(steps: readonly FlowStep[], i: number): FaultKind | undefined {
  const s = steps[i];
  if (!s) return undefined;
  if (s.kind === 'page-request') return 'page-request';
  const t = s.trace;
  if (t?.kind === 'event') {
    if (t.eventSlot !== undefined) return t.event?.stall ? 'stall' : 'event';
    return isAts(steps, s.attempt) ? 'ats-denied' : 'not-recorded';
  }
  if (s.lane === 'evtq' && s.kind === 'event') {
    // An event outside a walk (a CMD_RESUME's, a queue's): words are its raw record.
    const stall = ((s.words?.[1] ?? 0n) >> 31n) & 1n;
    if (!s.detail.startsWith('record written')) return 'not-recorded';
    return stall ? 'stall' : 'event';
  }
  return undefined;
}

export function faultIndexes(steps: readonly FlowStep[]): number[] {
  return steps.flatMap((_, i) => (faultKind(steps, i) ? [i] : []));
}

/** Cheap test on the record: could any step of this op's flow be a fault? */
export function mayFault(r: OpRecord): boolean {
  return (
    r.events.length > 0 ||
    r.pageRequests.length > 0 ||
    (r.dma?.attempts.some((a) => a.steps.some((t) => t.kind === 'event')) ?? false)
  );
}

export interface Moment {
  readonly op: number;
  readonly step: number;
}

/**
 * The next (dir 1) or previous (dir −1) fault step strictly after/before the cursor. `flow` gives
 * an op's flow (state's flowAt caches them); only ops whose record may fault are asked.
 */
export function findFault(
  t: Timeline,
  from: Moment,
  dir: 1 | -1,
  flow: (op: number) => readonly FlowStep[],
): (Moment & { kind: FaultKind }) | undefined {
  const n = t.records.length;
  for (let op = from.op; op >= -1 && op < n; op += dir) {
    if (op < 0) continue;
    const r = t.records[op]!;
    if (!mayFault(r)) continue;
    const steps = flow(op);
    const idx = faultIndexes(steps);
    const pick =
      op !== from.op
        ? dir > 0
          ? idx[0]
          : idx[idx.length - 1]
        : dir > 0
          ? idx.find((i) => i > from.step)
          : [...idx].reverse().find((i) => i < from.step);
    if (pick !== undefined) return { op, step: pick, kind: faultKind(steps, pick)! };
  }
  return undefined;
}

/** The event record a fault step shows: its raw dwords (built from the record if not written). */
export function eventWords(s: FlowStep): readonly bigint[] | undefined {
  const t = s.trace;
  if (t?.kind === 'event') return t.eventRaw ?? (t.event ? encodeEvent(t.event) : undefined);
  if (s.struct === 'event') return s.words;
  return undefined;
}
