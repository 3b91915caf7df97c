// One order's free list of the frame allocator (frames.ts): the free blocks' addresses, kept
// sorted so the allocator can take the lowest. It was a sorted array with a linear insert, so
// freeing n blocks cost n²/2 steps (a munmap of 1 GB of 4 KB pages: 92 s). Here the addresses sit
// in sorted chunks of at most 2 × CHUNK: an insert is a binary search and a splice inside one chunk,
// taking the lowest is a shift of the first chunk, and freeing a range in address order appends to
// the last chunk — linear in total.
//
// Copies share their chunks until one of them writes (like CowMap), so a Timeline checkpoint after
// a big unmap does not copy a quarter of a million addresses. It is a Set to everyone else (same
// members; iteration in address order), so digests and deep comparisons need nothing special.

const CHUNK = 64;

export class FreeList extends Set<bigint> {
  /** Frame numbers (PA / 4 KB; below 2^40, exact as doubles), ascending across the chunks. */
  private cs: number[][] = [];
  private own: object[] = [];
  private token: object = {};
  private n = 0;

  constructor(pas?: Iterable<bigint> | null) {
    super();
    if (pas) for (const pa of pas) this.add(pa);
  }

  /** A copy sharing every chunk with this list until either writes. O(size / 64). */
  share(): FreeList {
    const c = new FreeList();
    c.cs = this.cs.slice();
    c.own = this.own.slice();
    c.n = this.n;
    this.token = {};
    return c;
  }

  override get size(): number {
    return this.n;
  }

  private writable(i: number): number[] {
    if (this.own[i] !== this.token) {
      this.cs[i] = this.cs[i]!.slice();
      this.own[i] = this.token;
    }
    return this.cs[i]!;
  }

  /** The chunk that holds `f` or would: the first whose last member is ≥ f, else the last. */
  private chunkFor(f: number): number {
    let lo = 0;
    let hi = this.cs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cs[mid]![this.cs[mid]!.length - 1]! < f) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first member of `c` that is ≥ f. */
  private static lowerBound(c: readonly number[], f: number): number {
    let lo = 0;
    let hi = c.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid]! < f) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  override has(pa: bigint): boolean {
    if (this.n === 0) return false;
    const f = Number(pa >> 12n);
    const c = this.cs[this.chunkFor(f)]!;
    return c[FreeList.lowerBound(c, f)] === f;
  }

  override add(pa: bigint): this {
    const f = Number(pa >> 12n);
    if (this.n === 0) {
      this.cs = [[f]];
      this.own = [this.token];
      this.n = 1;
      return this;
    }
    const i = this.chunkFor(f);
    const at = FreeList.lowerBound(this.cs[i]!, f);
    if (this.cs[i]![at] === f) return this;
    const c = this.writable(i);
    if (at === c.length) c.push(f);
    else c.splice(at, 0, f);
    this.n++;
    if (c.length > 2 * CHUNK) {
      this.cs.splice(i + 1, 0, c.splice(CHUNK));
      this.own.splice(i + 1, 0, this.token);
    }
    return this;
  }

  override delete(pa: bigint): boolean {
    if (this.n === 0) return false;
    const f = Number(pa >> 12n);
    const i = this.chunkFor(f);
    const at = FreeList.lowerBound(this.cs[i]!, f);
    if (this.cs[i]![at] !== f) return false;
    const c = this.writable(i);
    c.splice(at, 1);
    this.dropIfEmpty(i);
    return true;
  }

  /** Removes and returns the lowest address, or undefined when the list is empty. */
  takeLowest(): bigint | undefined {
    if (this.n === 0) return undefined;
    const f = this.writable(0).shift()!;
    this.dropIfEmpty(0);
    return BigInt(f) << 12n;
  }

  private dropIfEmpty(i: number): void {
    this.n--;
    if (this.cs[i]!.length > 0) return;
    this.cs.splice(i, 1);
    this.own.splice(i, 1);
  }

  override clear(): void {
    this.cs = [];
    this.own = [];
    this.n = 0;
  }

  override *values(): SetIterator<bigint> {
    for (let i = 0; i < this.cs.length; i++) for (const f of this.cs[i]!) yield BigInt(f) << 12n;
  }

  override keys(): SetIterator<bigint> {
    return this.values();
  }

  override *entries(): SetIterator<[bigint, bigint]> {
    for (const v of this.values()) yield [v, v];
  }

  override [Symbol.iterator](): SetIterator<bigint> {
    return this.values();
  }

  override forEach(
    f: (value: bigint, key: bigint, set: Set<bigint>) => void,
    thisArg?: unknown,
  ): void {
    for (const v of this.values()) f.call(thisArg, v, v, this);
  }
}
