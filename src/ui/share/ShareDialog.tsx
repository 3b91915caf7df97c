// Share: the link for this moment (scenario + cursor), JSON export/import/paste, the document as
// JSON, and Recent — earlier work kept aside when a link or an import replaced it. A scenario over
// a link's limits gets no link (the page would refuse it when opened) and the dialog says why.
import { useMemo, useRef, useState } from 'react';
import type { Parsed } from '../../scenario/index.ts';
import { decodeLink, exportJson, importJson, SENSIBLE_LINK, shareLink } from '../../share/index.ts';
import { loadRecent, pushRecent, stepCount, type RecentEntry } from '../../state/index.ts';
import { recognise } from '../../logs/index.ts';
import { requestImport } from '../importer/index.ts';
import { embedCode } from '../learn/index.ts';
import { PictureSection } from '../export/PictureSection.tsx';
import { CompareSection } from './CompareSection.tsx';
import { useApp, useAppStore } from '../storeContext.ts';
import './share.css';

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

const fileName = (title: string): string => `${title.replace(/[^\w.-]+/g, '-').slice(0, 60)}.json`;

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function ShareDialog({ onClose }: { onClose: () => void }) {
  const store = useAppStore();
  const doc = useApp((s) => s.doc);
  const cursor = useApp((s) => s.cursor);
  const steps = useApp(stepCount);
  const withCursor = useMemo(
    () => (cursor.op >= 0 ? { ...doc, cursor: { op: cursor.op, step: cursor.step } } : doc),
    [doc, cursor],
  );
  const share = useMemo(() => shareLink(withCursor), [withCursor]);
  const link = share.ok ? `${location.origin}${location.pathname}${share.link}` : '';
  const tooLong = !share.ok || link.length > SENSIBLE_LINK;
  const [status, setStatus] = useState('');
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState('');
  // Recent is read from storage on every render: opening a link elsewhere may have added an entry.
  const [, setRecent] = useState(0);
  const recent: RecentEntry[] = loadRecent(localStorage);
  const file = useRef<HTMLInputElement>(null);

  /** Opens a parsed document (JSON file, pasted JSON or link, Recent entry) in the page. */
  const load = (p: Parsed | ReturnType<typeof decodeLink>, what: string): void => {
    if (!p.ok) {
      setError(`${what}: ${p.error}`);
      return;
    }
    const before = store.getState().doc;
    const { cursor: c, ...rest } = p.doc;
    const err = store.getState().setDoc(rest, c ? { cursor: { op: c.op, step: c.step } } : {});
    if (err) {
      setError(`${what}: ${err}`);
      return;
    }
    // Only now that it opened: a refused document leaves Recent as it was.
    pushRecent(localStorage, before, new Date());
    setError('');
    setStatus(`${what} loaded; your previous scenario is in Recent.`);
    setRecent((n) => n + 1);
  };
  // Pasted text is JSON if it looks like an object, a link (with its own error sentences), or
  // anything else — a kernel log, /proc/PID/maps — which the importer reads instead.
  const loadPasted = (): void => {
    const kind = recognise(pasted);
    if (kind === 'scenario') return load(importJson(pasted), 'pasted text');
    if (kind !== 'link' && requestImport(store, pasted, 'the Share box')) return onClose();
    load(decodeLink(pasted.trim()), 'pasted link');
  };

  return (
    <div
      className="share"
      role="dialog"
      aria-modal="true"
      aria-labelledby="share-title"
      data-testid="share-dialog"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="share-head">
        <h2 id="share-title">Share this moment</h2>
        <button type="button" className="btn" onClick={onClose} aria-label="Close share">
          ✕
        </button>
      </div>
      <section aria-label="Link">
        <label className="share-label" htmlFor="share-link">
          {momentLabel(cursor, steps)}
          {share.ok ? ` (${link.length.toLocaleString('en')} characters)` : ' (none)'}
        </label>
        <div className="share-row">
          <input
            id="share-link"
            className="mono"
            readOnly
            value={tooLong ? '' : link}
            data-testid="share-link"
            onFocus={(e) => e.currentTarget.select()}
          />
          <button
            type="button"
            className="btn primary"
            disabled={tooLong}
            onClick={() =>
              void copyText(link).then((ok) =>
                setStatus(
                  ok
                    ? 'Link copied.'
                    : 'Select the link and copy it (the clipboard is not available).',
                ),
              )
            }
          >
            Copy link
          </button>
          <button
            type="button"
            className="btn"
            disabled={tooLong || !share.ok}
            onClick={() =>
              void copyText(embedCode(link, doc.title ?? 'SVA Explorer')).then((ok) =>
                setStatus(ok ? 'Embed code copied.' : 'The clipboard is not available.'),
              )
            }
          >
            Copy embed code
          </button>
        </div>
        {!share.ok ? (
          <p className="share-warn" data-testid="share-no-link">
            This scenario has no link: {share.error}. Export it as a JSON file instead; your work is
            kept in this browser.
          </p>
        ) : (
          tooLong && (
            <p className="share-warn" data-testid="share-no-link">
              This scenario is too large for a sensible link ({link.length.toLocaleString('en')}{' '}
              characters). Export it as a JSON file instead.
            </p>
          )
        )}
      </section>
      <section aria-label="JSON">
        <div className="share-row">
          <button
            type="button"
            className="btn"
            onClick={() => download(fileName(doc.title ?? 'scenario'), exportJson(withCursor))}
          >
            Export JSON
          </button>
          <button type="button" className="btn" onClick={() => file.current?.click()}>
            Import JSON…
          </button>
          <input
            ref={file}
            type="file"
            accept=".json,application/json"
            hidden
            aria-label="JSON file to import"
            data-testid="import-file"
            onChange={(e) =>
              void e.target.files?.[0]
                ?.text()
                .then((t) => load(importJson(t), e.target.files?.[0]?.name ?? 'file'))
            }
          />
        </div>
        <label className="share-label" htmlFor="share-paste">
          Paste a scenario (JSON), a link, a kernel log or /proc/PID/maps
        </label>
        <textarea
          id="share-paste"
          className="mono"
          rows={3}
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
          data-testid="share-paste"
        />
        <button type="button" className="btn" disabled={!pasted.trim()} onClick={loadPasted}>
          Load pasted
        </button>
        {error && (
          <p className="share-error" role="alert" data-testid="share-error">
            {error}
          </p>
        )}
        <details>
          <summary>View as JSON</summary>
          <pre className="mono share-json" data-testid="share-json">
            {exportJson(withCursor)}
          </pre>
        </details>
      </section>
      <PictureSection title={doc.title ?? 'scenario'} />
      <CompareSection />
      <section aria-label="Recent">
        <h3>Recent</h3>
        {recent.length === 0 ? (
          <p className="share-muted">Nothing kept aside yet.</p>
        ) : (
          <ul className="share-recent">
            {recent.map((r) => (
              <li key={r.savedAt + r.title}>
                <span>
                  {r.title} — {r.ops} ops, kept {new Date(r.savedAt).toLocaleString()}
                  {r.invalid !== undefined && (
                    <span className="share-warn" data-testid="recent-invalid">
                      {' '}
                      — does not open: {r.invalid}
                    </span>
                  )}
                </span>
                {r.doc ? (
                  <button
                    type="button"
                    className="btn"
                    onClick={() => load(importJson(JSON.stringify(r.doc)), `"${r.title}"`)}
                  >
                    Restore
                  </button>
                ) : (
                  <button
                    type="button"
                    className="btn"
                    onClick={() => download(fileName(r.title), r.text)}
                  >
                    Export JSON
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <p className="share-status" role="status">
        {status}
      </p>
    </div>
  );
}

/** The moment as the page shows it: ops numbered as in the timeline, steps as the stepper counts. */
export function momentLabel(cursor: { op: number; step: number }, steps: number): string {
  if (cursor.op < 0) return 'Link to the moment after boot';
  if (steps === 0) return `Link to op ${cursor.op}`;
  return `Link to op ${cursor.op}, step ${Math.min(cursor.step, steps - 1) + 1} / ${steps}`;
}
