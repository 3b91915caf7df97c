// Keeps the URL fragment and local storage in step with the work: debounced, on document and
// cursor changes only (a flurry of steps while the stepper plays is one write, not one per step),
// with history.replaceState (no history spam). The fragment only ever holds a link the page would
// open: when the work is over a link's limits it lives in local storage alone and the fragment is
// cleared, so a reload cannot bring back an older link in its place.
import {
  codecLoaded,
  decodeLink,
  encodeLink,
  loadCodec,
  loadOutside,
  readFragment,
  sameScenario,
  shareLink,
} from '../share/index.ts';
import { validationLoaded, type ScenarioDoc } from '../scenario/index.ts';
import type { KeyValue } from './persist.ts';
import { OPENED_LINK, pushRecent, refusedLink, saveWork } from './persist.ts';
import type { AppStore, Store } from './store.ts';

export interface SyncTargets {
  readonly storage: KeyValue;
  /** Receives the new fragment, or '' for none (e.g. history.replaceState(null, '', url)). */
  readonly replaceHash: (fragment: string) => void;
  readonly delayMs?: number;
  readonly now?: () => Date;
}

/** The document of the current moment: the scenario plus the cursor (op and step). */
function docFor(s: Pick<Store, 'doc' | 'cursor'>): ScenarioDoc {
  return s.cursor.op >= 0 ? { ...s.doc, cursor: { op: s.cursor.op, step: s.cursor.step } } : s.doc;
}

/** The link for the current moment (whether or not it is within a link's limits). */
export const linkFor = (s: Pick<Store, 'doc' | 'cursor'>): string => encodeLink(docFor(s));

export interface UrlSync {
  /** A fragment the page did not write itself (a pasted link, back/forward): open it. */
  readonly onHash: (hash: string) => void;
  readonly stop: () => void;
}

export function startUrlSync(store: AppStore, t: SyncTargets): UrlSync {
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The fragment as the page last wrote or opened it; undefined: unknown, write it next time. */
  let written: string | undefined;
  let saved: ScenarioDoc | undefined;
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const s = store.getState();
    if (s.doc !== saved) {
      saveWork(t.storage, s.doc);
      saved = s.doc;
    }
    // The link codec is loaded on demand: the fragment follows once it is here (the work is saved).
    if (!codecLoaded()) return void loadCodec().then(() => timer === undefined && flush());
    const r = shareLink(docFor(s));
    const fragment = r.ok ? r.link : '';
    if (fragment === written) return;
    written = fragment;
    t.replaceHash(fragment);
  };
  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(flush, t.delayMs ?? 300);
  };
  const unsub = store.subscribe((s, prev) => {
    if (s.doc !== prev.doc || s.cursor !== prev.cursor) schedule();
  });
  // The fragment the page was opened with may be a link it refused: replace it with the work's.
  schedule();

  const onHash = (hash: string): void => {
    // A fragment that is no link at all is left alone; a mangled link is repaired and opened.
    if (hash === written || readFragment(hash).kind !== 'link') return;
    // A link is checked by the document schema, loaded on demand: the link opens once it is here.
    if (!validationLoaded() || !codecLoaded()) return void loadOutside().then(() => onHash(hash));
    const refuse = (why: string): void => {
      store.getState().setNotice(refusedLink(why));
      written = undefined; // put the work's own link back in the address bar
      flush();
    };
    const d = decodeLink(hash);
    if (!d.ok) return refuse(d.error);
    const s = store.getState();
    const { cursor, ...doc } = d.doc;
    written = hash;
    if (sameScenario(doc, s.doc)) {
      // The same scenario at another moment (back/forward): move the cursor, no undo entry.
      if (cursor) s.setCursor(cursor.op, cursor.step);
      s.setNotice(null);
      return;
    }
    // setDoc runs the scenario; one that fails to run is refused like any other bad link.
    const err = s.setDoc(doc, cursor ? { cursor: { op: cursor.op, step: cursor.step } } : {});
    if (err) return refuse(err);
    pushRecent(t.storage, s.doc, (t.now ?? (() => new Date()))());
    store.getState().setNotice(OPENED_LINK);
  };
  return {
    onHash,
    stop: () => {
      unsub();
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
