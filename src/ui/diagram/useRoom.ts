// The box of the diagram's SVGs, kept steady from op to op (see useRoom).
import { useState } from 'react';
import type { Layout } from '../../diagram/index.ts';

/** The step the SVGs' box grows by (px). */
const ROOM_STEP = 512;
const roomFor = (n: number): number => Math.ceil(Math.max(1, n) / ROOM_STEP) * ROOM_STEP;

/**
 * The box of the diagram's SVGs: the layout's size rounded up, and never smaller than it has
 * been. Resizing an SVG lays out every node in it again (about 20 ms for a whole diagram of
 * 1,700 nodes, where moving every box costs under 1 ms), and each op's layout has a size of its
 * own: a jump would pay for it every time. The SVGs draw outside their box (overflow: visible)
 * and the pan/zoom stage fits the layout's own size, so the picture does not change; the
 * layout's size is on the SVG as data-width/data-height (what an exported picture measures).
 */
export function useRoom(layout: Layout): { width: number; height: number } {
  const [room, setRoom] = useState({ width: 0, height: 0 });
  const width = Math.max(room.width, roomFor(layout.width));
  const height = Math.max(room.height, roomFor(layout.height));
  if (width !== room.width || height !== room.height) setRoom({ width, height });
  return { width, height };
}
