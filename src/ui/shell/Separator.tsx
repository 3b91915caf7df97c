// A pane's resize handle, after the WAI-ARIA "window splitter" pattern: a focusable separator whose
// value is the pane's size in px. Arrow keys resize it (Shift: larger steps), Home and End go to
// the smallest and largest size, Enter folds the pane; a pointer drags it, a double click gives
// back the default size. Written here rather than taken from a split-pane library: the panes are
// tracks of the page's CSS grid, folded panes become rails, and sizes live in the store (saved
// through state/layout.ts) — a library would bring its own layout model and persistence to undo.
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { paneLimits, paneSize, type PaneId, type Viewport } from '../../state/index.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import { PANE_NAME, railButtonId } from './PaneToggle.tsx';
import { paneElementId } from './regions.ts';

const STEP = 16;
const BIG_STEP = 64;

export function Separator({ pane, vp }: { readonly pane: PaneId; readonly vp: Viewport }) {
  const store = useAppStore();
  const size = useApp((s) => paneSize(s.layout, pane, vp));
  const lim = paneLimits(pane, vp);
  const drag = useRef<{ at: number; size: number } | null>(null);
  // The bottom panel's handle is a horizontal line moved up and down; the others are vertical.
  const horizontal = pane === 'bottom';
  // Which way the pane grows as the handle moves right (or down): the timeline is left of its
  // handle, the inspector right of it, the bottom panel below it.
  const sign = pane === 'timeline' ? 1 : -1;
  const set = (v: number) =>
    store.getState().resizePane(pane, Math.min(lim.max, Math.max(lim.min, Math.round(v))));

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const step = e.shiftKey ? BIG_STEP : STEP;
    const dir: Record<string, number> = horizontal
      ? { ArrowDown: 1, ArrowUp: -1 }
      : { ArrowRight: 1, ArrowLeft: -1 };
    const d = dir[e.key];
    if (d !== undefined) set(size + d * sign * step);
    else if (e.key === 'Home') set(lim.min);
    else if (e.key === 'End') set(lim.max);
    else if (e.key === 'Enter') {
      store.getState().setPaneCollapsed(pane, true);
      // The handle goes away with the pane: focus its rail's button, which opens it again.
      requestAnimationFrame(() => document.getElementById(railButtonId(pane))?.focus());
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };

  const pos = (e: PointerEvent) => (horizontal ? e.clientY : e.clientX);
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault(); // no text selection while dragging
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    drag.current = { at: pos(e), size };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d) set(d.size + (pos(e) - d.at) * sign);
  };
  const end = (e: PointerEvent<HTMLDivElement>) => {
    drag.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId))
      e.currentTarget.releasePointerCapture(e.pointerId);
  };

  return (
    <div
      className={`sep sep-${pane}`}
      role="separator"
      tabIndex={0}
      aria-orientation={horizontal ? 'horizontal' : 'vertical'}
      aria-controls={paneElementId(pane)}
      aria-label={`Resize the ${PANE_NAME[pane]}`}
      aria-valuenow={size}
      aria-valuemin={lim.min}
      aria-valuemax={lim.max}
      aria-valuetext={`${size} pixels ${horizontal ? 'tall' : 'wide'}`}
      aria-keyshortcuts="Enter"
      title={`Drag to resize the ${PANE_NAME[pane]}; arrow keys too. Enter folds it; a double click restores its size.`}
      data-testid={`separator-${pane}`}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={end}
      onPointerCancel={end}
      onDoubleClick={() => store.getState().resizePane(pane, undefined)}
    />
  );
}
