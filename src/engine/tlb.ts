// The SMMU TLB (§3.17, §4.4): leaf translations tagged the way the architecture tags them —
// StreamWorld, VMID, ASID for non-global entries, ASET. Entries change only by a fill (a
// successful walk) or an invalidation command; LRU replacement at the platform's capacity.
// Stage-2 entries (IPA→PA) are tagged by VMID only; nested streams cache the combined VA→PA.
import type { SourceWord } from './stale.ts';

/** Permissions as cached from the leaf (and table limits) — a hit re-checks them. */
export interface S1Perms {
  /** AP[2:1] after APTable. */
  readonly ap: number;
  readonly pxn: boolean;
  readonly uxn: boolean;
  /** Writable-clean with DBM: a write must walk to mark it dirty. */
  readonly dbm: boolean;
}

export interface S2Perms {
  /** S2AP: bit0 read, bit1 write. */
  readonly s2ap: number;
  readonly xn: boolean;
  readonly dbm: boolean;
}

export type TlbStage = 's1' | 's2' | 's12';

export interface TlbEntry {
  readonly stage: TlbStage;
  /** Tag: StreamWorld + VMID + (ASID | global) + ASET, precomputed as a string. */
  readonly tag: string;
  readonly vmid: number;
  /** -1 for a global (nG=0) entry. */
  readonly asid: number;
  readonly aset: boolean;
  readonly world: 'NS-EL1' | 'EL2' | 'EL2-E2H';
  readonly ia: bigint;
  readonly sizeShift: number;
  readonly oa: bigint;
  readonly s1?: S1Perms;
  readonly s2?: S2Perms;
  /** Where the leaf descriptor was (for display: which PTE this entry came from). */
  readonly leafPa: bigint;
  /** The descriptors the walk that filled it read (the leaf as cached): see stale.ts. */
  readonly src: readonly SourceWord[];
  /** Which stream filled it (not part of the tag; shown in the panel). */
  readonly sid: number;
  readonly ssid: number | undefined;
}

/** Tag of a translation regime context (computed once per cached CD / STE). */
export function tlbTag(
  stage: TlbStage,
  world: TlbEntry['world'],
  vmid: number,
  asid: number,
  aset: boolean,
): string {
  if (stage === 's2') return `s2|${vmid}`;
  const a = world === 'EL2' ? '*' : asid < 0 ? 'g' : String(asid);
  return `${stage}|${world}|${vmid}|${a}|${aset ? 1 : 0}`;
}

const SAFE = 2 ** 53;

/** `ia >> shift` as a number (the page key), without BigInt arithmetic below 2^53. */
function pageKey(ia: bigint, sized: Sized): number {
  const n = Number(ia);
  return n < SAFE ? Math.floor(n / sized.scale) : Number(ia >> sized.shift);
}

/** Entries of one size under one tag, by input page number. */
interface Sized {
  readonly sizeShift: number;
  readonly shift: bigint;
  /** 2^sizeShift. */
  readonly scale: number;
  readonly byPage: Map<number, Node>;
}

/**
 * A TLB entry on the LRU list (intrusive: a hit relinks it without allocating). The node of an
 * evicted entry carries the next one: the TLB keeps its capacity's worth of nodes for good
 * instead of making one per fill, which a long-lived structure pays for in garbage collection.
 */
interface Node {
  e: TlbEntry;
  key: number;
  sized: Sized;
  prev: Node | null;
  next: Node | null;
}

export class Tlb {
  readonly capacity: number;
  /** Per tag, one table per entry size, in the order the sizes first appeared. */
  private buckets = new Map<string, Sized[]>();
  /**
   * The tables holding at least one entry. A long run leaves many tags behind (every ASID and
   * stream it met); invalidating a range looks only at tables with something in them.
   */
  private live = new Set<Sized>();
  /** LRU list: head is the least recently used. */
  private head: Node | null = null;
  private tail: Node | null = null;
  private count = 0;
  hits = 0;
  misses = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.count;
  }

  /** Every entry, least recently used first. */
  entries(): TlbEntry[] {
    const out: TlbEntry[] = [];
    for (let n = this.head; n; n = n.next) out.push(n.e);
    return out;
  }

  /** Looks up `ia` under the given tags (the ASID tag first, then the global one). */
  lookup(tags: readonly string[], ia: bigint): TlbEntry | undefined {
    for (let t = 0; t < tags.length; t++) {
      const bucket = this.buckets.get(tags[t]!);
      if (!bucket) continue;
      for (let i = 0; i < bucket.length; i++) {
        const sized = bucket[i]!;
        const n = sized.byPage.get(pageKey(ia, sized));
        if (n) {
          this.touch(n);
          this.hits++;
          return n.e;
        }
      }
    }
    this.misses++;
    return undefined;
  }

  /**
   * Another entry that also matches `ia` under `tags`, besides `hit` (§3.20.1): entries of two
   * sizes over one address, or a global and a non-global one, left by a table change made
   * without the TLBI the architecture requires. Does not touch the LRU order.
   */
  conflict(tags: readonly string[], ia: bigint, hit: TlbEntry): TlbEntry | undefined {
    for (let t = 0; t < tags.length; t++) {
      const bucket = this.buckets.get(tags[t]!);
      if (!bucket) continue;
      for (let i = 0; i < bucket.length; i++) {
        const sized = bucket[i]!;
        const n = sized.byPage.get(Number(ia >> sized.shift));
        if (n && n.e !== hit) return n.e;
      }
    }
    return undefined;
  }

  insert(e: TlbEntry): void {
    let bucket = this.buckets.get(e.tag);
    if (!bucket) this.buckets.set(e.tag, (bucket = []));
    let sized: Sized | undefined;
    for (let i = 0; i < bucket.length && !sized; i++)
      if (bucket[i]!.sizeShift === e.sizeShift) sized = bucket[i];
    if (!sized) {
      sized = {
        sizeShift: e.sizeShift,
        shift: BigInt(e.sizeShift),
        scale: 2 ** e.sizeShift,
        byPage: new Map(),
      };
      bucket.push(sized);
    }
    const key = pageKey(e.ia, sized);
    const old = sized.byPage.get(key);
    if (old) this.unlink(old);
    // Full: the least recently used goes first (as it would right after the append), and its
    // node is reused.
    let n: Node;
    if (this.count >= this.capacity && this.head) {
      n = this.head;
      this.remove(n);
      n.e = e;
      n.key = key;
      n.sized = sized;
    } else n = { e, key, sized, prev: null, next: null };
    if (sized.byPage.size === 0) this.live.add(sized);
    sized.byPage.set(key, n);
    this.append(n);
    while (this.count > this.capacity && this.head) this.remove(this.head);
  }

  private append(n: Node): void {
    n.prev = this.tail;
    n.next = null;
    if (this.tail) this.tail.next = n;
    else this.head = n;
    this.tail = n;
    this.count++;
  }

  private unlink(n: Node): void {
    if (n.prev) n.prev.next = n.next;
    else this.head = n.next;
    if (n.next) n.next.prev = n.prev;
    else this.tail = n.prev;
    n.prev = n.next = null;
    this.count--;
  }

  /** Marks `n` most recently used. */
  private touch(n: Node): void {
    if (this.tail === n) return;
    this.unlink(n);
    this.append(n);
  }

  private remove(n: Node): void {
    this.unlink(n);
    const sized = n.sized;
    if (sized.byPage.get(n.key) !== n) return;
    sized.byPage.delete(n.key);
    if (sized.byPage.size === 0) this.live.delete(sized);
  }

  /** Removes every entry the predicate selects; returns how many went. */
  invalidate(pred: (e: TlbEntry) => boolean): number {
    let count = 0;
    for (let n = this.head; n;) {
      const next = n.next;
      if (pred(n.e)) {
        this.remove(n);
        count++;
      }
      n = next;
    }
    return count;
  }

  /**
   * Removes the entries overlapping [addr, addr+span) that the predicate selects; returns how
   * many went. The same entries as invalidate() with overlaps() in the predicate, found by
   * looking up the span's pages in each entry size's table rather than scanning the TLB.
   */
  invalidateOverlapping(addr: bigint, span: bigint, pred: (e: TlbEntry) => boolean): number {
    if (this.count === 0) return 0;
    const last = addr + span - 1n;
    let lookups = 0;
    for (const sized of this.live)
      lookups += Number((last >> sized.shift) - (addr >> sized.shift)) + 1;
    if (lookups > this.count) return this.invalidate((e) => overlaps(e, addr, span) && pred(e));
    let count = 0;
    for (const sized of this.live)
      for (let k = Number(addr >> sized.shift); k <= Number(last >> sized.shift); k++) {
        const n = sized.byPage.get(k);
        if (n && pred(n.e)) {
          this.remove(n);
          count++;
        }
      }
    return count;
  }

  clone(): Tlb {
    const t = new Tlb(this.capacity);
    for (let n = this.head; n; n = n.next) t.insert(n.e);
    t.hits = this.hits;
    t.misses = this.misses;
    return t;
  }
}

/** Does an entry of `sizeShift` at `ia` overlap [addr, addr + span)? */
export function overlaps(e: TlbEntry, addr: bigint, span: bigint): boolean {
  const size = 1n << BigInt(e.sizeShift);
  return e.ia < addr + span && addr < e.ia + size;
}
