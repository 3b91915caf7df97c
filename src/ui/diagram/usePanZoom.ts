// Mounts createPanZoom on the diagram's <svg> and writes each transform onto the viewport <g>
// through a ref, so panning and zooming never re-render React.
import { useEffect, useRef, type RefObject } from 'react';
import { createPanZoom, type PanZoom } from './panZoom.ts';

const REDUCED = '(prefers-reduced-motion: reduce)';

export function usePanZoom(
  svg: RefObject<SVGSVGElement | null>,
  viewport: RefObject<SVGGElement | null>,
  limits: { minZoom: number; maxZoom: number },
  /** Another <g> that moves with the viewport (the stepper's overlay, in its own <svg>). */
  overlay?: RefObject<SVGGElement | null>,
): RefObject<PanZoom | null> {
  const pz = useRef<PanZoom | null>(null);
  const { minZoom, maxZoom } = limits;
  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const mq = window.matchMedia?.(REDUCED);
    const inst = createPanZoom(el, {
      minZoom,
      maxZoom,
      reducedMotion: mq?.matches ?? false,
      onTransform: ({ x, y, k }) => {
        const t = `translate(${x},${y}) scale(${k})`;
        viewport.current?.setAttribute('transform', t);
        overlay?.current?.setAttribute('transform', t);
      },
    });
    pz.current = inst;
    const onMotion = (e: MediaQueryListEvent) => inst.update({ reducedMotion: e.matches });
    mq?.addEventListener('change', onMotion);
    return () => {
      mq?.removeEventListener('change', onMotion);
      inst.destroy();
      pz.current = null;
    };
  }, [svg, viewport, overlay, minZoom, maxZoom]);
  return pz;
}
