// The stepper in the diagram, as two hooks around useDiagramData. useStepInput: while the stepper
// is shown, every structure the op at the cursor touches (so their tables get opened) and how far
// its writes have got at this step (memory is drawn as it was then). useStepMarks: the rows the
// step and the path so far touch in the layout, and the current row panned into view.
import { useEffect, useMemo, useRef, type RefObject } from 'react';
import {
  focusOf,
  G,
  indexRows,
  stepMarks,
  writtenUpTo,
  type Focus,
  type Layout,
  type StepMarks,
} from '../../diagram/index.ts';
import { useCursorFlow, type CursorFlow } from '../stepper/useFlow.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import type { PanZoom } from './panZoomMath.ts';
import { revealDelta } from './reveal.ts';

const NONE: readonly bigint[] = [];

export interface StepInput {
  readonly stepping: boolean;
  readonly flow: CursorFlow;
  /** PAs of the structures the op touches (stable per op), or none when not stepping. */
  readonly touched: readonly bigint[];
  /** The activity the op's writes have reached at this step (undefined: all of them). */
  readonly upTo: number | undefined;
}

export function useStepInput(): StepInput {
  const stepping = useApp((s) => s.stepping);
  const flow = useCursorFlow();
  const touched = useMemo(
    () => (stepping ? flow.steps.flatMap((s) => (s.pa !== undefined ? [s.pa] : [])) : NONE),
    [stepping, flow.steps],
  );
  // Mid-op, memory is drawn as the op had left it at this step (a PTE the fault handler fills
  // later is still invalid while the walk faults on it).
  const upTo =
    stepping && flow.record ? writtenUpTo(flow.steps, flow.step, flow.record) : undefined;
  return { stepping, flow, touched, upTo };
}

export function useStepMarks(
  input: StepInput,
  layout: Layout,
  canvas: RefObject<HTMLElement | null>,
  pz: RefObject<PanZoom | null>,
): { readonly marks: StepMarks; readonly lane: Focus['lane'] } | undefined {
  const store = useAppStore();
  const { stepping, flow } = input;
  const rowIndex = useMemo(() => indexRows(layout), [layout]);
  const focus = stepping && flow.steps.length > 0 ? focusOf(flow.steps, flow.step) : undefined;
  const marks = focus ? stepMarks(rowIndex, focus) : undefined;
  const current = marks?.current?.id;

  // The canvas size, kept by a ResizeObserver so revealing a step's row needs no layout read.
  const size = useRef({ w: 0, h: 0 });
  useEffect(() => {
    const el = canvas.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([e]) => {
      if (e) size.current = { w: e.contentRect.width, h: e.contentRect.height };
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [canvas]);
  // The current step's row into view, from the layout's coordinates and the zoom transform (a
  // DOM measurement here would force a layout of the whole diagram on every step). No glide
  // while playing: one per step would keep the view moving.
  useEffect(() => {
    const a = current === undefined ? undefined : layout.anchors.get(current);
    const p = pz.current;
    const { w, h } = size.current;
    if (!a || !p || w === 0) return;
    const { x, y, k } = p.transform();
    const r = {
      left: x + a.l.x * k,
      right: x + a.r.x * k,
      top: y + (a.l.y - G.row / 2) * k,
      bottom: y + (a.l.y + G.row / 2) * k,
    };
    const [dx, dy] = revealDelta(r, { left: 0, top: 0, right: w, bottom: h });
    if (dx || dy) p.panBy(dx, dy, !store.getState().playing);
  }, [current, layout, pz, store]);

  return marks && focus ? { marks, lane: focus.lane } : undefined;
}
