// Where the stepper's cursor is in the diagram: the structure touched at the current step of an
// op's flow, the structures the current attempt has read so far (the path of the walk), and the
// lane acting. Pure: the diagram highlights from this, the stepper draws the lanes.
import type { FlowStep, Lane } from './flow.ts';

export interface Focus {
  /**
   * PA of the structure at this step: the descriptor, STE, CD or L1 entry read (or found in a
   * cache), the structure written, the queue slot of a command, event or page request.
   */
  readonly current?: bigint;
  /**
   * PAs of the structures read so far in the current attempt (walk reads and cache hits, stage-2
   * reads of a nested walk included), in order, up to and including this step. The attempt is the
   * one of the latest walk step at or before this step: after a failed walk the path stays shown
   * while the queues and the kernel act, and starts again when the device retries.
   */
  readonly path: readonly bigint[];
  readonly lane: Lane;
}

const onPath = (s: FlowStep): boolean =>
  s.pa !== undefined && s.trace !== undefined && (s.kind === 'read' || s.kind === 'hit');

export function focusOf(steps: readonly FlowStep[], step: number): Focus {
  if (steps.length === 0) return { path: [], lane: 'device' };
  const i = Math.max(0, Math.min(step, steps.length - 1));
  const s = steps[i]!;
  let attempt: number | undefined;
  for (let j = i; j >= 0 && attempt === undefined; j--) attempt = steps[j]!.attempt;
  const path: bigint[] = [];
  if (attempt !== undefined)
    for (let j = 0; j <= i; j++) {
      const t = steps[j]!;
      if (t.attempt === attempt && onPath(t)) path.push(t.pa!);
    }
  return { ...(s.pa !== undefined ? { current: s.pa } : {}), path, lane: s.lane };
}
