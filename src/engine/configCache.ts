// Configuration cache (§4.3, §16.2): STEs per StreamID, L1STDs, L1CDs and CDs per
// StreamID+SubstreamID, exactly as fetched. It changes only by a fetch or by CMD_CFGI_*.
// Linux writes a CFGI after every STE/CD/L1 change precisely because entries may be cached,
// including an invalid L1CD (arm-smmu-v3.c, arm_smmu_alloc_cd_ptr comment).
import type { CdView } from './cd.ts';
import type { SteView } from './ste.ts';

export interface CachedSte {
  readonly kind: 'ste';
  readonly sid: number;
  readonly pa: bigint;
  readonly raw: readonly bigint[];
  readonly view: SteView;
}

export interface CachedCd {
  readonly kind: 'cd';
  readonly sid: number;
  /** The CD index in the table (SubstreamID, or 0 for the single CD / S1DSS=SSID0). */
  readonly ssid: number;
  readonly pa: bigint;
  readonly raw: readonly bigint[];
  readonly view: CdView;
  /** TLB tags for this context: [asid tag, global tag]. */
  readonly tags: readonly string[];
}

export interface CachedL1 {
  readonly kind: 'l1std' | 'l1cd';
  /** For l1cd: the stream; for l1std: -1 (shared by the streams of its span). */
  readonly sid: number;
  readonly index: number;
  readonly pa: bigint;
  readonly raw: bigint;
}

export type CachedConfig = CachedSte | CachedCd | CachedL1;

/** The StreamIDs an STE's CONT field claims: [first, first + 2^bits). */
function contSpan(e: CachedSte, maxBits: number) {
  const bits = Math.min(e.view.V ? e.view.CONT : 0, maxBits);
  const size = 2 ** bits;
  const first = e.sid - (e.sid % size);
  return {
    covers: (sid: number): boolean => sid >= first && sid < first + size,
    overlaps: (lo: number, hi: number): boolean => lo < first + size && first <= hi,
  };
}

/** A cached structure and when it was last used (LRU by stamp; eviction is rare). */
interface Slot {
  readonly e: CachedConfig;
  stamp: number;
}

// Numeric keys, one map per structure kind: StreamIDs are below 2^32 and SubstreamIDs and L1
// indices below 2^20, so sid × 2^20 + ssid is exact in a double.
const SSID_SPAN = 2 ** 20;
/** No covering STEs (the common answer: no CONT span was ever cached), shared. */
const NONE: readonly CachedSte[] = Object.freeze([]);
const pairKey = (sid: number, ssid: number): number => sid * SSID_SPAN + ssid;

export class ConfigCache {
  readonly capacity: number;
  private stes = new Map<number, Slot>();
  private cds = new Map<number, Slot>();
  private l1cds = new Map<number, Slot>();
  private l1stds = new Map<number, Slot>();
  private clock = 0;
  /** Set once an STE with a CONT span was cached: spans are looked for only then. */
  private anyCont = false;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.stes.size + this.cds.size + this.l1cds.size + this.l1stds.size;
  }

  private maps(): Map<number, Slot>[] {
    return [this.stes, this.cds, this.l1cds, this.l1stds];
  }

  /** Every cached structure, least recently used first. */
  entries(): CachedConfig[] {
    const slots: Slot[] = [];
    for (const m of this.maps()) for (const slot of m.values()) slots.push(slot);
    return slots.sort((a, b) => a.stamp - b.stamp).map((slot) => slot.e);
  }

  private touch<T extends CachedConfig>(m: Map<number, Slot>, key: number): T | undefined {
    const slot = m.get(key);
    if (!slot) return undefined;
    slot.stamp = ++this.clock;
    return slot.e as T;
  }

  private put(m: Map<number, Slot>, key: number, e: CachedConfig): void {
    m.set(key, { e, stamp: ++this.clock });
    while (this.size > this.capacity) this.evictOldest();
  }

  private evictOldest(): void {
    let oldest: [Map<number, Slot>, number, number] | undefined;
    for (const m of this.maps())
      for (const [k, slot] of m) if (!oldest || slot.stamp < oldest[2]) oldest = [m, k, slot.stamp];
    if (oldest) oldest[0].delete(oldest[1]);
  }

  ste = (sid: number): CachedSte | undefined => this.touch(this.stes, sid);
  /** The cached STE of `sid` without marking it used (for command processing, not lookups). */
  peekSte = (sid: number): CachedSte | undefined => this.stes.get(sid)?.e as CachedSte | undefined;
  cd = (sid: number, ssid: number): CachedCd | undefined =>
    this.touch(this.cds, pairKey(sid, ssid));
  l1cd = (sid: number, index: number): CachedL1 | undefined =>
    this.touch(this.l1cds, pairKey(sid, index));
  l1std = (index: number): CachedL1 | undefined => this.touch(this.l1stds, index);

  putSte(e: CachedSte): void {
    if (e.view.V && e.view.CONT > 0) this.anyCont = true;
    this.put(this.stes, e.sid, e);
  }

  /**
   * Cached STEs of other StreamIDs whose STE.CONT span covers `sid` (§5.2 CONT: "a cache of the
   * STE might be matched for any future lookup of StreamID ... within this span"). The span is
   * 2^CONT StreamIDs from the fetched SID aligned down, capped at 2^maxBits (the stream table,
   * or the level-2 array in a 2-level table). Only V=1 STEs carry a span that is obeyed.
   */
  steCovering(sid: number, maxBits: number): readonly CachedSte[] {
    if (!this.anyCont) return NONE;
    const out: CachedSte[] = [];
    for (const slot of this.stes.values()) {
      const e = slot.e as CachedSte;
      if (e.sid === sid || !e.view.V || e.view.CONT === 0) continue;
      if (contSpan(e, maxBits).covers(sid)) out.push(e);
    }
    return out;
  }
  putCd(e: CachedCd): void {
    this.put(this.cds, pairKey(e.sid, e.ssid), e);
  }
  putL1(e: CachedL1): void {
    if (e.kind === 'l1cd') this.put(this.l1cds, pairKey(e.sid, e.index), e);
    else this.put(this.l1stds, e.index, e);
  }

  /**
   * CMD_CFGI_STE: the STE and everything cached through it (its CDs and L1CDs), and any cached
   * STE whose CONT span covers the StreamID (a lookup of `sid` could match it).
   */
  invalidateSte(sid: number, leaf: boolean, splitBits: number | undefined): number {
    let n = this.dropWhere(
      (e) =>
        (e.kind !== 'l1std' && e.sid === sid) ||
        (this.anyCont && e.kind === 'ste' && contSpan(e, 32).covers(sid)),
    );
    if (!leaf && splitBits !== undefined)
      n += this.dropWhere((e) => e.kind === 'l1std' && e.index === sid >> splitBits);
    return n;
  }

  /** CMD_CFGI_CD: one CD; Leaf=0 also the L1CD that covers it. */
  invalidateCd(sid: number, ssid: number, leaf: boolean, l1Index: number | undefined): number {
    let n = this.dropWhere((e) => e.kind === 'cd' && e.sid === sid && e.ssid === ssid);
    if (!leaf)
      n += this.dropWhere(
        (e) => e.kind === 'l1cd' && e.sid === sid && (l1Index === undefined || e.index === l1Index),
      );
    return n;
  }

  invalidateAllCds(sid: number): number {
    return this.dropWhere((e) => (e.kind === 'cd' || e.kind === 'l1cd') && e.sid === sid);
  }

  /**
   * CMD_CFGI_STE_RANGE / CMD_CFGI_ALL: StreamIDs in [first, last], the CDs and L1CDs fetched
   * through them, and the L1STDs walked to reach them (§4.3.2). Over-invalidating L1STDs is
   * permitted; this model drops exactly those covering the range (`splitBits` of a 2-level table).
   */
  invalidateRange(first: number, last: number, splitBits: number | undefined): number {
    const lo = splitBits === undefined ? 0 : Math.floor(first / 2 ** splitBits);
    const hi = splitBits === undefined ? Infinity : Math.floor(last / 2 ** splitBits);
    return this.dropWhere((e) =>
      e.kind === 'l1std'
        ? e.index >= lo && e.index <= hi
        : (e.sid >= first && e.sid <= last) ||
          (e.kind === 'ste' && contSpan(e, 32).overlaps(first, last)),
    );
  }

  dropWhere(pred: (e: CachedConfig) => boolean): number {
    let n = 0;
    for (const m of this.maps()) {
      for (const [k, slot] of [...m]) {
        if (pred(slot.e)) {
          m.delete(k);
          n++;
        }
      }
    }
    return n;
  }

  clone(): ConfigCache {
    const c = new ConfigCache(this.capacity);
    const copy = (m: Map<number, Slot>) =>
      new Map([...m].map(([k, slot]) => [k, { e: slot.e, stamp: slot.stamp }]));
    c.stes = copy(this.stes);
    c.cds = copy(this.cds);
    c.l1cds = copy(this.l1cds);
    c.l1stds = copy(this.l1stds);
    c.clock = this.clock;
    c.anyCont = this.anyCont;
    return c;
  }
}
