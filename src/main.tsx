import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { emptyScenario } from './scenario/index.ts';
import { seedStory } from './scenario/presets/seedStory.ts';
import { createAppStore, loadWork, pushRecent, startUrlSync, startup } from './state/index.ts';
import { App } from './ui/App.tsx';

// What opens: a share link (#s=…) if it is valid, else the saved work, else the default
// scenario (`?empty` starts from no ops). A bad link never replaces the work; see state/persist.ts.
const empty = new URLSearchParams(location.search).has('empty');
const saved = loadWork(localStorage);
if (empty && saved) pushRecent(localStorage, saved, new Date()); // kept, not overwritten
const s = empty
  ? { doc: emptyScenario(), cursor: undefined, notice: null }
  : startup(location.hash, localStorage, seedStory, new Date());
const store = createAppStore(s.doc, { cursor: s.cursor, notice: s.notice });
const sync = startUrlSync(store, {
  storage: localStorage,
  replaceHash: (f) => history.replaceState(null, '', f),
});
// A link pasted into this tab changes only the fragment: open it as a fresh load would.
window.addEventListener('hashchange', () => sync.onHash(location.hash));

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App store={store} />
    </StrictMode>,
  );
}
