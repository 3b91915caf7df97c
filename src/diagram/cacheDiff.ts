// Marks cache entries that appeared, changed or went away since the previous op's world.
import type { AtcEntry, CachedConfig, TlbEntry } from '../engine/index.ts';

export type DiffStatus = 'new' | 'changed' | 'same' | 'removed';

export interface Diffed<T> {
  readonly entry: T;
  readonly status: DiffStatus;
}

/**
 * The current entries (in their order) marked new/changed/same, then the previous entries that
 * are gone, marked removed. Without a previous world nothing is marked.
 */
export function diffEntries<T>(
  cur: readonly T[],
  prev: readonly T[] | undefined,
  key: (e: T) => string,
  same: (a: T, b: T) => boolean,
): Diffed<T>[] {
  if (!prev) return cur.map((entry) => ({ entry, status: 'same' }));
  const before = new Map(prev.map((e) => [key(e), e]));
  const now = new Set(cur.map(key));
  const out: Diffed<T>[] = cur.map((entry) => {
    const old = before.get(key(entry));
    return { entry, status: !old ? 'new' : same(old, entry) ? 'same' : 'changed' };
  });
  for (const e of prev) if (!now.has(key(e))) out.push({ entry: e, status: 'removed' });
  return out;
}

export const tlbKey = (e: TlbEntry): string => `${e.tag}|${e.ia}|${e.sizeShift}`;
export const tlbSame = (a: TlbEntry, b: TlbEntry): boolean =>
  a.oa === b.oa &&
  a.leafPa === b.leafPa &&
  JSON.stringify([a.s1, a.s2]) === JSON.stringify([b.s1, b.s2]);

export const cfgKey = (e: CachedConfig): string =>
  e.kind === 'l1std' || e.kind === 'l1cd'
    ? `${e.kind}|${e.sid}|${e.index}`
    : e.kind === 'cd'
      ? `cd|${e.sid}|${e.ssid}`
      : `ste|${e.sid}`;
export const cfgSame = (a: CachedConfig, b: CachedConfig): boolean => {
  if (a.pa !== b.pa) return false;
  const ra = typeof a.raw === 'bigint' ? [a.raw] : a.raw;
  const rb = typeof b.raw === 'bigint' ? [b.raw] : b.raw;
  return ra.length === rb.length && ra.every((w, i) => w === rb[i]);
};

export const atcKey = (e: AtcEntry): string => `${e.sid}|${e.ssid ?? '-'}|${e.ia}|${e.sizeShift}`;
export const atcSame = (a: AtcEntry, b: AtcEntry): boolean =>
  a.pa === b.pa &&
  a.read === b.read &&
  a.write === b.write &&
  a.exec === b.exec &&
  a.priv === b.priv;
