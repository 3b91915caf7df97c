// The page: header, op timeline and forms on the left, the live diagram in the middle, the
// inspector on the right, queues/caches/PASIDs (and the stepper) below. One store per App.
import { useState, type ReactNode } from 'react';
import { createAppStore, type AppStore } from '../state/index.ts';
import type { ScenarioDoc } from '../scenario/index.ts';
import { StoreContext } from './storeContext.ts';
import { Header } from './shell/Header.tsx';
import { TimelinePanel } from './timeline/TimelinePanel.tsx';
import { NewOpForm } from './forms/NewOpForm.tsx';
import { DiagramView } from './diagram/DiagramView.tsx';
import { InspectorPanel } from './inspector/InspectorPanel.tsx';
import { BottomPanel } from './panels/BottomPanel.tsx';
import { installDebugHook } from './debugHook.ts';
import { ErrorBoundary } from './shell/ErrorBoundary.tsx';
import { ImportHost } from './importer/index.ts';
import { EmbedView, isEmbed, LearnDock } from './learn/index.ts';
import { useStore } from 'zustand';
import './styles.css';

export function App({ initial, store: given }: { initial?: ScenarioDoc; store?: AppStore }) {
  const [store] = useState<AppStore>(() => installDebugHook(given ?? createAppStore(initial)));
  // A region that throws while drawing shows its error in place and retries on the next moment.
  const moment = useStore(store, (s) => `${s.doc.ops.length}:${s.cursor.op}:${s.cursor.step}`);
  const region = (what: string, node: ReactNode) => (
    <ErrorBoundary what={what} resetKey={moment}>
      {node}
    </ErrorBoundary>
  );
  // ?embed=1: the read-only embedded view of the link's moment (learn/EmbedView.tsx).
  if (typeof window !== 'undefined' && isEmbed(window.location.search))
    return (
      <StoreContext.Provider value={store}>
        {region('The embed', <EmbedView />)}
      </StoreContext.Provider>
    );
  return (
    <StoreContext.Provider value={store}>
      <div className="app" data-testid="app">
        <Header />
        <aside className="left" aria-label="Scenario ops">
          {region('Tours and notes', <LearnDock />)}
          {region('The timeline', <TimelinePanel />)}
          {region('The form', <NewOpForm />)}
        </aside>
        <main className="center" aria-label="Diagram">
          {region('The diagram', <DiagramView />)}
        </main>
        <aside className="right" aria-label="Inspector">
          {region('The inspector', <InspectorPanel />)}
        </aside>
        <section className="bottom" aria-label="Queues and caches">
          {region('The panels', <BottomPanel />)}
        </section>
        {region('The importer', <ImportHost />)}
      </div>
    </StoreContext.Provider>
  );
}
