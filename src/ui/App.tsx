// The page: header, the op timeline on the left, the live diagram in the middle, the inspector on
// the right, the stepper and queues/caches/PASIDs below (shell/Panes.tsx lays them out, resizable
// and foldable); "Add an op" floats over the page as a dialog. One store per App. The diagram
// draws first; the panels beside it follow just after its first frame (lazy.tsx Later).
import { useState, type ReactNode } from 'react';
import { createAppStore, type AppStore } from '../state/index.ts';
import type { ScenarioDoc } from '../scenario/index.ts';
import { StoreContext } from './storeContext.ts';
import { Panes } from './shell/Panes.tsx';
import { DiagramView } from './diagram/DiagramView.tsx';
import {
  AddOpDialog,
  BottomPanel,
  EmbedView,
  InspectorPanel,
  Later,
  LearnDock,
  Loading,
  TimelinePanel,
} from './lazy.tsx';
import { installDebugHook } from './debugHook.ts';
import { Region } from './shell/Region.tsx';
import { ImportHost } from './importer/index.ts';
import { isEmbed } from './learn/index.ts';
import { useApp } from './storeContext.ts';
import './styles.css';

/**
 * The Add-an-op dialog, fetched (with the document schema it checks with) when it first opens,
 * not with the page: closed, it draws nothing.
 */
function AddOpHost() {
  const open = useApp((s) => s.addingOp);
  return open ? (
    <Loading>
      <AddOpDialog />
    </Loading>
  ) : null;
}

export function App({ initial, store: given }: { initial?: ScenarioDoc; store?: AppStore }) {
  const [store] = useState<AppStore>(() => installDebugHook(given ?? createAppStore(initial)));
  // A region that throws while drawing shows its error in place and retries on the next moment
  // (shell/Region.tsx reads the moment, so App itself does not re-render when the cursor moves).
  const region = (what: string, node: ReactNode) => <Region what={what}>{node}</Region>;
  // ?embed=1: the read-only embedded view of the link's moment (learn/EmbedView.tsx).
  if (typeof window !== 'undefined' && isEmbed(window.location.search))
    return (
      <StoreContext.Provider value={store}>
        {region(
          'The embed',
          <Loading>
            <EmbedView />
          </Loading>,
        )}
      </StoreContext.Provider>
    );
  return (
    <StoreContext.Provider value={store}>
      <Panes
        timeline={
          <>
            {region(
              'Tours and notes',
              <Later>
                <LearnDock />
              </Later>,
            )}
            {region(
              'The timeline',
              <Later>
                <TimelinePanel />
              </Later>,
            )}
          </>
        }
        diagram={region('The diagram', <DiagramView />)}
        inspector={region(
          'The inspector',
          <Later>
            <InspectorPanel />
          </Later>,
        )}
        bottom={region(
          'The panels',
          <Later>
            <BottomPanel />
          </Later>,
        )}
        floating={
          <>
            {region('The form', <AddOpHost />)}
            {region('The importer', <ImportHost />)}
          </>
        }
      />
    </StoreContext.Provider>
  );
}
