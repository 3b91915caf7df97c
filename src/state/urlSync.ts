// Keeps the URL fragment and local storage in step with the work: debounced, on document and
// cursor changes only (never per animation frame), with history.replaceState (no history spam).
import { encodeLink } from '../share/index.ts';
import type { KeyValue } from './persist.ts';
import { saveWork } from './persist.ts';
import type { AppStore, Store } from './store.ts';

export interface SyncTargets {
  readonly storage: KeyValue;
  /** Receives the new fragment (e.g. history.replaceState(null, '', fragment)). */
  readonly replaceHash: (fragment: string) => void;
  readonly delayMs?: number;
}

/** The link for the current moment: the document plus the cursor (op and step). */
export function linkFor(s: Pick<Store, 'doc' | 'cursor'>): string {
  const cursor = s.cursor.op >= 0 ? { cursor: { op: s.cursor.op, step: s.cursor.step } } : {};
  return encodeLink({ ...s.doc, ...cursor });
}

export function startUrlSync(store: AppStore, t: SyncTargets): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = '';
  const flush = (): void => {
    timer = undefined;
    const s = store.getState();
    const link = linkFor(s);
    if (link === last) return;
    last = link;
    saveWork(t.storage, s.doc);
    t.replaceHash(link);
  };
  const unsub = store.subscribe((s, prev) => {
    if (s.doc === prev.doc && s.cursor === prev.cursor) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(flush, t.delayMs ?? 300);
  });
  return () => {
    unsub();
    if (timer !== undefined) clearTimeout(timer);
  };
}
