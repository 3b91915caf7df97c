// Keeps the URL fragment and local storage in step with the work: debounced, on document and
// cursor changes only (never per animation frame), with history.replaceState (no history spam).
import { decodeLink, encodeLink, LINK_PREFIX } from '../share/index.ts';
import type { KeyValue } from './persist.ts';
import { pushRecent, saveWork } from './persist.ts';
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

export interface UrlSync {
  /** A fragment the page did not write itself (a pasted link, back/forward): open it. */
  readonly onHash: (hash: string) => void;
  readonly stop: () => void;
}

export function startUrlSync(store: AppStore, t: SyncTargets): UrlSync {
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
  const onHash = (hash: string): void => {
    if (hash === last || !hash.startsWith(LINK_PREFIX)) return;
    const s = store.getState();
    const d = decodeLink(hash);
    if (!d.ok) {
      s.setNotice(`The link was not opened: ${d.error}. Your work is unchanged.`);
      return;
    }
    last = hash;
    const { cursor, ...doc } = d.doc;
    const changed = JSON.stringify(doc) !== JSON.stringify(s.doc);
    if (changed) pushRecent(t.storage, s.doc, new Date());
    s.setDoc(doc, cursor ? { cursor: { op: cursor.op, step: cursor.step } } : {});
    store
      .getState()
      .setNotice(
        changed
          ? 'Opened the linked scenario. Your previous work is in Recent (Share ▸ Recent) and can be restored.'
          : null,
      );
  };
  return {
    onHash,
    stop: () => {
      unsub();
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
