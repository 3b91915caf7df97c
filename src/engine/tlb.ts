// The SMMU TLB (§3.17, §4.4): leaf translations tagged the way the architecture tags them —
// StreamWorld, VMID, ASID for non-global entries, ASET. Entries change only by a fill (a
// successful walk) or an invalidation command; LRU replacement at the platform's capacity.
// Stage-2 entries (IPA→PA) are tagged by VMID only; nested streams cache the combined VA→PA.

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

type Bucket = Map<number, { shift: bigint; byPage: Map<number, TlbEntry> }>;

export class Tlb {
  readonly capacity: number;
  private buckets = new Map<string, Bucket>();
  /** Insertion order = LRU order (oldest first). */
  private lru = new Map<TlbEntry, true>();
  hits = 0;
  misses = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.lru.size;
  }

  entries(): TlbEntry[] {
    return [...this.lru.keys()];
  }

  /** Looks up `ia` under the given tags (the ASID tag first, then the global one). */
  lookup(tags: readonly string[], ia: bigint): TlbEntry | undefined {
    for (const tag of tags) {
      const bucket = this.buckets.get(tag);
      if (!bucket) continue;
      for (const { shift, byPage } of bucket.values()) {
        const e = byPage.get(Number(ia >> shift));
        if (e) {
          this.lru.delete(e);
          this.lru.set(e, true);
          this.hits++;
          return e;
        }
      }
    }
    this.misses++;
    return undefined;
  }

  insert(e: TlbEntry): void {
    let bucket = this.buckets.get(e.tag);
    if (!bucket) this.buckets.set(e.tag, (bucket = new Map() as Bucket));
    let sized = bucket.get(e.sizeShift);
    if (!sized)
      bucket.set(e.sizeShift, (sized = { shift: BigInt(e.sizeShift), byPage: new Map() }));
    const key = Number(e.ia >> sized.shift);
    const old = sized.byPage.get(key);
    if (old) this.lru.delete(old);
    sized.byPage.set(key, e);
    this.lru.set(e, true);
    while (this.lru.size > this.capacity) {
      const oldest = this.lru.keys().next().value!;
      this.remove(oldest);
    }
  }

  private remove(e: TlbEntry): void {
    this.lru.delete(e);
    const sized = this.buckets.get(e.tag)?.get(e.sizeShift);
    if (!sized) return;
    const key = Number(e.ia >> sized.shift);
    if (sized.byPage.get(key) === e) sized.byPage.delete(key);
  }

  /** Removes every entry the predicate selects; returns how many went. */
  invalidate(pred: (e: TlbEntry) => boolean): number {
    let n = 0;
    for (const e of [...this.lru.keys()]) {
      if (pred(e)) {
        this.remove(e);
        n++;
      }
    }
    return n;
  }

  clone(): Tlb {
    const t = new Tlb(this.capacity);
    for (const e of this.lru.keys()) t.insert(e);
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
