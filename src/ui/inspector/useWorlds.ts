// The world at the cursor and the one before it (for "changed since the previous op" marks).
import { useCallback } from 'react';
import { worldAt, type Selection } from '../../state/index.ts';
import type { World } from '../../scenario/index.ts';
import { useApp, useAppStore } from '../storeContext.ts';

/** The world before the op at the cursor; undefined at boot (cursor −1). */
export function usePrevWorld(): World | undefined {
  const timeline = useApp((s) => s.timeline);
  const op = useApp((s) => s.cursor.op);
  return op < 0 ? undefined : worldAt(timeline, op - 1);
}

/** The store's select action, bound (for the inspector, queue slots and cache rows). */
export function useSelect(): (sel: Selection | null) => void {
  const store = useAppStore();
  return useCallback((sel) => store.getState().select(sel), [store]);
}
