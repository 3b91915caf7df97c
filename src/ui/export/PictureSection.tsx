// The Share dialog's "Picture" row: the diagram or the stepper's lanes at this moment, as SVG or
// PNG, light or dark. The code that makes the picture (./picture.ts) loads on the first export.
import { useState } from 'react';
import { AnimatedRow } from './AnimatedRow.tsx';
import type { PictureFormat, PictureTheme, PictureWhat } from './picture.ts';

/** The theme the page shows now (its own choice, else the system's). */
function pageTheme(): PictureTheme {
  const t = document.documentElement.dataset['theme'];
  if (t === 'light' || t === 'dark') return t;
  const dark =
    typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  return dark ? 'dark' : 'light';
}

export function PictureSection({ title }: { title: string }) {
  const [what, setWhat] = useState<PictureWhat>('diagram');
  const [theme, setTheme] = useState<PictureTheme>(pageTheme);
  const [status, setStatus] = useState('');
  const run = (format: PictureFormat) => {
    setStatus('Making the picture…');
    void import('./picture.ts')
      .then((m) => m.exportPicture(what, format, theme, title))
      .then(
        (err) => setStatus(err ?? `${format.toUpperCase()} saved.`),
        (e: unknown) => setStatus(`The picture could not be made: ${String(e)}`),
      );
  };
  return (
    <section aria-label="Picture" data-testid="picture-section">
      <h3>Picture of this moment</h3>
      <div className="share-row">
        <label>
          View{' '}
          <select
            value={what}
            onChange={(e) => setWhat(e.target.value as PictureWhat)}
            data-testid="picture-what"
          >
            <option value="diagram">Diagram</option>
            <option value="lanes">Stepper lanes</option>
          </select>
        </label>
        <label>
          Theme{' '}
          <select
            value={theme}
            onChange={(e) => setTheme(e.target.value as PictureTheme)}
            data-testid="picture-theme"
          >
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        <button type="button" className="btn" onClick={() => run('svg')}>
          Export SVG
        </button>
        <button type="button" className="btn" onClick={() => run('png')}>
          Export PNG
        </button>
      </div>
      {status && (
        <p className="share-muted" role="status" data-testid="picture-status">
          {status}
        </p>
      )}
      <AnimatedRow theme={theme} title={title} />
    </section>
  );
}
