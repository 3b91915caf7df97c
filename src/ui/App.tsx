// The page: header, the op timeline on the left, the live diagram in the middle, the inspector on
// the right, the stepper and queues/caches/PASIDs below (shell/Panes.tsx lays them out, resizable
// and foldable); "Add an op" floats over the page as a dialog. One store per App.
import { useState, type ReactNode } from 'react';
import { createAppStore, type AppStore } from '../state/index.ts';
import type { ScenarioDoc } from '../scenario/index.ts';
import { StoreContext } from './storeContext.ts';
import { Panes } from './shell/Panes.tsx';
import { TimelinePanel } from './timeline/TimelinePanel.tsx';
import { AddOpDialog } from './forms/AddOpDialog.tsx';
import { DiagramView } from './diagram/DiagramView.tsx';
import { InspectorPanel } from './inspector/InspectorPanel.tsx';
import { BottomPanel } from './panels/BottomPanel.tsx';
import { installDebugHook } from './debugHook.ts';
import { ErrorBoundary } from './shell/ErrorBoundary.tsx';
import { ImportHost } from './importer/index.ts';
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
  return (
    <StoreContext.Provider value={store}>
      <Panes
        timeline={region('The timeline', <TimelinePanel />)}
        diagram={region('The diagram', <DiagramView />)}
        inspector={region('The inspector', <InspectorPanel />)}
        bottom={region('The panels', <BottomPanel />)}
        floating={
          <>
            {region('The form', <AddOpDialog />)}
            {region('The importer', <ImportHost />)}
          </>
        }
      />
    </StoreContext.Provider>
  );
}
