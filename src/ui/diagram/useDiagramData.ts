// The diagram's derived data for the op at the cursor: the model (memoised per timeline and op,
// so scrubbing back and forth does not rebuild it), what that op changed, and the layout for the
// current fold state.
import { useMemo } from 'react';
import { worldAt } from '../../state/index.ts';
import type { Timeline } from '../../scenario/index.ts';
import { buildModel, type DiagramModel } from '../../diagram/model.ts';
import { NO_CHANGES, opChanges, type Changes } from '../../diagram/changes.ts';
import { layoutDiagram } from '../../diagram/layout.ts';
import type { Layout, ViewState } from '../../diagram/layoutTypes.ts';
import { revealPas } from '../../diagram/stepMarks.ts';
import { worldAtSeq } from '../../diagram/flowWrites.ts';
import { useApp } from '../storeContext.ts';

const NONE: readonly bigint[] = [];
const models = new WeakMap<Timeline, Map<number, DiagramModel>>();

export function modelAt(t: Timeline, op: number): DiagramModel {
  let m = models.get(t);
  if (!m) models.set(t, (m = new Map<number, DiagramModel>()));
  let model = m.get(op);
  if (!model) {
    model = buildModel(worldAt(t, op));
    if (m.size > 32) m.delete(m.keys().next().value!);
    m.set(op, model);
  }
  return model;
}

export interface DiagramData {
  readonly timeline: Timeline;
  readonly op: number;
  readonly model: DiagramModel;
  readonly changes: Changes;
  readonly layout: Layout;
}

/** The model in the middle of op `op`, its writes after activity `seq` undone. */
function modelAtSeq(t: Timeline, op: number, seq: number): DiagramModel {
  return buildModel(worldAtSeq(t.records[op]!, worldAt(t, op), seq));
}

/**
 * `reveal`: PAs of structures that must be drawn (the stepper's op touches them): their tables
 * are opened on top of the user's own view. Pass a stable array (it is a memo dependency).
 * `upTo`: while stepping through the op, the activity its writes have reached (writtenUpTo): the
 * diagram shows memory as it was then, and only the writes made so far as changes.
 */
export function useDiagramData(
  view: ViewState,
  reveal: readonly bigint[] = NONE,
  upTo?: number,
): DiagramData {
  const timeline = useApp((s) => s.timeline);
  const op = useApp((s) => s.cursor.op);
  const model = useMemo(
    () =>
      upTo !== undefined && timeline.records[op]
        ? modelAtSeq(timeline, op, upTo)
        : modelAt(timeline, op),
    [timeline, op, upTo],
  );
  const shown = useMemo(() => revealPas(model, view, reveal), [model, view, reveal]);
  const changes = useMemo(() => {
    const rec = timeline.records[op];
    if (!rec || op < 0) return NO_CHANGES;
    const writes = upTo === undefined ? rec.writes : rec.writes.filter((w) => (w.seq ?? 0) <= upTo);
    return opChanges(modelAt(timeline, op - 1), model, writes);
  }, [timeline, op, model, upTo]);
  const layout = useMemo(() => layoutDiagram(model, shown), [model, shown]);
  return { timeline, op, model, changes, layout };
}
