// Address Translation Cache of ATS endpoints (§3.9; PCIe ATS): per StreamID, filled by
// successful Translation Requests, emptied only by CMD_ATC_INV (completed at CMD_SYNC).
import type { SourceWord } from './stale.ts';

export interface AtcEntry {
  readonly sid: number;
  /** PASID of the request, or undefined for a request without a PASID prefix. */
  readonly ssid: number | undefined;
  readonly ia: bigint;
  readonly sizeShift: number;
  readonly pa: bigint;
  readonly read: boolean;
  readonly write: boolean;
  readonly exec: boolean;
  readonly priv: boolean;
  /** What the SMMU's answer was built from (its TLB entry's sources): see stale.ts. */
  readonly src: readonly SourceWord[];
}

export class Atc {
  readonly capacity: number;
  private lru = new Map<string, AtcEntry>();

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  entries(): AtcEntry[] {
    return [...this.lru.values()];
  }

  private static key(sid: number, ssid: number | undefined, page: bigint): string {
    return `${sid}:${ssid ?? '-'}:${page}`;
  }

  lookup(sid: number, ssid: number | undefined, ia: bigint): AtcEntry | undefined {
    for (const e of this.lru.values()) {
      if (e.sid !== sid || e.ssid !== ssid) continue;
      if (ia >> BigInt(e.sizeShift) === e.ia >> BigInt(e.sizeShift)) {
        const k = Atc.key(sid, ssid, e.ia);
        this.lru.delete(k);
        this.lru.set(k, e);
        return e;
      }
    }
    return undefined;
  }

  insert(e: AtcEntry): void {
    const k = Atc.key(e.sid, e.ssid, e.ia);
    this.lru.delete(k);
    this.lru.set(k, e);
    while (this.lru.size > this.capacity) this.lru.delete(this.lru.keys().next().value!);
  }

  /**
   * CMD_ATC_INV semantics (§4.5.1): span = 4 KB × 2^size aligned to itself (size 52 = all).
   * Without SSV every entry in range goes, PASID-tagged ones included; with SSV only that PASID's.
   */
  invalidate(sid: number, ssid: number | undefined, addr: bigint, size: number): number {
    const all = size >= 52;
    const span = all ? 0n : 1n << BigInt(12 + size);
    const base = all ? 0n : addr & ~(span - 1n);
    let n = 0;
    for (const [k, e] of [...this.lru]) {
      if (e.sid !== sid) continue;
      if (ssid !== undefined && e.ssid !== ssid) continue;
      const eSize = 1n << BigInt(e.sizeShift);
      if (!all && !(e.ia < base + span && base < e.ia + eSize)) continue;
      this.lru.delete(k);
      n++;
    }
    return n;
  }

  clone(): Atc {
    const a = new Atc(this.capacity);
    a.lru = new Map(this.lru);
    return a;
  }
}
