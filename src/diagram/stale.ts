// Stale cache entries in a world, and since which op: the TLB, configuration cache and ATC entries
// whose source words (engine/stale.ts) memory no longer holds, each with the op whose write made
// the first of them differ. The state layer caches these per timeline; the Caches tab and the
// diagram mark what they return.
import {
  changedSources,
  changeMatters,
  configSources,
  type AtcEntry,
  type CachedConfig,
  type ChangedWord,
  type MemWrite,
  type TlbEntry,
} from '../engine/index.ts';
import type { OpRecord, World } from '../scenario/index.ts';
import { atcKey, cfgKey, tlbKey } from './cacheDiff.ts';

export type CacheKind = 'tlb' | 'cfg' | 'atc';
/** The entry type each cache holds. */
export interface CacheEntryOf {
  readonly tlb: TlbEntry;
  readonly cfg: CachedConfig;
  readonly atc: AtcEntry;
}

export interface StaleEntry {
  readonly cache: CacheKind;
  /** The entry's key in its cache (tlbKey, cfgKey, atcKey). */
  readonly key: string;
  /** The source words memory no longer holds, in source order. */
  readonly words: readonly ChangedWord[];
  /**
   * The op whose write first made a source word differ (the entry has been stale since), or
   * undefined when no op of the timeline did (a word changed before the first op).
   */
  readonly since: number | undefined;
}

/** Every write of the timeline to one word: the op, and the value before and after. */
export interface WordWrite {
  readonly op: number;
  readonly old: bigint;
  readonly new: bigint;
}

/** The timeline's writes by word address, in the order they happened. */
export function writeHistory(
  records: readonly { readonly writes: readonly MemWrite[] }[],
): ReadonlyMap<bigint, readonly WordWrite[]> {
  const out = new Map<bigint, WordWrite[]>();
  records.forEach((r, op) => {
    for (const w of r.writes) {
      let list = out.get(w.pa);
      if (!list) out.set(w.pa, (list = []));
      list.push({ op, old: w.old, new: w.new });
    }
  });
  return out;
}

/**
 * The op (at or before `upTo`) whose write took `word` away from the value the entry cached: the
 * latest write whose old value still matched. Values chain (each write's old is the previous
 * one's new), so that write is where the current run of differing values began.
 */
export function sinceOp(
  history: ReadonlyMap<bigint, readonly WordWrite[]>,
  word: ChangedWord,
  upTo: number,
): number | undefined {
  const list = history.get(word.pa) ?? [];
  for (let i = list.length - 1; i >= 0; i--) {
    const w = list[i]!;
    if (w.op > upTo) continue;
    if (!changeMatters(word.role, word.was, w.old)) return w.op;
  }
  return undefined;
}

/**
 * The stale entries of `world`'s caches. `since` answers for one changed word (the state layer
 * passes sinceOp over the timeline's history); it is asked only about stale entries.
 */
export function staleEntries(
  world: World,
  since: (w: ChangedWord) => number | undefined,
): StaleEntry[] {
  const out: StaleEntry[] = [];
  const mem = world.mem;
  const add = (cache: CacheKind, key: string, words: ChangedWord[]): void => {
    if (words.length === 0) return;
    let first: number | undefined;
    for (const w of words) {
      const s = since(w);
      if (s !== undefined && (first === undefined || s < first)) first = s;
    }
    out.push({ cache, key, words, since: first });
  };
  for (const e of world.smmu.tlb.entries()) add('tlb', tlbKey(e), changedSources(e.src, mem));
  for (const e of world.smmu.cfg.entries())
    add('cfg', cfgKey(e), changedSources(configSources(e), mem));
  for (const e of world.smmu.atc.entries()) add('atc', atcKey(e), changedSources(e.src, mem));
  return out;
}

/** Stale entries by cache and key, for the Caches tab's rows. */
export interface StaleMarks {
  readonly all: readonly StaleEntry[];
  get<K extends CacheKind>(cache: K, e: CacheEntryOf[K]): StaleEntry | undefined;
  /** Stale entries built from the word at `pa` (the diagram marks that structure's row). */
  at(pa: bigint): readonly StaleEntry[];
}

export function staleMarks(all: readonly StaleEntry[]): StaleMarks {
  const byKey = new Map(all.map((s) => [`${s.cache}|${s.key}`, s]));
  const byPa = new Map<bigint, StaleEntry[]>();
  for (const s of all)
    for (const w of s.words) {
      const list = byPa.get(w.pa) ?? [];
      if (!list.includes(s)) list.push(s);
      byPa.set(w.pa, list);
    }
  const key = (cache: CacheKind, e: TlbEntry | CachedConfig | AtcEntry): string =>
    cache === 'tlb'
      ? tlbKey(e as TlbEntry)
      : cache === 'cfg'
        ? cfgKey(e as CachedConfig)
        : atcKey(e as AtcEntry);
  return {
    all,
    get: (cache: CacheKind, e: TlbEntry | CachedConfig | AtcEntry) =>
      byKey.get(`${cache}|${key(cache, e)}`),
    at: (pa: bigint) => byPa.get(pa) ?? [],
  };
}

export const NO_STALE: StaleMarks = staleMarks([]);

/** What a stale entry is, for a title or a list: "TLB entry", "configuration cache CD" … */
export function staleWhat(s: StaleEntry): string {
  switch (s.cache) {
    case 'tlb':
      return 'TLB entry';
    case 'atc':
      return 'ATC entry';
    case 'cfg':
      return `cached ${s.key.split('|')[0]!.toUpperCase()}`;
  }
}

/** A hit on a stale entry during an op's device access. */
export interface StaleHit {
  readonly cache: CacheKind;
  /** "TLB", "config cache (CD)", "ATC": what was hit. */
  readonly what: string;
  readonly words: readonly ChangedWord[];
  /** Which attempt of the access, and which step of its trace (undefined: an ATC hit). */
  readonly attempt: number;
  readonly step: number | undefined;
}

/** The stale hits of a dma op's attempts, in order (none for other ops). */
export function staleHitsOf(r: OpRecord): StaleHit[] {
  const out: StaleHit[] = [];
  r.dma?.attempts.forEach((a, attempt) => {
    if (a.stale) out.push({ cache: 'atc', what: 'ATC', words: a.stale, attempt, step: undefined });
    a.steps.forEach((t, step) => {
      if (t.kind === 'cfg-hit' && t.stale)
        out.push({
          cache: 'cfg',
          what: `config cache (${t.struct.toUpperCase()})`,
          words: t.stale,
          attempt,
          step,
        });
      else if (t.kind === 'tlb-hit' && t.stale)
        out.push({ cache: 'tlb', what: 'TLB', words: t.stale, attempt, step });
    });
  });
  return out;
}
