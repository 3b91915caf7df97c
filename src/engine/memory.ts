// Simulated physical memory: sparse, 64-bit addresses, little-endian 64-bit words.
// RAM exists only inside the platform's RAM regions; a read or write outside them is an
// external abort (the walker turns that into F_WALK_EABT / F_CD_FETCH / F_STE_FETCH).
// Pages are 4 KB arrays shared copy-on-write between snapshots, so a checkpoint is cheap.

export interface RamRegion {
  readonly base: bigint;
  readonly size: bigint;
}

import type { WriteJournal } from './journal.ts';

export type { MemWrite } from './journal.ts';

const PAGE_SHIFT = 12n;
/** Index of the low half of a 64-bit word in a Uint32Array view: 0 on little-endian hosts. */
export const LO = new Uint8Array(new BigUint64Array([1n]).buffer)[0] === 1 ? 0 : 1;

/**
 * One 4 KB page as 64-bit words and as 32-bit halves (word i is halves 2i+LO, 2i+1−LO): what
 * the walker's fast path reads. Read-only for callers: writes go through write64 (copy on write,
 * journal).
 */
export interface PageWords {
  readonly u64: BigUint64Array;
  readonly u32: Uint32Array;
}
const WORDS_PER_PAGE = 512;
/** Slots of PhysMem's recent-page cache (a power of two). */
const RECENT = 16;
const SAFE = 2 ** 53;

export class PhysMem {
  readonly ram: readonly RamRegion[];
  private pages: Map<number, BigUint64Array>;
  /** Both views of pages by frame number (readHalves, wordsOf), made on first use, dropped
   * when the page array is replaced (a new page, or a copy on write). */
  private halves = new Map<number, PageWords>();
  /**
   * The last views wordsOf returned, direct-mapped by frame number (a walk reads the same few
   * table pages again and again): most lookups skip the map. A slot is cleared with its map
   * entry.
   */
  private recentPfn: number[] = new Array<number>(RECENT).fill(-1);
  private recent: (PageWords | undefined)[] = new Array<PageWords | undefined>(RECENT);
  /** Pages this instance may write in place; the others are shared with a snapshot. */
  private owned: Set<number>;
  /**
   * The page write64 last wrote (owned, so writable in place until clone() shares it): a run of
   * writes to one page — a command queue's slots — skips the map and the ownership check.
   */
  private writePfn = -1;
  private writePage: BigUint64Array | undefined;
  /** When set, every write appends here (the runner drains it per op). */
  journal: WriteJournal | null = null;
  /**
   * When set, every write, command, event, page request and kernel note of an op takes the next
   * number, so the page can replay them in the order they happened. Reset per op.
   */
  clock: { n: number } | null = null;

  tick(): number {
    return this.clock ? this.clock.n++ : 0;
  }

  /** `{ seq }` for a record entry when an op is being recorded, else nothing. */
  stamp(): { seq?: number } {
    return this.clock ? { seq: this.clock.n++ } : {};
  }

  constructor(ram: readonly RamRegion[], pages?: Map<number, BigUint64Array>) {
    this.ram = ram;
    this.pages = pages ?? new Map<number, BigUint64Array>();
    this.owned = new Set(pages ? [] : this.pages.keys());
  }

  isRam(pa: bigint): boolean {
    for (const r of this.ram) if (pa >= r.base && pa < r.base + r.size) return true;
    return false;
  }

  /** The word at `pa` (aligned down to 8 bytes), or undefined on an external abort. */
  read64(pa: bigint): bigint | undefined {
    // Below 2^53 a double holds the address exactly: index with number arithmetic, no BigInts.
    const n = Number(pa);
    const page =
      n < SAFE ? this.pages.get(Math.floor(n / 4096)) : this.pages.get(Number(pa >> PAGE_SHIFT));
    if (page) return page[n < SAFE ? (n % 4096) >>> 3 : Number(pa & 0xff8n) >> 3];
    return this.isRam(pa) ? 0n : undefined;
  }

  /**
   * Whether the 4 KB page holding `pa` was ever written: a page that was not reads as zero, so a
   * reader looking for valid entries in a large table may skip it (the diagram's linear CD
   * tables: 2^20 slots are 16,384 pages, not a million reads).
   */
  hasPage(pa: bigint): boolean {
    return this.pages.has(Number(pa >> PAGE_SHIFT));
  }

  /**
   * The word at byte address `pa` (a number below 2^53, 8-byte aligned) as two 32-bit halves,
   * low in out[0] and high in out[1], without making a BigInt: the walker's fast path. False when
   * no page holds the word (never written: zero if RAM, an abort if not) — the caller then reads it
   * with read64, which tells the two apart.
   */
  readHalves(pa: number, out: Uint32Array): boolean {
    const v = this.wordsOf(Math.floor(pa / 4096));
    if (v === undefined) return false;
    const i = ((pa % 4096) >>> 3) << 1;
    out[0] = v.u32[i + LO]!;
    out[1] = v.u32[i + 1 - LO]!;
    return true;
  }

  /**
   * The page of frame `pfn` (byte address / 4096) as words and halves, or undefined when no page
   * holds it (never written: zero if RAM, an abort if not — read64 tells the two apart). The
   * walker's fast path reads a descriptor's halves and, for the leaf and the TLB entry's
   * sources, its 64-bit value from one lookup.
   */
  wordsOf(pfn: number): PageWords | undefined {
    const slot = pfn & (RECENT - 1);
    if (this.recentPfn[slot] === pfn) return this.recent[slot];
    let v = this.halves.get(pfn);
    if (v === undefined) {
      const page = this.pages.get(pfn);
      if (!page) return undefined;
      v = { u64: page, u32: new Uint32Array(page.buffer, page.byteOffset, WORDS_PER_PAGE * 2) };
      this.halves.set(pfn, v);
    }
    this.recentPfn[slot] = pfn;
    this.recent[slot] = v;
    return v;
  }

  /** Drops the views of a page whose array was replaced (a new page, or a copy on write). */
  private dropViews(pfn: number): void {
    this.halves.delete(pfn);
    const slot = pfn & (RECENT - 1);
    if (this.recentPfn[slot] === pfn) {
      this.recentPfn[slot] = -1;
      this.recent[slot] = undefined;
    }
  }

  /** Reads `n` consecutive words; undefined if any of them aborts. */
  readWords(pa: bigint, n: number): bigint[] | undefined {
    const out: bigint[] = [];
    for (let i = 0; i < n; i++) {
      const w = this.read64(pa + BigInt(i * 8));
      if (w === undefined) return undefined;
      out.push(w);
    }
    return out;
  }

  /** Writes one word; false (and nothing written) outside RAM. */
  write64(pa: bigint, value: bigint): boolean {
    // Below 2^53 a double holds the address exactly: index with number arithmetic, no BigInts.
    const n = Number(pa);
    const small = n < SAFE;
    const pfn = small ? Math.floor(n / 4096) : Number(pa >> PAGE_SHIFT);
    let page = this.writePage;
    if (pfn !== this.writePfn || page === undefined) {
      page = this.pages.get(pfn);
      if (!page) {
        if (!this.isRam(pa)) return false;
        page = new BigUint64Array(WORDS_PER_PAGE);
        this.pages.set(pfn, page);
        this.owned.add(pfn);
        this.dropViews(pfn);
      } else if (!this.owned.has(pfn)) {
        page = page.slice();
        this.pages.set(pfn, page);
        this.owned.add(pfn);
        this.dropViews(pfn);
      }
      this.writePfn = pfn;
      this.writePage = page;
    }
    const i = small ? (n % 4096) >>> 3 : Number(pa & 0xff8n) >> 3;
    const old = page[i] ?? 0n;
    const v = BigInt.asUintN(64, value);
    page[i] = v;
    if (this.journal && old !== v) {
      const at = small && n % 8 === 0 ? pa : pa & ~7n;
      this.journal.push(at, old, v, this.clock ? this.clock.n++ : undefined);
    }
    return true;
  }

  writeWords(pa: bigint, words: readonly bigint[]): boolean {
    for (let i = 0; i < words.length; i++) {
      if (!this.write64(pa + BigInt(i * 8), words[i] ?? 0n)) return false;
    }
    return true;
  }

  /** Zeroes [pa, pa+size) word by word (only pages that exist need touching). */
  zero(pa: bigint, size: bigint): void {
    const end = pa + size;
    for (let a = pa; a < end;) {
      const next = ((a >> PAGE_SHIFT) + 1n) << PAGE_SHIFT;
      const page = this.pages.get(Number(a >> PAGE_SHIFT));
      if (page) {
        // Scan through a 32-bit view (no BigInt per word); write only the non-zero words.
        const u32 = new Uint32Array(page.buffer, page.byteOffset, WORDS_PER_PAGE * 2);
        const first = Number(a & 0xff8n) >> 3;
        const last = end < next ? Number((end - 1n) & 0xff8n) >> 3 : WORDS_PER_PAGE - 1;
        const base = next - (1n << PAGE_SHIFT);
        for (let i = first; i <= last; i++)
          if ((u32[2 * i]! | u32[2 * i + 1]!) !== 0) this.write64(base + BigInt(i * 8), 0n);
      }
      a = next;
    }
  }

  /** A snapshot sharing every page copy-on-write with this instance. */
  clone(): PhysMem {
    this.owned.clear();
    this.writePfn = -1;
    this.writePage = undefined;
    return new PhysMem(this.ram, new Map(this.pages));
  }

  /** Every non-zero word, sorted by address (for tests and diffs). */
  *nonZeroWords(): Generator<[bigint, bigint]> {
    const pfns = [...this.pages.keys()].sort((a, b) => a - b);
    for (const pfn of pfns) {
      const page = this.pages.get(pfn)!;
      for (let i = 0; i < WORDS_PER_PAGE; i++) {
        const w = page[i]!;
        if (w !== 0n) yield [(BigInt(pfn) << PAGE_SHIFT) + BigInt(i * 8), w];
      }
    }
  }
}
