// The Share dialog's "Compare with a link" row: paste another share link, see this moment against
// the one it points at. The comparison's code (./LinkCompare.tsx, the Eras tab's side-by-side
// view and the scenario diff) loads when a link is first compared.
import { lazy, Suspense, useState } from 'react';

const LinkCompare = lazy(async () => ({
  default: (await import('./LinkCompare.tsx')).LinkCompare,
}));

export function CompareSection() {
  const [text, setText] = useState('');
  const [link, setLink] = useState<string | null>(null);
  return (
    <section aria-label="Compare with a link" data-testid="compare-section">
      <label className="share-label" htmlFor="compare-link">
        Compare this moment with the moment another share link points at
      </label>
      <div className="share-row">
        <input
          id="compare-link"
          className="mono"
          value={text}
          placeholder="https://…#s=…"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && text.trim() && setLink(text)}
          data-testid="compare-link"
        />
        <button type="button" className="btn" disabled={!text.trim()} onClick={() => setLink(text)}>
          Compare
        </button>
        {link !== null && (
          <button type="button" className="btn" onClick={() => setLink(null)}>
            Clear
          </button>
        )}
      </div>
      {link !== null && (
        <Suspense fallback={<p className="share-muted">Running the link’s scenario…</p>}>
          <LinkCompare link={link} />
        </Suspense>
      )}
    </section>
  );
}
