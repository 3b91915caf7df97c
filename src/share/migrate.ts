// Link payload versions. Each released version keeps decoding forever: a migration turns version
// n into n+1 until the current one (compiler-explorer's loadState pattern). Version 1 is the
// compact form of compact.ts; frozen links of every version live in fixtures/ and are tested.
import type { CompactDoc } from './compact.ts';

export const LINK_VERSION = 1;

type Step = (v: unknown) => unknown;

/** MIGRATIONS[n] turns a version-n payload into version n+1. */
const MIGRATIONS: Readonly<Record<number, Step>> = {};

export function migrate(
  version: number,
  value: unknown,
): { ok: true; value: CompactDoc } | { ok: false; error: string } {
  let v = value;
  for (let n = version; n < LINK_VERSION; n++) {
    const step = MIGRATIONS[n];
    if (!step) return { ok: false, error: `no migration from link version ${n}` };
    v = step(v);
  }
  if (v === null || typeof v !== 'object' || !Array.isArray((v as { o?: unknown }).o)) {
    return { ok: false, error: 'the link is damaged: it holds no list of ops' };
  }
  return { ok: true, value: v as CompactDoc };
}
