// A handle for benchmarks and debugging: with `?bench` in the page's URL, `window.__sva` holds
// the app's store (load a large scenario, jump the cursor, time it). Without it, nothing is
// exposed. Returns the store so App can wrap its creation in it.
import type { AppStore } from '../state/index.ts';

export interface DebugHandle {
  readonly store: AppStore;
}

export function installDebugHook(store: AppStore): AppStore {
  if (typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('bench'))
    (window as unknown as { __sva?: DebugHandle }).__sva = { store };
  return store;
}
