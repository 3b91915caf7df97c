// Share's "Compare with a link": this moment (the op at the cursor) against the moment another
// share link points at — its scenario run as the page would open it, at its cursor (its last op
// when it has none) — side by side with the Eras tab's view (scenario compareAt, ui/eras OpSides).
// Loaded on demand: the Share dialog imports it when a link is first compared.
import { useMemo } from 'react';
import {
  compareAt,
  openTimeline,
  parseScenario,
  pinDoc,
  type OpComparison,
  type Timeline,
} from '../../scenario/index.ts';
import { decodeLink } from '../../share/index.ts';
import { OpSides } from '../eras/ErasTab.tsx';
import { useApp } from '../storeContext.ts';

type Other = { timeline: Timeline; op: number; title: string } | { error: string };

/** The link's scenario, run, and the op its cursor is at. */
export function openLink(text: string): Other {
  const d = decodeLink(text.trim());
  if (!d.ok) return { error: d.error };
  try {
    const p = parseScenario(pinDoc(d.doc));
    if (!p.ok) return { error: p.error };
    const o = openTimeline(p.scenario);
    if (!o.ok) return { error: o.error };
    const last = o.timeline.length - 1;
    const op = Math.min(d.doc.cursor?.op ?? last, last);
    return { timeline: o.timeline, op, title: d.doc.title ?? 'the link' };
  } catch (e) {
    return {
      error: `the link's scenario failed to run: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

export function LinkCompare({ link }: { link: string }) {
  const timeline = useApp((s) => s.timeline);
  const op = useApp((s) => s.cursor.op);
  const other = useMemo(() => openLink(link), [link]);
  const c = useMemo<OpComparison | string>(() => {
    if ('error' in other) return `That link does not open: ${other.error}.`;
    if (op < 0 || op >= timeline.length) return 'Select an op in the timeline to compare.';
    if (other.op < 0) return 'The link points at the moment after boot: it has no op to compare.';
    return compareAt(timeline, other.timeline, op, other.op);
  }, [timeline, other, op]);
  if (typeof c === 'string')
    return (
      <p className="share-warn" role="alert" data-testid="link-compare">
        {c}
      </p>
    );
  const theirs = 'error' in other ? 0 : other.op;
  return (
    <div className="eras-tab link-compare" data-testid="link-compare">
      <OpSides
        c={c}
        a={`this (op ${op})`}
        b={`link (op ${theirs})`}
        what={`Op ${op} here against op ${theirs} of the link`}
      />
    </div>
  );
}
