// The diagram's data for the op at the cursor: the model and what that op changed (derived and
// cached per timeline in the state layer), and the layout for the current fold state.
import { useMemo } from 'react';
import {
  layoutDiagram,
  revealPas,
  type Changes,
  type DiagramModel,
  type Layout,
  type ViewState,
} from '../../diagram/index.ts';
import type { Timeline } from '../../scenario/index.ts';
import { changesAt, modelAt } from '../../state/index.ts';
import { useApp } from '../storeContext.ts';

const NONE: readonly bigint[] = [];

export interface DiagramData {
  readonly timeline: Timeline;
  readonly op: number;
  readonly model: DiagramModel;
  readonly changes: Changes;
  readonly layout: Layout;
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
  const model = modelAt(timeline, op, upTo);
  const changes = changesAt(timeline, op, upTo);
  const shown = useMemo(() => revealPas(model, view, reveal), [model, view, reveal]);
  const layout = useMemo(() => layoutDiagram(model, shown), [model, shown]);
  return { timeline, op, model, changes, layout };
}
