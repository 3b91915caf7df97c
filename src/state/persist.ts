// Keeping the user's work: the current scenario lives in local storage (it survives a reload), and
// opening someone else's link never overwrites it silently — the earlier work goes to a "recent"
// list first. Storage and location are passed in, so this is testable without a browser.
import { parseScenario, type ScenarioDoc } from '../scenario/index.ts';
import { decodeLink, LINK_PREFIX } from '../share/index.ts';
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

/** What the page opens: a valid link, else the saved work, else the default scenario. */
export function startup(hash: string, kv: KeyValue, fallback: ScenarioDoc, now: Date): Startup {
  const work = loadWork(kv);
  if (hash.startsWith(LINK_PREFIX)) {
    const d = decodeLink(hash);
    if (!d.ok)
      return {
        doc: work ?? fallback,
        cursor: undefined,
        notice: `The link was not opened: ${d.error}. Your work is unchanged.`,
      };
    const cursor = d.doc.cursor ? { op: d.doc.cursor.op, step: d.doc.cursor.step } : undefined;
    const { cursor: _c, ...doc } = d.doc;
    if (work && JSON.stringify(work) !== JSON.stringify(doc)) {
      pushRecent(kv, work, now);
      return {
        doc,
        cursor,
        notice:
          'Opened the linked scenario. Your previous work is in Recent (Share ▸ Recent) and can be restored.',
      };
    }
    return { doc, cursor, notice: null };
  }
  return { doc: work ?? fallback, cursor: undefined, notice: null };
}
