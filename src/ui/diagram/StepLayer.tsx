// The stepper drawn over the diagram: the rows the walk has read so far (outlined), the row the
// current step touches (filled; its ring pulses twice as the step lands, unless motion is
// reduced), and the connector that follows the path from the STE to the leaf. Drawn over the
// boxes and never in the pointer's way.
import { G, pathD, type Anchor, type StepMark, type StepMarks } from '../../diagram/index.ts';
import { useApp } from '../storeContext.ts';
import { testId } from './types.ts';

function rowRect(a: Anchor) {
  return { x: a.l.x - 2, y: a.l.y - G.row / 2, width: a.r.x - a.l.x + 4, height: G.row };
}

export function StepLayer({
  marks,
  anchors,
  lane,
}: {
  readonly marks: StepMarks;
  readonly anchors: ReadonlyMap<string, Anchor>;
  /** Who acts at this step (the SMMU reads, the kernel writes …), for the current row's tone. */
  readonly lane: string;
}) {
  // While playing, a step lands every few frames: its pulse would keep the page repainting.
  const playing = useApp((s) => s.playing);
  const cur = marks.current;
  const curAnchor = cur ? anchors.get(cur.id) : undefined;
  const mark = (m: StepMark, i: number) => {
    const a = anchors.get(m.id);
    if (!a) return null;
    return (
      <rect
        key={`${m.id}-${i}`}
        className="dg-step-path"
        data-testid="step-path-mark"
        data-target={testId(m.id)}
        rx={3}
        {...rowRect(a)}
      />
    );
  };
  return (
    <g
      className={`dg-step${playing ? ' is-playing' : ''}`}
      aria-hidden="true"
      data-testid="step-layer"
    >
      <path className="dg-step-link" d={pathD(anchors, marks.path)} />
      {marks.path.map(mark)}
      {cur && curAnchor && (
        <rect
          key={cur.id}
          className={`dg-step-current lane-${lane}${cur.exact ? '' : ' is-page'}`}
          data-testid="step-current"
          data-target={testId(cur.id)}
          data-exact={cur.exact}
          rx={3}
          {...rowRect(curAnchor)}
        />
      )}
    </g>
  );
}
