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

const steKey = (sid: number): string => `ste:${sid}`;
const cdKey = (sid: number, ssid: number): string => `cd:${sid}:${ssid}`;
const l1cdKey = (sid: number, index: number): string => `l1cd:${sid}:${index}`;
const l1stdKey = (index: number): string => `l1std:${index}`;

export class ConfigCache {
  readonly capacity: number;
  private map = new Map<string, CachedConfig>();

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.map.size;
  }

  entries(): CachedConfig[] {
    return [...this.map.values()];
  }

  private touch<T extends CachedConfig>(key: string): T | undefined {
    const e = this.map.get(key);
    if (e) {
      this.map.delete(key);
      this.map.set(key, e);
    }
    return e as T | undefined;
  }

  private put(key: string, e: CachedConfig): void {
    this.map.delete(key);
    this.map.set(key, e);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }

  ste = (sid: number): CachedSte | undefined => this.touch(steKey(sid));
  cd = (sid: number, ssid: number): CachedCd | undefined => this.touch(cdKey(sid, ssid));
  l1cd = (sid: number, index: number): CachedL1 | undefined => this.touch(l1cdKey(sid, index));
  l1std = (index: number): CachedL1 | undefined => this.touch(l1stdKey(index));

  putSte(e: CachedSte): void {
    this.put(steKey(e.sid), e);
  }
  putCd(e: CachedCd): void {
    this.put(cdKey(e.sid, e.ssid), e);
  }
  putL1(e: CachedL1): void {
    this.put(e.kind === 'l1cd' ? l1cdKey(e.sid, e.index) : l1stdKey(e.index), e);
  }

  /** CMD_CFGI_STE: the STE and everything cached through it (its CDs and L1CDs). */
  invalidateSte(sid: number, leaf: boolean, splitBits: number | undefined): number {
    let n = this.dropWhere((e) => e.kind !== 'l1std' && e.sid === sid);
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

  /** CMD_CFGI_STE_RANGE / CMD_CFGI_ALL: StreamIDs in [first, last], their L1STDs too. */
  invalidateRange(first: number, last: number): number {
    return this.dropWhere((e) => e.kind === 'l1std' || (e.sid >= first && e.sid <= last));
  }

  dropWhere(pred: (e: CachedConfig) => boolean): number {
    let n = 0;
    for (const [k, e] of [...this.map]) {
      if (pred(e)) {
        this.map.delete(k);
        n++;
      }
    }
    return n;
  }

  clone(): ConfigCache {
    const c = new ConfigCache(this.capacity);
    c.map = new Map(this.map);
    return c;
  }
}
