// Pan and zoom for the diagram, framework-free (after xyflow's XYPanZoom): d3-zoom listens on the
// diagram's canvas and hands every transform to onTransform (and the end of each gesture to
// onEnd), which move the drawing straight away — no React render per frame. The React side only
// creates it, feeds it options and calls its buttons.
import {
  select,
  zoom,
  zoomIdentity,
  zoomTransform,
  type D3ZoomEvent,
  type ZoomBehavior,
  type ZoomTransform,
} from 'd3';

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
  transform(): { x: number; y: number; k: number };
}

const DURATION = 200;

export function createPanZoom(el: HTMLElement, initial: PanZoomOptions): PanZoom {
  let opts = initial;
  const sel = select<HTMLElement, unknown>(el);
  const behavior: ZoomBehavior<HTMLElement, unknown> = zoom<HTMLElement, unknown>()
    .scaleExtent([opts.minZoom, opts.maxZoom])
    .on('zoom', (e: D3ZoomEvent<HTMLElement, unknown>) => {
      const { x, y, k } = e.transform;
      opts.onTransform({ x, y, k });
    })
    .on('end', (e: D3ZoomEvent<HTMLElement, unknown>) => {
      const { x, y, k } = e.transform;
      opts.onEnd?.({ x, y, k });
    });
  sel.call(behavior);
  // Double-click belongs to the rows (select, expand), not to zooming.
  sel.on('dblclick.zoom', null);

  const to = (t: ZoomTransform, animate = true): void => {
    if (opts.reducedMotion || !animate) behavior.transform(sel, t);
    else behavior.transform(sel.transition().duration(DURATION), t);
  };
  const size = () => ({ w: el.clientWidth || 1, h: el.clientHeight || 1 });

  return {
    update(next) {
      opts = { ...opts, ...next };
      behavior.scaleExtent([opts.minZoom, opts.maxZoom]);
    },
    destroy() {
      sel.interrupt();
      sel.on('.zoom', null);
    },
    fit(b, o = {}) {
      const margin = o.margin ?? 16;
      const { w, h } = size();
      const fitK = Math.min((w - 2 * margin) / (b.width || 1), (h - 2 * margin) / (b.height || 1));
      const k = Math.max(o.minScale ?? opts.minZoom, Math.min(o.maxScale ?? opts.maxZoom, fitK));
      // Too big to fit at a readable size: start at the top-left, where the streams are.
      const start = k > fitK || o.align === 'start';
      const x = start ? margin - b.x * k : (w - b.width * k) / 2 - b.x * k;
      const y = start ? margin - b.y * k : (h - b.height * k) / 2 - b.y * k;
      to(zoomIdentity.translate(x, y).scale(k), o.animate ?? true);
    },
    zoomBy(factor) {
      // Around the viewport's centre, as the wheel would around the pointer.
      const { w, h } = size();
      const t = zoomTransform(el);
      const [max, min] = [opts.maxZoom, opts.minZoom];
      const k = Math.max(min, Math.min(max, t.k * factor));
      const [cx, cy] = t.invert([w / 2, h / 2]);
      to(zoomIdentity.translate(w / 2 - cx * k, h / 2 - cy * k).scale(k));
    },
    panBy(dx, dy, animate = true) {
      const t = zoomTransform(el);
      to(zoomIdentity.translate(t.x + dx, t.y + dy).scale(t.k), animate);
    },
    transform() {
      const t = zoomTransform(el);
      return { x: t.x, y: t.y, k: t.k };
    },
  };
}
