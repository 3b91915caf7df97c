// Link payload versions. Each released version keeps decoding forever: a migration turns version
// n into n+1 until the current one (compiler-explorer's loadState pattern). Version 1 is the
// compact form of compact.ts; version 2 has the same shape, but its kernel is any era id and
// "mainline" names the newest era, where version 1's "mainline" was the era v6.11. Frozen links
// of every version live in fixtures/ and are tested.
import { fromV1Kernel } from '../kernel/index.ts';
import type { CompactDoc } from './compact.ts';

export const LINK_VERSION = 2;

/** Turns a version-n payload into version n+1. May throw on a payload of the wrong shape. */
export type Migration = (v: unknown) => unknown;

/** Version 1 → 2: the kernel the link meant by "mainline" is pinned to its era. */
function pinMainline(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const c = v as { k?: unknown };
  return typeof c.k === 'string' ? { ...c, k: fromV1Kernel(c.k) } : v;
}

/** MIGRATIONS.get(n) turns a version-n payload into version n+1. A Map: no inherited keys. */
const MIGRATIONS: ReadonlyMap<number, Migration> = new Map([[1, pinMainline]]);

export type Migrated = { ok: true; value: CompactDoc } | { ok: false; error: string };

export const migrate = (version: number, value: unknown): Migrated =>
  migrateWith(MIGRATIONS, LINK_VERSION, version, value);

/**
 * The chain itself, with the table and the current version as parameters so a test can run a
 * longer chain than the one shipped. Refuses versions it cannot read instead of guessing.
 */
export function migrateWith(
  steps: ReadonlyMap<number, Migration>,
  current: number,
  version: number,
  value: unknown,
): Migrated {
  if (!Number.isSafeInteger(version) || version < 1)
    return { ok: false, error: 'the link is malformed: it does not start with a format version' };
  if (version > current)
    return { ok: false, error: `the link is version ${version}; this page reads up to ${current}` };
  let v = value;
  for (let n = version; n < current; n++) {
    const step = steps.get(n);
    if (!step) return { ok: false, error: `no migration from link version ${n}` };
    try {
      v = step(v);
    } catch {
      return { ok: false, error: `the link is damaged: its version ${n} data cannot be upgraded` };
    }
  }
  if (v === null || typeof v !== 'object' || !Array.isArray((v as { o?: unknown }).o)) {
    return { ok: false, error: 'the link is damaged: it holds no list of ops' };
  }
  return { ok: true, value: v as CompactDoc };
}
