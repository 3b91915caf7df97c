// Reads a VMSAv8-64 translation table tree out of memory for drawing: every table page with its
// valid entries (table pointers, blocks, pages). Bounded so a corrupt table cannot run away.
import {
  blockShift,
  levelBits,
  ones,
  startLevel,
  type GranuleShift,
  type PhysMem,
} from '../engine/index.ts';

export interface Geo {
  readonly g: GranuleShift;
  readonly inputSize: number;
  readonly start: number;
}

export const geometryFor = (g: GranuleShift, inputSize: number): Geo => ({
  g,
  inputSize,
  start: startLevel(g, inputSize),
});

export interface TreeEntry {
  readonly index: number;
  /** PA of the descriptor. */
  readonly pa: bigint;
  readonly desc: bigint;
  readonly kind: 'table' | 'block' | 'page';
  /** First input address this entry covers. */
  readonly ia: bigint;
  /** Next table (table) or output address (block/page). */
  readonly target: bigint;
  readonly size: bigint;
}

export interface TreeTable {
  readonly id: string;
  readonly pa: bigint;
  readonly level: number;
  /** Input address range the table covers. */
  readonly ia: bigint;
  readonly entries: readonly TreeEntry[];
  readonly parent: string | undefined;
  /** A guest's table: the IPA the guest knows it by (`pa` is where the host keeps it). */
  readonly ipa?: bigint;
}

const MAX_TABLES = 4096;
/** Byte addresses below this are exact as doubles (PhysMem.readHalves takes a number). */
const SAFE = 2n ** 53n - 4096n;
const half = new Uint32Array(2);

/**
 * A table already read at the same place in another world whose memory there is the same (the
 * model of a neighbouring op: only the op's writes differ), or undefined. `bytes`: how much of
 * memory from `pa` the table's descriptors occupy.
 */
export type ReuseTable = (
  pa: bigint,
  level: number,
  ia: bigint,
  parent: string | undefined,
  bytes: number,
) => TreeTable | undefined;

/**
 * Host tables read before, by place (geometry, level, address, input range, parent) with the
 * words they were read from: a table whose words still read the same is that table again. Most
 * tables of a long scenario do not change from op to op (a 64 MB buffer's thousands of entries),
 * and comparing a page's words costs far less than decoding its entries into BigInts. Bounded
 * (least recently used out first), so a long session does not keep every table ever drawn.
 */
const CACHE_TABLES = 1024;
const CACHE_ENTRIES = 65_536;
const cache = new Map<string, { table: TreeTable; words: Uint32Array }>();
let cachedEntries = 0;

/** Empties the cache (tests: a model read with nothing cached). */
export function clearTableCache(): void {
  cache.clear();
  cachedEntries = 0;
}

function cached(mem: PhysMem, key: string, base: number, n: number): TreeTable | undefined {
  const c = cache.get(key);
  if (!c || !sameWords(mem, base, n, c.words)) return undefined;
  cache.delete(key);
  cache.set(key, c);
  return c.table;
}

/** Index of a word's low half in a page's 32-bit view: 0 on little-endian hosts. */
const LO = new Uint8Array(new BigUint64Array([1n]).buffer)[0] === 1 ? 0 : 1;

/**
 * Whether the `n` words from byte address `base` read as `w` (two halves a word, low first); a
 * word no page holds reads as zero (or aborts): invalid, as a zero word was when read. Compared
 * straight in each page's 32-bit view (one page lookup per page, not per word).
 */
function sameWords(mem: PhysMem, base: number, n: number, w: Uint32Array): boolean {
  for (let i = 0; i < n;) {
    const at = base + i * 8;
    const first = (at % 4096) >>> 3;
    const k = Math.min(n - i, 512 - first);
    const page = mem.wordsOf(Math.floor(at / 4096));
    if (page === undefined) {
      for (let j = 2 * i; j < 2 * (i + k); j++) if (w[j] !== 0) return false;
    } else {
      const u = page.u32;
      for (let j = 0, p = 2 * first, q = 2 * i; j < k; j++, p += 2, q += 2)
        if (u[p + LO] !== w[q] || u[p + 1 - LO] !== w[q + 1]) return false;
    }
    i += k;
  }
  return true;
}

/** A table's leaves, the bytes they map and its table entries: counted once per table object. */
interface TableSums {
  readonly leaves: number;
  readonly bytes: bigint;
  readonly next: readonly TreeEntry[];
}
const sums = new WeakMap<TreeTable, TableSums>();
function sumsOf(t: TreeTable): TableSums {
  let s = sums.get(t);
  if (!s) {
    let leaves = 0;
    let bytes = 0n;
    const next: TreeEntry[] = [];
    for (const e of t.entries)
      if (e.kind === 'table') next.push(e);
      else {
        leaves++;
        bytes += e.size;
      }
    s = { leaves, bytes, next };
    sums.set(t, s);
  }
  return s;
}

function remember(key: string, table: TreeTable, words: Uint32Array): void {
  const old = cache.get(key);
  if (old) cachedEntries -= old.table.entries.length;
  cache.delete(key);
  cache.set(key, { table, words });
  cachedEntries += table.entries.length;
  for (const [k, v] of cache) {
    if (cache.size <= CACHE_TABLES && cachedEntries <= CACHE_ENTRIES) break;
    cache.delete(k);
    cachedEntries -= v.table.entries.length;
  }
}

/**
 * Every table page of the tree at `root`. `guest`: the tree's own addresses are IPAs (a guest's
 * stage 1 under nesting, its root at IPA `rootIpa`): table pointers are followed at the host PA
 * `toPa` gives (undefined leaves that subtree out), while entries keep the guest's addresses.
 * `reuse` (host trees only): tables it returns are taken as they are instead of read again.
 */
export function walkTree(
  mem: PhysMem,
  geo: Geo,
  root: bigint,
  guest?: { readonly toPa: (ipa: bigint) => bigint | undefined; readonly rootIpa: bigint },
  reuse?: ReuseTable,
): { tables: TreeTable[]; leaves: number; mappedBytes: bigint } {
  const tables: TreeTable[] = [];
  let leaves = 0;
  let mappedBytes = 0n;
  // Each table once: a descriptor written by hand may point back at a table on its own path (a
  // cycle) or at one already walked; the walk notes the entry and does not enter it again.
  const seen = new Set<bigint>();
  const visit = (
    pa: bigint,
    level: number,
    ia: bigint,
    parent: string | undefined,
    ipa: bigint | undefined,
  ): void => {
    if (tables.length >= MAX_TABLES || level > 3 || seen.has(pa)) return;
    seen.add(pa);
    const [hiNat, lo] = levelBits(geo.g, level, geo.inputSize);
    const hi = level === geo.start ? geo.inputSize - 1 : hiNat;
    const n = 2 ** (hi - lo + 1);
    // Word addresses below 2^53 are read as numbers; a host table there may come from the cache.
    const base = pa < SAFE ? Number(pa) : undefined;
    const key =
      guest || base === undefined
        ? undefined
        : `${geo.g}|${geo.inputSize}|${geo.start}|${level}|${pa}|${ia}|${parent ?? ''}`;
    const same =
      (guest ? undefined : reuse?.(pa, level, ia, parent, n * 8)) ??
      (key === undefined ? undefined : cached(mem, key, base!, n));
    if (same) {
      // Its entries, children and leaves are those a read would find (same memory, same place).
      tables.push(same);
      const sum = sumsOf(same);
      leaves += sum.leaves;
      mappedBytes += sum.bytes;
      for (const e of sum.next) visit(e.target, level + 1, e.ia, same.id, undefined);
      return;
    }
    const entries: TreeEntry[] = [];
    const id = `pt:${pa.toString(16)}`;
    const children: [bigint, bigint, bigint][] = [];
    const words = key === undefined ? undefined : new Uint32Array(2 * n);
    // Most slots of a table are invalid: test bit 0 from the word's low half (no BigInt made); a
    // word of a page never written reads as zero (or aborts), invalid either way.
    for (let i = 0; i < n; i++) {
      if (base !== undefined) {
        if (!mem.readHalves(base + i * 8, half)) continue;
        if (words) {
          words[2 * i] = half[0]!;
          words[2 * i + 1] = half[1]!;
        }
        if ((half[0]! & 1) === 0) continue;
      }
      const dpa = pa + BigInt(i * 8);
      const d = mem.read64(dpa) ?? 0n;
      if ((d & 1n) === 0n) continue;
      const eia = ia + (BigInt(i) << BigInt(lo));
      const table = level < 3 && (d & 2n) === 2n;
      const size = 1n << BigInt(blockShift(geo.g, level));
      const target = table ? d & ones(48) & ~ones(geo.g) : d & ones(48) & ~(size - 1n);
      entries.push({
        index: i,
        pa: dpa,
        desc: d,
        kind: table ? 'table' : level === 3 ? 'page' : 'block',
        ia: eia,
        target,
        size,
      });
      const child = table && guest ? guest.toPa(target) : target;
      if (table && child !== undefined) children.push([child, eia, target]);
      else if (level === 3 || (d & 2n) === 0n) {
        leaves++;
        mappedBytes += size;
      }
    }
    const t: TreeTable = {
      id,
      pa,
      level,
      ia,
      entries,
      parent,
      ...(ipa !== undefined ? { ipa } : {}),
    };
    if (key !== undefined && words) remember(key, t, words);
    tables.push(t);
    for (const [c, cia, tipa] of children) visit(c, level + 1, cia, id, guest ? tipa : undefined);
  };
  visit(root, geo.start, 0n, undefined, guest?.rootIpa);
  return { tables, leaves, mappedBytes };
}
