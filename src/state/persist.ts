// Keeping the user's work: the current scenario lives in local storage (it survives a reload), and
// opening someone else's link never overwrites it silently — the earlier work goes to a "recent"
// list first. Storage and location are passed in, so this is testable without a browser.
import { parseScenario, type ScenarioDoc } from '../scenario/index.ts';
import { decodeLink, LINK_PREFIX, sameScenario } from '../share/index.ts';
import type { Cursor } from './store.ts';

export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const WORK_KEY = 'sva-explorer/work';
export const RECENT_KEY = 'sva-explorer/recent';
const MAX_RECENT = 8;

export interface RecentEntry {
  readonly savedAt: string;
  readonly title: string;
  readonly ops: number;
  readonly doc: ScenarioDoc;
}

function readJson(kv: KeyValue, key: string): unknown {
  try {
    const s = kv.getItem(key);
    return s === null ? undefined : JSON.parse(s);
  } catch {
    return undefined;
  }
}

export function loadWork(kv: KeyValue): ScenarioDoc | undefined {
  const v = readJson(kv, WORK_KEY);
  const p = v === undefined ? undefined : parseScenario(v);
  return p?.ok ? p.doc : undefined;
}

export function saveWork(kv: KeyValue, doc: ScenarioDoc): void {
  try {
    kv.setItem(WORK_KEY, JSON.stringify(doc));
  } catch {
    // Storage full or disabled: the work stays in the page; nothing else to do.
  }
}

export function loadRecent(kv: KeyValue): RecentEntry[] {
  const v = readJson(kv, RECENT_KEY);
  if (!Array.isArray(v)) return [];
  return v
    .filter(
      (e): e is RecentEntry =>
        !!e && typeof e === 'object' && parseScenario((e as RecentEntry).doc).ok,
    )
    .slice(0, MAX_RECENT);
}

export function pushRecent(kv: KeyValue, doc: ScenarioDoc, now: Date): void {
  const same = (e: RecentEntry): boolean => JSON.stringify(e.doc) === JSON.stringify(doc);
  const list = [
    {
      savedAt: now.toISOString(),
      title: doc.title ?? 'untitled scenario',
      ops: doc.ops.length,
      doc,
    },
    ...loadRecent(kv).filter((e) => !same(e)),
  ];
  try {
    kv.setItem(RECENT_KEY, JSON.stringify(list.slice(0, MAX_RECENT)));
  } catch {
    // as above
  }
}

export interface Startup {
  readonly doc: ScenarioDoc;
  readonly cursor: Cursor | undefined;
  /** A sentence for the banner: why a link was not loaded, or that earlier work was kept aside. */
  readonly notice: string | null;
}

export const OPENED_LINK =
  'Opened the linked scenario. Your previous work is in Recent (Share ▸ Recent) and can be restored.';
export const refusedLink = (why: string): string =>
  `The link was not opened: ${why}. Your work is unchanged.`;

/** The sentence of a failed run, without createAppStore's "initial scenario is invalid" lead. */
const why = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).replace(/^initial scenario is invalid: /, '');

/**
 * What the page opens: a valid link, else the saved work, else the default scenario.
 *
 * `open` builds the page from the choice (main.tsx: createAppStore, which runs the scenario) and
 * may throw: a link whose scenario fails to run is a bad link like any other — the saved work
 * opens instead, with a banner naming the reason. The saved work goes to Recent only once the
 * link has opened, so a refused link leaves nothing behind. Without `open` (tests) the choice
 * itself is returned.
 */
export function startup<T = Startup>(
  hash: string,
  kv: KeyValue,
  fallback: ScenarioDoc,
  now: Date,
  open: (s: Startup) => T = (s) => s as T,
): T {
  const work = loadWork(kv);
  if (hash.startsWith(LINK_PREFIX)) {
    const d = decodeLink(hash);
    if (!d.ok) return openWork(work, fallback, refusedLink(d.error), kv, now, open);
    const cursor = d.doc.cursor ? { op: d.doc.cursor.op, step: d.doc.cursor.step } : undefined;
    const { cursor: _c, ...linked } = d.doc;
    // The page's own link (a reload) holds the saved work: open it as the user spelled it.
    const same = work !== undefined && sameScenario(work, linked);
    const doc = same ? work : linked;
    const replaces = work !== undefined && !same;
    let opened: T;
    try {
      opened = open({ doc, cursor, notice: replaces ? OPENED_LINK : null });
    } catch (e) {
      return openWork(work, fallback, refusedLink(why(e)), kv, now, open);
    }
    if (replaces) pushRecent(kv, work, now);
    return opened;
  }
  return openWork(work, fallback, null, kv, now, open);
}

/** The saved work, else the default. Saved work that no longer runs is kept in Recent. */
function openWork<T>(
  work: ScenarioDoc | undefined,
  fallback: ScenarioDoc,
  notice: string | null,
  kv: KeyValue,
  now: Date,
  open: (s: Startup) => T,
): T {
  if (work) {
    try {
      return open({ doc: work, cursor: undefined, notice });
    } catch (e) {
      // The page will save the default over it: keep it where Restore can find it.
      pushRecent(kv, work, now);
      const lost = `Your saved work could not be opened (${why(e)}); it is in Recent.`;
      notice = notice ? `${notice} ${lost}` : lost;
    }
  }
  return open({ doc: fallback, cursor: undefined, notice });
}
