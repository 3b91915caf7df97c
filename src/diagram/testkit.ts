// Runs a scenario document for the diagram's tests: the world and model after any op, the op's
// flow, and the fault search over those flows — computed afresh, without the state layer's
// caches (which state/derived.test.ts tests against these).
import type { Timeline, World } from '../scenario/index.ts';
export { timelineOf } from '../scenario/run.testkit.ts';
import { flowOf, type FlowStep } from './flow.ts';
import { buildModel, type DiagramModel } from './model.ts';
import { findFault as find, type FaultKind, type Moment } from './stepper/faults.ts';

/** The world after op `op` (-1 = after boot). */
export const worldAt = (t: Timeline, op: number): World => t.stateAt(op + 1);

/** The model after op `op` (-1 = after boot). */
export const modelAt = (t: Timeline, op: number): DiagramModel => buildModel(worldAt(t, op));

/** The flow of op `op` (none before the first op). */
export const flowAt = (t: Timeline, op: number): FlowStep[] => {
  const r = t.records[op];
  return r ? flowOf(r, worldAt(t, op - 1), worldAt(t, op)) : [];
};

/** The next or previous fault step from a moment. */
export const findFault = (
  t: Timeline,
  from: Moment,
  dir: 1 | -1,
): (Moment & { kind: FaultKind }) | undefined => find(t, from, dir, (op) => flowAt(t, op));
