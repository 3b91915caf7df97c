import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { emptyScenario, seedStory } from './scenario/index.ts';
import { loadOutside } from './share/index.ts';
import {
  createAppStore,
  invalidWork,
  keepWork,
  loadLayout,
  needsValidation,
  startLayoutSync,
  startUrlSync,
  startup,
  type AppStore,
  type KeyValue,
  type Startup,
} from './state/index.ts';
import { App, embedStore, isEmbed, noteLanding } from './ui/index.ts';
import { registerOffline } from './offline.ts';

/** localStorage, or a stand-in when the browser refuses it (storage disabled: no persistence). */
function storage(): KeyValue {
  try {
    const s = window.localStorage;
    s.getItem('sva-explorer/probe');
    return s;
  } catch {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
  }
}

// What opens: a share link (#s=…) if it is valid and runs, else the saved work, else the default
// scenario (`?empty` starts from no ops). A bad link never replaces the work; see state/persist.ts.
function boot(kv: KeyValue): AppStore {
  // An embed shows its link's moment only: it never touches the visitor's saved work.
  if (isEmbed(location.search)) return embedStore(location.hash);
  const layout = loadLayout(kv);
  const open = (s: Startup): AppStore =>
    createAppStore(s.doc, { cursor: s.cursor, notice: s.notice, layout });
  if (new URLSearchParams(location.search).has('empty')) {
    // The saved work is kept in Recent, not overwritten; work that no longer opens says why.
    const lost = keepWork(kv, new Date());
    return open({ doc: emptyScenario(), cursor: undefined, notice: lost && invalidWork(lost) });
  }
  return startup(location.hash, kv, seedStory, new Date(), open);
}

/** The query without `empty`: that asks for an empty start once; a reload must reopen the work. */
function query(): string {
  const q = new URLSearchParams(location.search);
  q.delete('empty');
  const s = q.toString();
  return s ? `?${s}` : '';
}
/**
 * Opens the page. An async function, not top-level await: a module with top-level await turns off
 * the bundler's chunk merging (rolldown keeps execution order that way), which left the first
 * visit with two dozen tiny chunks to fetch before anything could draw.
 */
async function start(): Promise<void> {
  const root = document.getElementById('root');
  const kv = storage();
  // Whether the visitor came by a link (the tours' first-visit offer), before the URL sync below
  // writes the work's own link into the address.
  noteLanding(location.hash);
  // A link, saved work or an embed is a document from outside: its schema (and zod) and the link
  // codec are chunks of their own, loaded first; the default page opens on its own seed story
  // without them. If they cannot load, boot() fails below and says so.
  if (isEmbed(location.search) || needsValidation(location.hash, kv))
    await loadOutside().catch(() => undefined);
  let store: AppStore | undefined;
  try {
    store = boot(kv);
  } catch (e) {
    // Not even the default scenario ran (a model bug): say so instead of a blank page.
    if (root)
      root.textContent = `SVA Explorer could not start: ${e instanceof Error ? e.message : String(e)}. Your saved work is untouched in this browser's storage.`;
  }
  if (store && isEmbed(location.search)) {
    if (root) createRoot(root).render(<App store={store} />);
  } else if (store) {
    const sync = startUrlSync(store, {
      storage: kv,
      // The whole URL, so an empty fragment ('': work over a link's limits) removes the old one.
      replaceHash: (f) => history.replaceState(null, '', `${location.pathname}${query()}${f}`),
    });
    // Pane sizes and folds the user chose survive a reload.
    const layoutSync = startLayoutSync(store, kv);
    window.addEventListener('pagehide', () => layoutSync.flush());
    // A link pasted into this tab changes only the fragment: open it as a fresh load would.
    window.addEventListener('hashchange', () => sync.onHash(location.hash));
    if (root)
      createRoot(root).render(
        <StrictMode>
          <App store={store} />
        </StrictMode>,
      );
  }
  // After one visit the page reloads with no network (src/offline.ts).
  if (store) registerOffline();
}

void start();
