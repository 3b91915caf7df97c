// How far to pan so a node sits inside the view with a margin: for a node reached with Tab, and
// for the stepper's current row.

/** Margin kept around a node brought into view. */
const REVEAL = 24;

export interface Edges {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** The pan (dx, dy) that brings `r` inside `c` (both in screen pixels); 0 when it is inside. */
export function revealDelta(r: Edges, c: Edges): [number, number] {
  const delta = (lo: number, hi: number, vlo: number, vhi: number): number =>
    lo < vlo + REVEAL
      ? vlo + REVEAL - lo
      : hi > vhi - REVEAL
        ? Math.max(vhi - REVEAL - hi, vlo + REVEAL - lo)
        : 0;
  return [delta(r.left, r.right, c.left, c.right), delta(r.top, r.bottom, c.top, c.bottom)];
}
