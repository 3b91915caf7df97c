// Runs a scenario document for the diagram's tests: the model after any op, and the op's record.
import type { Timeline } from '../scenario/index.ts';
export { timelineOf } from '../scenario/run.testkit.ts';
import { buildModel, type DiagramModel } from './model.ts';

/** The model after op `op` (-1 = after boot). */
export const modelAt = (t: Timeline, op: number): DiagramModel => buildModel(t.stateAt(op + 1));
