// React access to the store: one store per <App>, read through selectors (zustand useStore).
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { worldAt, type AppStore, type Store } from '../state/index.ts';
import type { World } from '../scenario/index.ts';

export const StoreContext = createContext<AppStore | null>(null);

export function useAppStore(): AppStore {
  const s = useContext(StoreContext);
  if (!s) throw new Error('useApp outside <StoreContext.Provider>');
  return s;
}

export function useApp<T>(selector: (s: Store) => T): T {
  return useStore(useAppStore(), selector);
}

/** The world at the cursor (derived; memoised per timeline and op). */
export function useWorld(): World {
  const timeline = useApp((s) => s.timeline);
  const op = useApp((s) => s.cursor.op);
  return worldAt(timeline, op);
}
