// Runs a scenario document for the diagram's tests: the model after any op, and the op's record.
import { parseScenario, Timeline, type ScenarioDoc } from '../scenario/index.ts';
import { buildModel, type DiagramModel } from './model.ts';

export function timelineOf(doc: ScenarioDoc): Timeline {
  const p = parseScenario(doc);
  if (!p.ok) throw new Error(p.error);
  return new Timeline(p.scenario);
}

/** The model after op `op` (-1 = after boot). */
export const modelAt = (t: Timeline, op: number): DiagramModel => buildModel(t.stateAt(op + 1));
