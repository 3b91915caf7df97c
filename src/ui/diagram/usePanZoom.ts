// Mounts createPanZoom on the diagram's canvas and moves the stage (the diagram's SVG and the
// stepper's overlay) with a CSS transform, so panning and zooming never re-render React and never
// repaint the drawing: the stage is its own compositing layer, moved by the compositor. After a
// zoom the layer is re-rasterised once at the new scale, so text stays sharp.
//
// d3-zoom (panZoom.ts) is a chunk of its own, loaded after the first diagram: until it arrives,
// a stand-in moves the stage with the same arithmetic (panZoomMath.ts), without animation, and
// hands its view over to d3-zoom when it comes. Gestures start working then.
import { useEffect, useRef, type RefObject } from 'react';
import {
  fitView,
  panView,
  zoomView,
  type PanZoom,
  type PanZoomOptions,
  type View,
} from './panZoomMath.ts';

const REDUCED = '(prefers-reduced-motion: reduce)';

export const cssTransform = (t: { x: number; y: number; k: number }): string =>
  `translate(${t.x}px, ${t.y}px) scale(${t.k})`;

export function usePanZoom(
  canvas: RefObject<HTMLElement | null>,
  stage: RefObject<HTMLElement | null>,
  limits: { minZoom: number; maxZoom: number },
): RefObject<PanZoom | null> {
  const pz = useRef<PanZoom | null>(null);
  const { minZoom, maxZoom } = limits;
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const mq = window.matchMedia?.(REDUCED);
    let rasterK = 1;
    let frame = 0;
    const opts: PanZoomOptions = {
      minZoom,
      maxZoom,
      reducedMotion: mq?.matches ?? false,
      onTransform: (t) => {
        if (stage.current) stage.current.style.transform = cssTransform(t);
      },
      onEnd: ({ k }) => {
        const s = stage.current;
        if (!s || k === rasterK) return;
        // The layer keeps the scale it was rasterised at: drop and restore it to redraw crisply.
        rasterK = k;
        s.style.willChange = 'auto';
        cancelAnimationFrame(frame);
        frame = requestAnimationFrame(() => (s.style.willChange = 'transform'));
      },
    };
    const interim = standIn(el, opts);
    let inst: PanZoom = interim;
    pz.current = inst;
    let live = true;
    void import('./panZoom.ts').then(({ createPanZoom }) => {
      if (!live) return;
      inst = createPanZoom(el, interim.options());
      inst.jump(interim.transform());
      pz.current = inst;
    });
    const onMotion = (e: MediaQueryListEvent) => inst.update({ reducedMotion: e.matches });
    mq?.addEventListener('change', onMotion);
    return () => {
      live = false;
      cancelAnimationFrame(frame);
      mq?.removeEventListener('change', onMotion);
      inst.destroy();
      pz.current = null;
    };
  }, [canvas, stage, minZoom, maxZoom]);
  return pz;
}

/** Moves the stage as d3-zoom would, without gestures or animation, until d3-zoom is loaded. */
function standIn(
  el: HTMLElement,
  initial: PanZoomOptions,
): PanZoom & { options(): PanZoomOptions } {
  let opts = initial;
  let view: View = { x: 0, y: 0, k: 1 };
  const size = () => ({ w: el.clientWidth || 1, h: el.clientHeight || 1 });
  const to = (v: View): void => {
    view = v;
    opts.onTransform(v);
    opts.onEnd?.(v);
  };
  return {
    options: () => opts,
    update(next) {
      opts = { ...opts, ...next };
    },
    destroy() {},
    fit: (b, o = {}) => to(fitView(b, o, size(), opts)),
    zoomBy: (factor) => to(zoomView(view, factor, size(), opts)),
    panBy: (dx, dy) => to(panView(view, dx, dy)),
    jump: to,
    transform: () => view,
  };
}
