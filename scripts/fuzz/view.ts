// What the page computes for a moment of a scenario, run by the fuzzers after the ops: the
// diagram model and its layout, and the steps of the op at the cursor (its walks, which the
// stepper and the inspector read). Hand-written table cycles must not hang or break these.
import { buildModel, EMPTY_VIEW, flowOf, layoutDiagram } from '../../src/diagram/index.ts';
import type { OpRecord, Timeline, World } from '../../src/scenario/index.ts';

export function drawn(after: World, before?: World, record?: OpRecord): void {
  layoutDiagram(buildModel(after), EMPTY_VIEW);
  if (record) flowOf(record, before, after);
}

/** The page with its cursor on op `i` (the world before and after it). */
export function drawnAt(t: Timeline, i: number): void {
  const r = t.records[i];
  if (!r) return;
  drawn(t.stateAt(i + 1), t.stateAt(i), r);
}
