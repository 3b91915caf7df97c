// Which rows of a long timeline are rendered: a window around what the list shows, between two
// spacers sized at an estimated row height. Rows are not measured one by one (a layout per row
// mounted); the few reads there are happen where the layout is already known.
//
// A jump of the cursor renders a window around its row in the same commit and scrolls that row
// into view from a layout effect, so the frame that shows the jump's diagram shows the row too
// (a virtualiser that scrolls by estimated offsets after the paint missed rows taller than the
// estimate, and read the list's scroll height while the layout was stale). A scroll by the user
// keeps the window while it still covers the view; otherwise the window moves, anchored on the
// row at the top of the view so the content does not jump (the estimate and the real heights
// differ). Only a scroll far past the rendered rows (the scrollbar dragged) falls back to the
// estimate.
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** Estimated row height (px): the spacers' unit. */
export const ROW_EST = 44;
const OVERSCAN = 12;
/** Rows (at the estimate) a scroll wants rendered past the view on each side, at most. */
const SCROLL_MARGIN_ROWS = 4;

export interface RowWindow {
  /** First rendered row and one past the last. */
  readonly start: number;
  readonly end: number;
  /** Heights of the spacers above and below the rendered rows. */
  readonly above: number;
  readonly below: number;
  /** The list's scroll handler. */
  readonly onScroll: () => void;
}

interface Win {
  readonly start: number;
  readonly end: number;
}

/**
 * Where the row the window is built around will sit in the view: at its top (a scroll, or a jump
 * back: scrollIntoView 'nearest' brings a row above the view to its top edge), at its bottom (a
 * jump forward, the row below the view), or either (a new timeline).
 */
type Side = 'top' | 'bottom' | 'either';

/**
 * Rows a jump renders beyond the view on the side its row sits (the view's edge): more than the
 * margin onScroll wants past the view (SCROLL_MARGIN), so the scroll the jump makes does not move
 * the window again (a second render of every row, in the next frame).
 */
const EDGE = SCROLL_MARGIN_ROWS + 1;

/**
 * Rows around `row`: a margin on both sides (OVERSCAN for a scroll, which moves on; 2 rows for a
 * jump, EDGE on the side of the view's edge) and a view's worth on the side the view extends
 * from it. A jump renders what its frame shows and a margin, not a view's worth on both sides:
 * about two thirds of the rows to mount and lay out.
 */
const around = (row: number, count: number, height: number, side: Side, scroll = false): Win => {
  const span = Math.ceil(height / ROW_EST);
  const margin = scroll ? OVERSCAN : 2;
  const before = side === 'top' ? (scroll ? margin : EDGE) : span + margin;
  const after = side === 'bottom' ? EDGE : span + margin;
  return { start: Math.max(0, row - before), end: Math.min(count, row + after + 1) };
};

/**
 * The window of `count` rows in `list` (rows are its `[data-op]` children, row = op + 1), kept around row
 * `focus` (the cursor's) whenever it changes. `enabled` false: every row.
 */
export function useRowWindow(
  list: RefObject<HTMLElement | null>,
  count: number,
  focus: number,
  enabled: boolean,
): RowWindow {
  // The list's height, read on scroll and by a ResizeObserver (never in render).
  const [height, setHeight] = useState(600);
  const [win, setWin] = useState<Win>(() => around(focus, count, height, 'either'));
  const [seen, setSeen] = useState({ focus, count });
  // A window moved by scrolling: the row to keep where it was (px from the list's top).
  const anchor = useRef<{ row: number; at: number } | null>(null);

  let w = win;
  if (seen.focus !== focus || seen.count !== count) {
    // React's "adjust state while rendering": the cursor moved, so its row is rendered in this
    // very commit (a row already rendered keeps the window, so a step does not re-render all).
    setSeen({ focus, count });
    if (focus < win.start || focus >= win.end || win.end > count || seen.count !== count) {
      // Far from the rendered rows, the row lands on the view's edge on the side it came from.
      const side: Side =
        win.end > count || seen.count !== count ? 'either' : focus >= win.end ? 'bottom' : 'top';
      w = around(focus, count, height, side);
      setWin(w);
    }
  }

  useLayoutEffect(() => {
    const el = list.current;
    if (!el || !enabled) return;
    const measure = () => {
      if (el.clientHeight) setHeight(el.clientHeight);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [list, enabled]);

  // Keep the anchored row where it was before the window moved.
  useLayoutEffect(() => {
    const a = anchor.current;
    const el = list.current;
    anchor.current = null;
    if (!a || !el) return;
    const row = el.querySelector<HTMLElement>(`:scope > [data-op="${a.row - 1}"]`);
    if (!row) return;
    const d = row.getBoundingClientRect().top - el.getBoundingClientRect().top - a.at;
    if (d) el.scrollBy(0, d);
  }, [win, list]);

  const onScroll = (): void => {
    const el = list.current;
    if (!el || !enabled) return;
    const top = el.scrollTop;
    const h = el.clientHeight || height;
    const rows = el.querySelectorAll<HTMLElement>(':scope > [data-op]');
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (!first || !last) return;
    const box = el.getBoundingClientRect();
    const y0 = first.getBoundingClientRect().top - box.top; // relative to the view's top
    const y1 = last.getBoundingClientRect().bottom - box.top;
    const margin = Math.min(h / 2, SCROLL_MARGIN_ROWS * ROW_EST);
    setWin((cur) => {
      const coversTop = cur.start === 0 || y0 <= -margin;
      const coversBottom = cur.end >= count || y1 >= h + margin;
      if (coversTop && coversBottom) return cur;
      if (y1 < 0 || y0 > h) {
        // Far past the rendered rows: only the estimate knows where the view is.
        const est = Math.floor(top / ROW_EST);
        return around(est, count, h, 'top', true);
      }
      // The row at the view's top stays put while the window moves around it.
      let at: HTMLElement = first;
      for (const r of rows) {
        at = r;
        if (r.getBoundingClientRect().bottom > box.top) break;
      }
      const row = Number(at.dataset.op) + 1;
      anchor.current = { row, at: at.getBoundingClientRect().top - box.top };
      return around(row, count, h, 'top', true);
    });
  };

  if (!enabled) return { start: 0, end: count, above: 0, below: 0, onScroll };
  return {
    start: w.start,
    end: w.end,
    above: w.start * ROW_EST,
    below: Math.max(0, count - w.end) * ROW_EST,
    onScroll,
  };
}
