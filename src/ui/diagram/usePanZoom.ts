// Mounts createPanZoom on the diagram's canvas and moves the stage (the diagram's SVG and the
// stepper's overlay) with a CSS transform, so panning and zooming never re-render React and never
// repaint the drawing: the stage is its own compositing layer, moved by the compositor. After a
// zoom the layer is re-rasterised once at the new scale, so text stays sharp.
import { useEffect, useRef, type RefObject } from 'react';
import { createPanZoom, type PanZoom } from './panZoom.ts';

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
    const inst = createPanZoom(el, {
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
    });
    pz.current = inst;
    const onMotion = (e: MediaQueryListEvent) => inst.update({ reducedMotion: e.matches });
    mq?.addEventListener('change', onMotion);
    return () => {
      cancelAnimationFrame(frame);
      mq?.removeEventListener('change', onMotion);
      inst.destroy();
      pz.current = null;
    };
  }, [canvas, stage, minZoom, maxZoom]);
  return pz;
}
