// The Picture section's animated export: steps `from`..`to` of the op at the cursor as a looping
// GIF, one frame a step, in the theme chosen above. The encoder (./animate.ts with gifenc) loads
// on the first export only.
import { useState } from 'react';
import { stepCount } from '../../state/index.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import type { PictureTheme } from './picture.ts';

export function AnimatedRow({ theme, title }: { theme: PictureTheme; title: string }) {
  const store = useAppStore();
  const n = useApp((s) => stepCount(s));
  const [from, setFrom] = useState(1);
  const [to, setTo] = useState(Math.min(n, 3));
  const [status, setStatus] = useState('');
  const lo = Math.min(Math.max(1, from), n);
  const hi = Math.min(Math.max(lo, to), n);
  const run = () => {
    setStatus(`Making the animation (${hi - lo + 1} frames)…`);
    const host = {
      step: () => store.getState().cursor.step,
      stepping: () => store.getState().stepping,
      setStep: (s: number) => store.getState().setStep(s),
      setStepping: (on: boolean) => store.getState().setStepping(on),
    };
    void import('./animate.ts')
      .then((m) => m.exportSteps(host, lo - 1, hi - 1, theme, title))
      .then(
        (err) => setStatus(err ?? `GIF of steps ${lo}–${hi} saved.`),
        (e: unknown) => setStatus(`The animation could not be made: ${String(e)}`),
      );
  };
  if (n === 0) return <p className="share-muted">This op has no steps to animate.</p>;
  return (
    <>
      <div className="share-row" data-testid="animated-row">
        <span>Animated GIF of the diagram, steps</span>
        <label>
          from{' '}
          <input
            type="number"
            min={1}
            max={n}
            value={from}
            onChange={(e) => setFrom(Number(e.target.value))}
            data-testid="gif-from"
          />
        </label>
        <label>
          to{' '}
          <input
            type="number"
            min={1}
            max={n}
            value={to}
            onChange={(e) => setTo(Number(e.target.value))}
            data-testid="gif-to"
          />
        </label>
        <span className="share-muted">of {n}</span>
        <button type="button" className="btn" onClick={run}>
          Export GIF
        </button>
      </div>
      {status && (
        <p className="share-muted" role="status" data-testid="gif-status">
          {status}
        </p>
      )}
    </>
  );
}
