// What a cached entry was built from, and whether memory still says the same. A TLB entry is
// built from the descriptors its walk read (the table descriptors and the leaf), an ATC entry
// from the translation that answered its Translation Request, a configuration cache entry from
// the STE, CD or L1 descriptor it copied (§3.21.3: any fetched structure may be cached). The
// entry is stale when one of those words changed without the invalidation that would drop it
// (CMD_TLBI_*, CMD_CFGI_*, CMD_ATC_INV): the architecture lets the SMMU keep using the old copy.
import type { CachedConfig } from './configCache.ts';
import type { PhysMem } from './memory.ts';

/**
 * What a source word is, which decides which of its changes matter: a table descriptor, a
 * stage-1 or stage-2 leaf (block or page), or a configuration structure word.
 */
export type SourceRole = 'table' | 's1-leaf' | 's2-leaf' | 'config';

/** A memory word a cached entry was built from: where, and what it held then. */
export interface SourceWord {
  readonly pa: bigint;
  readonly value: bigint;
  readonly role: SourceRole;
}

/** A source word that memory no longer holds: its value then and now (undefined: not RAM). */
export interface ChangedWord {
  readonly pa: bigint;
  readonly role: SourceRole;
  readonly was: bigint;
  readonly now: bigint | undefined;
}

const bit = (n: number): bigint => 1n << BigInt(n);
const ones = (hi: number, lo: number): bigint => ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);

/**
 * Table descriptor bits the walk uses (Arm ARM D8.3.1): bits[1:0], the next-level table address
 * [47:12] and the hierarchical attributes [63:59]. Bits [11:2] and [58:52] are ignored by the
 * hardware (software may keep anything there).
 */
const TABLE_USED = ones(1, 0) | ones(47, 12) | ones(63, 59);
/**
 * Leaf bits a cached translation depends on: all but AF (bit 10; a TLB never caches AF=0, and
 * clearing it for ageing is allowed without maintenance), the bits reserved for software
 * [58:55] (Linux keeps its own dirty and special flags there) and the ignored/PBHA bits [63:59].
 */
const LEAF_USED = ~(bit(10) | ones(58, 55) | ones(63, 59)) & ones(63, 0);
const DBM = bit(51);
/** Stage 1: AP[2] (bit 7) 1→0 under DBM is the hardware marking the page dirty. */
const AP2 = bit(7);

/**
 * Whether a change of a source word from `was` to `now` makes the cached copy wrong. Changes the
 * hardware makes or allows without maintenance do not: the Access flag, software bits, and the
 * dirty state under DBM (stage 1 AP[2] 1→0, stage 2 S2AP[1] 0→1: the cached copy is the cleaner,
 * stricter one, and a write through it walks again to record the dirty state).
 */
export function changeMatters(role: SourceRole, was: bigint, now: bigint | undefined): boolean {
  if (now === undefined) return true;
  switch (role) {
    case 'config':
      return was !== now;
    case 'table':
      return ((was ^ now) & TABLE_USED) !== 0n;
    case 's1-leaf':
    case 's2-leaf': {
      let diff = (was ^ now) & LEAF_USED;
      const cleaned =
        role === 's1-leaf' ? (was & AP2) !== 0n && (now & AP2) === 0n : (was & AP2) === 0n;
      if (diff === AP2 && (was & DBM) !== 0n && (now & DBM) !== 0n && cleaned) diff = 0n;
      return diff !== 0n;
    }
  }
}

/** The source words memory no longer holds (in a way that matters), in source order. */
export function changedSources(src: readonly SourceWord[], mem: PhysMem): ChangedWord[] {
  const out: ChangedWord[] = [];
  for (const s of src) {
    const now = mem.read64(s.pa);
    if (changeMatters(s.role, s.value, now))
      out.push({ pa: s.pa, role: s.role, was: s.value, now });
  }
  return out;
}

/** A configuration cache entry's sources: the words of the structure it copied. */
export function configSources(e: CachedConfig): SourceWord[] {
  if (e.kind === 'ste' || e.kind === 'cd')
    return e.raw.map((value, i) => ({ pa: e.pa + BigInt(i * 8), value, role: 'config' as const }));
  return [{ pa: e.pa, value: e.raw, role: 'config' }];
}

/**
 * A walk's sources from its path (PA, value pairs in walk order, the leaf last) with the leaf as
 * cached: after a hardware update of its Access flag or dirty state, the updated value.
 */
export function walkSources(path: readonly bigint[], leaf: bigint, stage: 1 | 2): SourceWord[] {
  const out: SourceWord[] = [];
  const last = path.length - 2;
  for (let i = 0; i < last; i += 2) out.push({ pa: path[i]!, value: path[i + 1]!, role: 'table' });
  if (last >= 0)
    out.push({ pa: path[last]!, value: leaf, role: stage === 1 ? 's1-leaf' : 's2-leaf' });
  return out;
}

/**
 * For a configuration cache hit's trace step: `{ stale }` when memory no longer holds the cached
 * words at `pa`, else nothing. Called only while a trace is recorded (ctx.steps?.push(…)).
 */
export function staleCopy(
  mem: PhysMem,
  pa: bigint,
  raw: readonly bigint[],
): { stale?: readonly ChangedWord[] } {
  const changed: ChangedWord[] = [];
  raw.forEach((was, i) => {
    const at = pa + BigInt(i * 8);
    const now = mem.read64(at);
    if (now !== was) changed.push({ pa: at, role: 'config', was, now });
  });
  return changed.length ? { stale: changed } : {};
}
