// A Map whose copies share their storage until one of them writes (structural sharing), for the
// kernel state's big collections (present pages, allocated frames, io-pgtable leaves): a Timeline
// checkpoint or a stateAt() jump then costs a few pointers per 64 entries, not a copy of every
// entry (docs/decisions/0003-checkpoint-memory.md).
//
// It is a Map to everyone else — same methods, same insertion order of iteration (the kernel's
// loops over pages decide the order of PTE writes, which the records show) — so the digests,
// deep comparisons and the page read it as one. Values are shared between copies, so they must
// never be mutated in place: replace an entry with a new object instead (the state types mark
// them readonly).
//
// Storage: entries sit at increasing positions in chunks of CHUNK slots (a deleted entry leaves a
// hole, squeezed out when holes outnumber entries), and a key finds its position through hash
// buckets of a few dozen keys. A copy copies the two outer arrays; a write copies the one chunk or
// bucket it touches the first time after the copy (each has an owner token; `share` gives both
// sides new tokens, so everything is shared until written).

const SHIFT = 6;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;
/** Keys per bucket, on average, before the bucket table doubles. */
const LOAD = 64;
const HOLE: unique symbol = Symbol('hole');

/** murmur3's fmix32 over the key's bits: aligned addresses spread over every bucket. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashOf(k: unknown): number {
  switch (typeof k) {
    case 'bigint':
      // Number() of a bigint above 2^53 rounds, but the same key always gives the same hash.
      return hashNumber(Number(k));
    case 'number':
      return hashNumber(k);
    case 'string': {
      let h = 0x811c9dc5;
      for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
      return mix(h);
    }
    default:
      return 0;
  }
}

const hashNumber = (n: number): number => mix((n >>> 0) ^ Math.imul((n / 0x1_0000_0000) | 0, 31));

export class CowMap<K, V> extends Map<K, V> {
  /** Chunks of entries by position: key, value, key, value… (a deleted key is HOLE). */
  private kv: unknown[][] = [];
  /** Owner token of each chunk: writable in place only when it is this map's token. */
  private own: object[] = [];
  private buckets: Map<K, number>[] = [new Map<K, number>()];
  private bown: object[] = [];
  private token: object = {};
  /** Next free position. */
  private len = 0;
  private live = 0;
  /** Iterations in progress: positions must not move under them (no squeeze). */
  private walking = 0;

  constructor(entries?: Iterable<readonly [K, V]> | null) {
    super();
    this.bown = [this.token];
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  /** A copy sharing every chunk and bucket with this map until either writes. O(size / 64). */
  share(): CowMap<K, V> {
    if (this.walking === 0 && this.len - this.live > this.live) this.squeeze();
    const c = new CowMap<K, V>();
    c.kv = this.kv.slice();
    c.own = this.own.slice();
    c.buckets = this.buckets.slice();
    c.bown = this.bown.slice();
    c.len = this.len;
    c.live = this.live;
    this.token = {};
    return c;
  }

  override get size(): number {
    return this.live;
  }

  private bucketIndex(k: K): number {
    return hashOf(k) & (this.buckets.length - 1);
  }

  override get(k: K): V | undefined {
    const p = this.buckets[this.bucketIndex(k)]!.get(k);
    return p === undefined ? undefined : (this.kv[p >>> SHIFT]![((p & MASK) << 1) + 1] as V);
  }

  override has(k: K): boolean {
    return this.buckets[this.bucketIndex(k)]!.has(k);
  }

  private bucketW(b: number): Map<K, number> {
    if (this.bown[b] !== this.token) {
      this.buckets[b] = new Map(this.buckets[b]);
      this.bown[b] = this.token;
    }
    return this.buckets[b]!;
  }

  private chunkW(c: number): unknown[] {
    if (this.own[c] !== this.token) {
      this.kv[c] = this.kv[c]!.slice();
      this.own[c] = this.token;
    }
    return this.kv[c]!;
  }

  override set(k: K, v: V): this {
    const b = this.bucketIndex(k);
    const p = this.buckets[b]!.get(k);
    if (p !== undefined) {
      this.chunkW(p >>> SHIFT)[((p & MASK) << 1) + 1] = v;
      return this;
    }
    if (this.walking === 0 && this.len - this.live > Math.max(this.live, CHUNK)) this.squeeze();
    const at = this.len++;
    const c = at >>> SHIFT;
    if (c === this.kv.length) {
      this.kv.push([k, v]);
      this.own.push(this.token);
    } else this.chunkW(c).push(k, v);
    this.live++;
    if (this.live > this.buckets.length * LOAD) this.rehash(this.buckets.length * 2);
    else this.bucketW(this.bucketIndex(k)).set(k, at);
    return this;
  }

  override delete(k: K): boolean {
    const b = this.bucketIndex(k);
    const p = this.buckets[b]!.get(k);
    if (p === undefined) return false;
    this.bucketW(b).delete(k);
    const chunk = this.chunkW(p >>> SHIFT);
    chunk[(p & MASK) << 1] = HOLE;
    chunk[((p & MASK) << 1) + 1] = undefined;
    if (--this.live === 0 && this.walking === 0) this.clear();
    return true;
  }

  /**
   * Deletes every entry `drop` selects, visiting entries in order (as deleting them one by one
   * in a for-of loop would), in one pass: no lookup per entry, the storage rebuilt once.
   */
  deleteWhere(drop: (k: K, v: V) => boolean): void {
    if (this.walking > 0) {
      for (const [k, v] of this.entries()) if (drop(k, v)) this.delete(k);
      return;
    }
    this.walking++;
    let gone = 0;
    try {
      for (let p = 0; p < this.len; p++) {
        const c = p >>> SHIFT;
        const i = (p & MASK) << 1;
        const k = this.kv[c]![i];
        if (k === HOLE || !drop(k as K, this.kv[c]![i + 1] as V)) continue;
        const chunk = this.chunkW(c);
        chunk[i] = HOLE;
        chunk[i + 1] = undefined;
        gone++;
      }
    } finally {
      this.walking--;
    }
    if (gone === 0) return;
    this.live -= gone;
    if (this.live === 0) this.clear();
    else this.squeeze();
  }

  override clear(): void {
    this.token = {};
    this.kv = [];
    this.own = [];
    this.buckets = [new Map<K, number>()];
    this.bown = [this.token];
    this.len = 0;
    this.live = 0;
  }

  /** Moves the entries down over the holes (same order) and rebuilds the buckets. */
  private squeeze(): void {
    const kv: unknown[][] = [];
    let n = 0;
    for (let p = 0; p < this.len; p++) {
      const chunk = this.kv[p >>> SHIFT]!;
      const i = (p & MASK) << 1;
      if (chunk[i] === HOLE) continue;
      if ((n & MASK) === 0) kv.push([]);
      kv[kv.length - 1]!.push(chunk[i], chunk[i + 1]);
      n++;
    }
    this.token = {};
    this.kv = kv;
    this.own = kv.map(() => this.token);
    this.len = n;
    let size = 1;
    while (size * LOAD < n) size *= 2;
    this.rehash(size);
  }

  /** Rebuilds the buckets (`size` of them, a power of two) from the positions. */
  private rehash(size: number): void {
    const buckets: Map<K, number>[] = [];
    for (let i = 0; i < size; i++) buckets.push(new Map());
    for (let p = 0; p < this.len; p++) {
      const k = this.kv[p >>> SHIFT]![(p & MASK) << 1];
      if (k !== HOLE) buckets[hashOf(k) & (size - 1)]!.set(k as K, p);
    }
    this.buckets = buckets;
    this.bown = buckets.map(() => this.token);
  }

  override *entries(): MapIterator<[K, V]> {
    this.walking++;
    try {
      for (let p = 0; p < this.len; p++) {
        const chunk = this.kv[p >>> SHIFT]!;
        const i = (p & MASK) << 1;
        if (chunk[i] !== HOLE) yield [chunk[i] as K, chunk[i + 1] as V];
      }
    } finally {
      this.walking--;
    }
  }

  override *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  override *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  override forEach(f: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) f.call(thisArg, v, k, this);
  }
}
