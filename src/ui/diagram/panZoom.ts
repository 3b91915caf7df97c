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
import {
  fitView,
  panView,
  zoomView,
  type Bounds,
  type FitOptions,
  type PanZoom,
  type PanZoomOptions,
} from './panZoomMath.ts';

export type { Bounds, FitOptions, PanZoom, PanZoomOptions };

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
      const v = fitView(b, o, size(), opts);
      to(zoomIdentity.translate(v.x, v.y).scale(v.k), o.animate ?? true);
    },
    zoomBy(factor) {
      const v = zoomView(zoomTransform(el), factor, size(), opts);
      to(zoomIdentity.translate(v.x, v.y).scale(v.k));
    },
    panBy(dx, dy, animate = true) {
      const v = panView(zoomTransform(el), dx, dy);
      to(zoomIdentity.translate(v.x, v.y).scale(v.k), animate);
    },
    jump(v) {
      to(zoomIdentity.translate(v.x, v.y).scale(v.k), false);
    },
    transform() {
      const t = zoomTransform(el);
      return { x: t.x, y: t.y, k: t.k };
    },
  };
}
