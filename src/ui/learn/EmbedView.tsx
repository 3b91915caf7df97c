// The embedded view: the diagram and the stepper at the link's moment, a title bar with the
// op, and a link that opens the same moment in the full page. No timeline, forms, inspector or
// share chrome.
import { useEffect } from 'react';
import { DiagramView } from '../diagram/DiagramView.tsx';
import { Stepper } from '../stepper/Stepper.tsx';
import { useStepper } from '../stepper/useStepper.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import { fullPageUrl } from './embed.ts';
import './learn.css';

export function EmbedView() {
  const store = useAppStore();
  useStepper(store);
  useEffect(() => {
    store.getState().setStepping(true);
  }, [store]);
  const title = useApp((s) => s.doc.title) ?? 'Untitled scenario';
  const op = useApp((s) => s.cursor.op);
  const notice = useApp((s) => s.notice);
  return (
    <div className="embed" data-testid="embed">
      <div className="embed-bar">
        <span className="embed-title" title={title}>
          {title} · op {op + 1}
        </span>
        <a href={fullPageUrl(window.location)} target="_blank" rel="noopener noreferrer">
          Open in SVA Explorer
        </a>
      </div>
      {notice && (
        <p role="status" className="learn-error">
          {notice}
        </p>
      )}
      <main className="embed-diagram" aria-label="Diagram">
        <DiagramView />
      </main>
      <section className="embed-stepper" aria-label="Stepper">
        <Stepper />
      </section>
    </div>
  );
}
