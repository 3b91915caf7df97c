// The window's size, for the panes' defaults and limits (state/layout.ts): re-read on resize.
import { useEffect, useState } from 'react';
import type { Viewport } from '../../state/index.ts';

const read = (): Viewport => ({ width: window.innerWidth, height: window.innerHeight });

export function useViewport(): Viewport {
  const [vp, setVp] = useState(read);
  useEffect(() => {
    const on = () =>
      setVp((v) => {
        const n = read();
        return n.width === v.width && n.height === v.height ? v : n;
      });
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return vp;
}
