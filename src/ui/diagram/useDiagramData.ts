// The diagram's data for the op at the cursor: the model and what that op changed (derived and
// cached per timeline in the state layer), and the layout for the current fold state.
import { useMemo } from 'react';
import {
  chainOf,
  contextGroups,
  layoutDiagram,
  lensLayout,
  revealPas,
  withContext,
  type Chain,
  type Changes,
  type DiagramModel,
  type Layout,
  type ViewState,
} from '../../diagram/index.ts';
import type { Timeline } from '../../scenario/index.ts';
import { changesAt, modelAt } from '../../state/index.ts';
import { useApp } from '../storeContext.ts';
import type { LensState } from './useLens.ts';

const NONE: readonly bigint[] = [];

export interface DiagramData {
  readonly timeline: Timeline;
  readonly op: number;
  readonly model: DiagramModel;
  readonly changes: Changes;
  readonly layout: Layout;
  /** The chain in focus (lens mode), else undefined. */
  readonly chain: Chain | undefined;
  /** The view laid out: the user's, with the summaries the pane had room for opened (lens). */
  readonly view: ViewState;
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
  lens?: LensState,
): DiagramData {
  const timeline = useApp((s) => s.timeline);
  const op = useApp((s) => s.cursor.op);
  // The changes first: they read the world before the op, which the op's own world then starts
  // from (derived.ts worldAt) instead of replaying from a checkpoint again.
  const changes = changesAt(timeline, op, upTo);
  const model = modelAt(timeline, op, upTo);
  const record = timeline.records[op];
  const on = lens?.mode === 'lens';
  const focus = lens?.focus;
  const chain = useMemo(
    () =>
      on && focus ? chainOf(model, focus, { record, changed: changes.byId.keys() }) : undefined,
    [on, focus, model, record, changes],
  );
  const detail = lens?.detail ?? 'cards';
  const avail = lens?.avail ?? 990;
  const availH = lens?.availH ?? 450;
  // The pane's spare room opens summaries (context) by itself; the user's toggles flip them.
  const auto = useMemo(
    () =>
      chain ? contextGroups(model, view, chain, { detail, avail, availH }) : new Set<string>(),
    [chain, model, view, detail, avail, availH],
  );
  const shown = useMemo(() => withContext(view, auto), [view, auto]);
  const layout = useMemo(
    () =>
      chain
        ? lensLayout(model, shown, chain, { detail, avail })
        : layoutDiagram(model, revealPas(model, view, reveal)),
    [chain, model, view, shown, reveal, detail, avail],
  );
  return { timeline, op, model, changes, layout, chain, view: shown };
}
