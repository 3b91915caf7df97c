// The arithmetic of pan and zoom, without d3: where a fit, a zoom step or a pan puts the view.
// panZoom.ts (d3-zoom) moves the view with it; until d3-zoom has loaded (it is a chunk of its
// own), usePanZoom moves the view with it directly, so the first diagram is placed exactly as
// d3-zoom would place it.

export interface PanZoomOptions {
  readonly minZoom: number;
  readonly maxZoom: number;
  /** Skip animated transitions (prefers-reduced-motion). */
  readonly reducedMotion: boolean;
  readonly onTransform: (t: { x: number; y: number; k: number }) => void;
  /** A gesture or transition ended at this transform. */
  readonly onEnd?: (t: { x: number; y: number; k: number }) => void;
}

export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface FitOptions {
  readonly maxScale?: number;
  readonly minScale?: number;
  readonly margin?: number;
  readonly animate?: boolean;
  /** 'start' pins the bounds' top-left corner instead of centring them. */
  readonly align?: 'center' | 'start';
}

export interface PanZoom {
  update(opts: Partial<PanZoomOptions>): void;
  destroy(): void;
  /** Scales `b` into the viewport (never above maxScale, never below minScale: then top-left). */
  fit(b: Bounds, opts?: FitOptions): void;
  zoomBy(factor: number): void;
  /** `animate: false` jumps (the stepper playing: a glide per step would repaint every frame). */
  panBy(dx: number, dy: number, animate?: boolean): void;
  /** Puts the view at `v` at once. */
  jump(v: View): void;
  transform(): { x: number; y: number; k: number };
}

export interface View {
  readonly x: number;
  readonly y: number;
  readonly k: number;
}

const clamp = (k: number, min: number, max: number): number => Math.max(min, Math.min(max, k));

/** The view that scales `b` into a `w` × `h` viewport (see PanZoom.fit). */
export function fitView(
  b: Bounds,
  o: FitOptions,
  size: { w: number; h: number },
  limits: { minZoom: number; maxZoom: number },
): View {
  const margin = o.margin ?? 16;
  const { w, h } = size;
  const fitK = Math.min((w - 2 * margin) / (b.width || 1), (h - 2 * margin) / (b.height || 1));
  const k = Math.max(o.minScale ?? limits.minZoom, Math.min(o.maxScale ?? limits.maxZoom, fitK));
  // Too big to fit at a readable size: start at the top-left, where the streams are.
  const start = k > fitK || o.align === 'start';
  const x = start ? margin - b.x * k : (w - b.width * k) / 2 - b.x * k;
  const y = start ? margin - b.y * k : (h - b.height * k) / 2 - b.y * k;
  return { x, y, k };
}

/** `t` zoomed by `factor` around the viewport's centre, as the wheel would around the pointer. */
export function zoomView(
  t: View,
  factor: number,
  size: { w: number; h: number },
  limits: { minZoom: number; maxZoom: number },
): View {
  const { w, h } = size;
  const k = clamp(t.k * factor, limits.minZoom, limits.maxZoom);
  const [cx, cy] = [(w / 2 - t.x) / t.k, (h / 2 - t.y) / t.k];
  return { x: w / 2 - cx * k, y: h / 2 - cy * k, k };
}

export const panView = (t: View, dx: number, dy: number): View => ({
  x: t.x + dx,
  y: t.y + dy,
  k: t.k,
});
