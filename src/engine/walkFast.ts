// The walk's fast path (walk.ts runs it first when there is no trace and no stage 2): the same
// VMSAv8-64 walk with numbers instead of BigInts, for the common case only.
import { blockAllowed } from './granule.ts';
import { LO, type PhysMem } from './memory.ts';
import type { SourceWord } from './stale.ts';
import type { Leaf, WalkParams, WalkResult } from './walk.ts';

// Scratch of the walk so far, one slot per level read (walks do not nest in one thread): each
// descriptor's address, and its page and word index, so the leaf's value and the `path` come
// from the pages already found, not from a second lookup per level.
const AT: number[] = [0, 0, 0, 0];
const EMPTY = new BigUint64Array(0);
const PAGES: BigUint64Array[] = [EMPTY, EMPTY, EMPTY, EMPTY];
const WORD: number[] = [0, 0, 0, 0];
/** Halves of each descriptor read. */
const L32: number[] = [0, 0, 0, 0];
const H32: number[] = [0, 0, 0, 0];
/** Levels read by the last walk the fast path answered (the leaf is the last). */
let levels = 0;

/**
 * The table descriptors of recent walks as source words, per level, with the address and halves
 * they were made from: walks of neighbouring addresses read the same table descriptors, and a
 * word equal in address and value is reused (immutable) instead of two BigInts and an object
 * being made again.
 */
const TABLE_SRC: (SourceWord | undefined)[] = [undefined, undefined, undefined, undefined];
const SRC_AT: number[] = [-1, -1, -1, -1];
const SRC_L32: number[] = [0, 0, 0, 0];
const SRC_H32: number[] = [0, 0, 0, 0];

function tableSource(k: number): SourceWord {
  const at = AT[k]!;
  let w = TABLE_SRC[k];
  if (w === undefined || SRC_AT[k] !== at || SRC_L32[k] !== L32[k] || SRC_H32[k] !== H32[k]) {
    w = TABLE_SRC[k] = { pa: BigInt(at), value: PAGES[k]![WORD[k]!]!, role: 'table' };
    SRC_AT[k] = at;
    SRC_L32[k] = L32[k]!;
    SRC_H32[k] = H32[k]!;
  }
  return w;
}

/**
 * walkSources(path, leafValue, 1) for the last walk the fast path answered (FAST_LEAF.leaf):
 * the same words, the table levels' shared with earlier walks.
 */
export function fastSources(leafValue: bigint): SourceWord[] {
  const out: SourceWord[] = [];
  for (let k = 0; k < levels - 1; k++) out.push(tableSource(k));
  out.push({ pa: FAST_LEAF.leaf!.descPa, value: leafValue, role: 's1-leaf' });
  return out;
}

/**
 * The leaf of the last walk the fast path answered, with its descriptor as 32-bit halves and its
 * output block base as a number: stage 1 decodes permissions, AF and nG from these without a
 * BigInt operation when `leaf` is the one it got back (any other leaf: from the descriptor).
 */
export const FAST_LEAF: { leaf: Leaf | null; lo: number; hi: number; base: number } = {
  leaf: null,
  lo: 0,
  hi: 0,
  base: 0,
};
const TWO32 = 2 ** 32;
const SAFE = 2 ** 53;
/** POW2[i] = 2^i as a double. */
const POW2: readonly number[] = Array.from({ length: 65 }, (_, i) => 2 ** i);

/**
 * The common walk, with numbers instead of BigInts: no trace, descriptors read straight from
 * memory, every level a valid table descriptor down to a page or an allowed block inside the
 * output size, addresses below 2^53. Anything else — an invalid or reserved descriptor, a fault,
 * a word no page holds — returns undefined and the full walk below runs from the start (walks
 * only read memory, so running it again changes nothing): the same leaf, or the full walk's
 * own answer. `path`, as for walk(), is filled only when the fast path answers.
 */
export function fastWalk(
  p: WalkParams,
  ia: bigint,
  mem: PhysMem,
  path: bigint[] | null = null,
): WalkResult | undefined {
  const iaN = Number(ia);
  let table = Number(p.ttb);
  if (iaN >= SAFE || table >= SAFE) return undefined;
  const iaLo = iaN >>> 0; // bits [31:0]
  const iaHi = Math.floor(iaN / TWO32); // bits [52:32]
  const g = p.g;
  const s = g - 3;
  const oaLimit = POW2[p.oaBits]!;
  const limits = p.stage === 1 && !p.had;
  const tableLow = ~(POW2[g]! - 1); // bits [31:g] of the low half
  let apTable = 0;
  let pxnTable = false;
  let uxnTable = false;
  for (let level = p.startLevel; level <= 3; level++) {
    const lo = g + (3 - level) * s;
    const hi = level === p.startLevel ? p.inputSize - 1 : Math.min(lo + s - 1, p.inputSize - 1);
    // Bits [hi:lo] of the address: at most 20 of them, from one half or across the two.
    const bits =
      lo >= 32 ? iaHi >>> (lo - 32) : hi < 32 ? iaLo >>> lo : (iaLo >>> lo) | (iaHi << (32 - lo));
    const index = bits & (POW2[hi - lo + 1]! - 1);
    const at = table + index * 8;
    const k = level - p.startLevel;
    const page = mem.wordsOf(Math.floor(at / 4096));
    if (page === undefined) return undefined;
    const w = (at % 4096) >>> 3;
    AT[k] = at;
    PAGES[k] = page.u64;
    WORD[k] = w;
    const l32 = page.u32[2 * w + LO]!;
    const h32 = page.u32[2 * w + 1 - LO]!;
    L32[k] = l32;
    H32[k] = h32;
    if ((l32 & 1) === 0) return undefined;
    const isTableOrPage = (l32 & 2) !== 0;
    // Bits [47:0] of the descriptor as a number.
    const low48 = (h32 & 0xffff) * TWO32 + l32;
    if (level < 3 && isTableOrPage) {
      const next = (h32 & 0xffff) * TWO32 + ((l32 & tableLow) >>> 0); // bits [47:g]
      if (next >= oaLimit) return undefined;
      // APTable [62:61], UXNTable [60], PXNTable [59]: bits 30:29, 28, 27 of the high half.
      if (limits && (h32 & 0x7800_0000) !== 0) {
        apTable |= (h32 >>> 29) & 3;
        pxnTable ||= (h32 & 0x0800_0000) !== 0;
        uxnTable ||= (h32 & 0x1000_0000) !== 0;
      }
      table = next;
      continue;
    }
    if (level === 3 ? !isTableOrPage : !blockAllowed(g, level)) return undefined;
    const size = POW2[lo]!;
    const base = Math.floor(low48 / size) * size; // bits [47:lo]
    if (base >= oaLimit) return undefined;
    const descAddr = BigInt(at);
    const desc = page.u64[w]!;
    if (path) {
      for (let i = 0; i < k; i++) {
        const t = tableSource(i);
        path.push(t.pa, t.value);
      }
      path.push(descAddr, desc);
    }
    levels = k + 1;
    const leaf: Leaf = {
      level,
      desc,
      descAddr,
      descPa: descAddr,
      sizeShift: lo,
      oa: BigInt(base + (iaN - Math.floor(iaN / size) * size)),
      apTable,
      pxnTable,
      uxnTable,
    };
    FAST_LEAF.leaf = leaf;
    FAST_LEAF.lo = l32;
    FAST_LEAF.hi = h32;
    FAST_LEAF.base = base;
    return { ok: true, leaf };
  }
  return undefined;
}
