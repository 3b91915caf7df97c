// Keeping the user's work: the current scenario lives in local storage (it survives a reload), and
// opening someone else's link never overwrites it silently — the earlier work goes to a "recent"
// list first. Saved work that no longer opens (an older page wrote it, storage was edited) is
// never dropped either: it goes to Recent as the text it was stored as, with the reason, where it
// can be exported as JSON. Storage and location are passed in, so this is testable without a
// browser.
import {
  brief,
  parseScenario,
  parseTrusted,
  pinDoc,
  seedStory,
  type ScenarioDoc,
} from '../scenario/index.ts';
import { decodeLink, readFragment, sameScenario } from '../share/index.ts';
import type { Cursor } from './store.ts';

export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const WORK_KEY = 'sva-explorer/work';
export const RECENT_KEY = 'sva-explorer/recent';
const MAX_RECENT = 8;

/** Work kept aside: a document that opens, or the stored text of one that does not. */
export type RecentEntry = {
  readonly savedAt: string;
  readonly title: string;
  readonly ops: number;
} & (
  | { readonly doc: ScenarioDoc; readonly text?: undefined; readonly invalid?: undefined }
  | { readonly doc?: undefined; readonly text: string; readonly invalid: string }
);

function readJson(kv: KeyValue, key: string): unknown {
  try {
    const s = kv.getItem(key);
    return s === null ? undefined : JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** The saved work: none, a document that opens, or its stored text and why it does not open. */
export type SavedWork =
  | { readonly kind: 'none' }
  | { readonly kind: 'ok'; readonly doc: ScenarioDoc }
  | { readonly kind: 'invalid'; readonly text: string; readonly error: string };

export function readWork(kv: KeyValue): SavedWork {
  let text: string | null;
  try {
    text = kv.getItem(WORK_KEY);
  } catch {
    return { kind: 'none' };
  }
  if (text === null) return { kind: 'none' };
  // The seed story as the page saved it is the page's own document: no schema needed for it.
  const p = text === seedText() ? parseTrusted(pinDoc(seedStory)) : parseScenario(text);
  return p.ok ? { kind: 'ok', doc: p.doc } : { kind: 'invalid', text, error: p.error };
}

let seed: string | undefined;
/** The saved work's text when it is the untouched seed story (what saveWork writes for it). */
const seedText = (): string => (seed ??= JSON.stringify(pinDoc(seedStory)));

/**
 * Whether opening the page reads a document from outside, so the schema must be loaded first
 * (scenario loadValidation): a link in the fragment, saved work other than the untouched seed
 * story, or a Recent list (an `?empty` start adds to it, reading it back).
 */
export function needsValidation(hash: string, kv: KeyValue): boolean {
  if (readFragment(hash).kind !== 'none') return true;
  try {
    const work = kv.getItem(WORK_KEY);
    return (work !== null && work !== seedText()) || kv.getItem(RECENT_KEY) !== null;
  } catch {
    return false; // storage refused: nothing is read from it
  }
}

export function loadWork(kv: KeyValue): ScenarioDoc | undefined {
  const w = readWork(kv);
  return w.kind === 'ok' ? w.doc : undefined;
}

export function saveWork(kv: KeyValue, doc: ScenarioDoc): void {
  try {
    kv.setItem(WORK_KEY, JSON.stringify(doc));
  } catch {
    // Storage full or disabled: the work stays in the page; nothing else to do.
  }
}

/** A stored Recent entry as read back: kept if it opens, or as text with the reason if not. */
function recentEntry(e: unknown): RecentEntry | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const r = e as Record<string, unknown>;
  const savedAt = typeof r['savedAt'] === 'string' ? r['savedAt'] : new Date(0).toISOString();
  const ops = typeof r['ops'] === 'number' ? r['ops'] : 0;
  const title = typeof r['title'] === 'string' ? r['title'] : 'untitled scenario';
  if (typeof r['text'] === 'string') {
    const p = parseScenario(r['text']);
    if (p.ok) return { savedAt, title, ops, doc: p.doc };
    return { savedAt, title, ops, text: r['text'], invalid: p.error };
  }
  if (r['doc'] === undefined) return undefined;
  const p = parseScenario(r['doc']);
  if (p.ok) return { savedAt, title, ops, doc: p.doc };
  let text: string;
  try {
    text = JSON.stringify(r['doc']);
  } catch {
    return undefined; // nothing that could be exported
  }
  return { savedAt, title, ops, text, invalid: p.error };
}

export function loadRecent(kv: KeyValue): RecentEntry[] {
  const v = readJson(kv, RECENT_KEY);
  if (!Array.isArray(v)) return [];
  const out: RecentEntry[] = [];
  for (const e of v.slice(0, MAX_RECENT)) {
    const r = recentEntry(e);
    if (r) out.push(r);
  }
  return out;
}

/** The text an entry is stored and compared as. */
const textOf = (e: RecentEntry): string => e.text ?? JSON.stringify(e.doc);

function pushEntry(kv: KeyValue, entry: RecentEntry): void {
  const key = textOf(entry);
  const list = [entry, ...loadRecent(kv).filter((e) => textOf(e) !== key)];
  try {
    kv.setItem(RECENT_KEY, JSON.stringify(list.slice(0, MAX_RECENT)));
  } catch {
    // as above
  }
}

export function pushRecent(kv: KeyValue, doc: ScenarioDoc, now: Date): void {
  pushEntry(kv, {
    savedAt: now.toISOString(),
    title: doc.title ?? 'untitled scenario',
    ops: doc.ops.length,
    doc,
  });
}

/** Keeps saved work that does not open: its stored text, and why. */
export function pushRecentText(kv: KeyValue, text: string, invalid: string, now: Date): void {
  let title = 'saved work that does not open';
  let ops = 0;
  try {
    const v = JSON.parse(text) as { title?: unknown; ops?: unknown };
    if (typeof v.title === 'string') title = brief(v.title);
    if (Array.isArray(v.ops)) ops = v.ops.length;
  } catch {
    // not JSON: kept as text all the same
  }
  pushEntry(kv, { savedAt: now.toISOString(), title, ops, text, invalid });
}

/**
 * Puts the saved work in Recent before something else replaces it (an empty start, a link).
 * Work that no longer opens goes with the reason; returns that reason, or null.
 */
export function keepWork(kv: KeyValue, now: Date): string | null {
  const w = readWork(kv);
  if (w.kind === 'ok') pushRecent(kv, w.doc, now);
  if (w.kind !== 'invalid') return null;
  pushRecentText(kv, w.text, w.error, now);
  return w.error;
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
/** The saved work did not pass validation; it was kept in Recent (keepWork). */
export const invalidWork = (why: string): string =>
  `Your saved work could not be opened (${why}); it is kept in Recent (Share ▸ Recent), where you can export it as JSON.`;

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
  const saved = readWork(kv);
  // Saved work that does not validate would be overwritten by whatever opens: keep it first.
  const kept = saved.kind === 'invalid' ? keepWork(kv, now) : null;
  const lost = kept === null ? null : invalidWork(kept);
  const work = saved.kind === 'ok' ? saved.doc : undefined;
  const both = (a: string | null, b: string | null): string | null =>
    a && b ? `${a} ${b}` : (a ?? b);
  // Anything in the fragment is a link to open (decodeLink repairs what chat clients mangle,
  // and says so when it holds no scenario); only an empty one means "no link".
  if (readFragment(hash).kind !== 'none') {
    const d = decodeLink(hash);
    if (!d.ok) return openWork(work, fallback, both(refusedLink(d.error), lost), kv, now, open);
    const cursor = d.doc.cursor ? { op: d.doc.cursor.op, step: d.doc.cursor.step } : undefined;
    const { cursor: _c, ...linked } = d.doc;
    // The page's own link (a reload) holds the saved work: open it as the user spelled it.
    const same = work !== undefined && sameScenario(work, linked);
    const doc = same ? work : linked;
    const replaces = work !== undefined && !same;
    let opened: T;
    try {
      opened = open({ doc, cursor, notice: both(replaces ? OPENED_LINK : null, lost) });
    } catch (e) {
      return openWork(work, fallback, both(refusedLink(why(e)), lost), kv, now, open);
    }
    if (replaces) pushRecent(kv, work, now);
    return opened;
  }
  return openWork(work, fallback, lost, kv, now, open);
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
