// Playing a tour: which tour, which stop, and moving the page there (the stop's moment, then its
// focus selected as it exists at that moment). A shipped tour stands on its own scenario (the seed
// story, or golden 10 for the stall tour): when the work is another scenario, that one is opened
// first (one undoable step).
import { useCallback, useState } from 'react';
import { parseTarget, type ScenarioDoc, type TourDoc } from '../../scenario/index.ts';
import { modelAt } from '../../state/index.ts';
import { useAppStore } from '../storeContext.ts';
import { resolveTarget } from './resolve.ts';

export interface Playing {
  readonly tour: TourDoc;
  /** The scenario a shipped tour stands on (null: the tour is the work's own). */
  readonly doc: ScenarioDoc | null;
  readonly index: number;
  /** The stop names something that is not on the page at its moment. */
  readonly missing: boolean;
}

const sameOps = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function useTour() {
  const store = useAppStore();
  const [playing, setPlaying] = useState<Playing | null>(null);

  const go = useCallback(
    (tour: TourDoc, doc: ScenarioDoc | null, index: number) => {
      const stop = tour.stops[index];
      if (!stop) return;
      const s = store.getState();
      if (doc && !sameOps(s.doc.ops, doc.ops)) {
        const err = s.setDoc(doc, { cursor: { op: stop.at.op, step: stop.at.step } });
        if (err) return void s.setNotice(`The tour could not open its scenario: ${err}`);
      }
      const st = store.getState();
      const op = Math.min(stop.at.op, st.timeline.length - 1);
      st.setCursor(op, stop.at.step);
      const target = stop.focus ? parseTarget(stop.focus) : undefined;
      const sel = resolveTarget(target, modelAt(st.timeline, op));
      st.select(sel);
      setPlaying({
        tour,
        doc,
        index,
        missing: target !== undefined && target.kind !== 'op' && sel === null,
      });
    },
    [store],
  );

  const start = useCallback((tour: TourDoc, doc: ScenarioDoc | null) => go(tour, doc, 0), [go]);
  const step = useCallback(
    (d: 1 | -1) => {
      if (!playing) return;
      const i = playing.index + d;
      if (i < 0 || i >= playing.tour.stops.length) return;
      go(playing.tour, playing.doc, i);
    },
    [go, playing],
  );
  const stop = useCallback(() => setPlaying(null), []);
  return { playing, start, step, stop };
}
