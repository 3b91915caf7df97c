// Digest: a canonical fingerprint of everything an op may change, and direct comparisons of two
// worlds (what the model test's "an op that failed changed nothing" check uses).
import { REG_NAMES } from '../../engine/index.ts';
import type { World } from '../world.ts';

/** A streaming 64-bit hash (two 32-bit FNV-style lanes) fed numbers, bigints and strings. */
class Hasher {
  private a = 0x811c9dc5;
  private b = 0x5bd1e995;
  num(n: number): void {
    const lo = n >>> 0;
    const hi = Math.floor(n / 0x1_0000_0000) >>> 0;
    this.a = Math.imul(this.a ^ lo, 0x01000193);
    this.b = Math.imul(this.b ^ hi ^ lo, 0x01000193) ^ (this.a >>> 15);
  }
  big(x: bigint): void {
    this.num(Number(x & 0xffff_ffffn));
    this.num(Number(x >> 32n));
  }
  str(s: string): void {
    this.num(s.length);
    for (let i = 0; i < s.length; i++) this.num(s.charCodeAt(i));
  }
  get hex(): string {
    return (
      (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0')
    );
  }
}

const keyOrder = (x: unknown, y: unknown): number => {
  if (typeof x === typeof y && (typeof x === 'number' || typeof x === 'bigint'))
    return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
  const a = String(x);
  const b = String(y);
  return a < b ? -1 : a > b ? 1 : 0;
};

/** Feeds plain data canonically: Map and Set entries and object keys in sorted order. */
function feed(h: Hasher, x: unknown): void {
  if (x === undefined) return h.num(1);
  if (x === null) return h.num(2);
  switch (typeof x) {
    case 'bigint':
      h.num(3);
      return h.big(x);
    case 'number':
      h.num(4);
      return h.num(x);
    case 'boolean':
      return h.num(x ? 5 : 6);
    case 'string':
      h.num(7);
      return h.str(x);
    case 'object':
      break;
    default:
      return h.str(typeof x);
  }
  if (Array.isArray(x)) {
    h.num(0x100 + x.length);
    for (const e of x) feed(h, e);
    return;
  }
  if (x instanceof Map) {
    h.num(0x200 + x.size);
    for (const k of [...x.keys()].sort(keyOrder)) {
      feed(h, k);
      feed(h, x.get(k));
    }
    return;
  }
  if (x instanceof Set) {
    h.num(0x300 + x.size);
    for (const k of [...x].sort(keyOrder)) feed(h, k);
    return;
  }
  if (ArrayBuffer.isView(x)) {
    const bytes = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
    h.num(0x500 + bytes.length);
    for (const b of bytes) h.num(b);
    return;
  }
  const o = x as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  h.num(0x400 + keys.length);
  for (const k of keys) {
    h.str(k);
    feed(h, o[k]);
  }
}

/** A canonical hash of plain data (Maps and Sets in key order, object keys sorted, bigints). */
export function hashData(x: unknown): string {
  const h = new Hasher();
  feed(h, x);
  return h.hex;
}

export interface DigestParts {
  /** Every non-zero word of physical memory. */
  readonly memory: string;
  readonly registers: string;
  /** Queue pointers and the live entries between CONS and PROD. */
  readonly queues: string;
  /** Configuration cache, TLB, ATC, pending invalidations, stalls and device messages. */
  readonly caches: string;
  /** The kernel state, canonically. */
  readonly kernel: string;
}

/**
 * The digest by part. `memory: false` skips the memory scan (the costly part), for callers that
 * know from the write journal (PhysMem.journal) whether memory changed.
 */
export function digestParts(w: World, opts: { memory?: boolean } = {}): DigestParts {
  const mem = new Hasher();
  if (opts.memory !== false)
    for (const [pa, val] of w.mem.nonZeroWords()) {
      mem.num(Number(pa));
      mem.big(val);
    }
  const s = w.smmu;
  const regs = new Hasher();
  for (const n of REG_NAMES) {
    regs.str(n);
    regs.big(s.regs[n]);
  }
  const queues = new Hasher();
  for (const k of ['CMDQ', 'EVENTQ', 'PRIQ'] as const) {
    const q = s.queue(k);
    const bytes = k === 'EVENTQ' ? 32 : 16;
    const mask = (2 << q.log2size) - 1;
    queues.num(q.prod);
    queues.num(q.cons);
    for (let i = q.cons, n = 0; i !== q.prod && n <= mask; i = (i + 1) & mask, n++) {
      const slot = i & ((1 << q.log2size) - 1);
      for (const word of w.mem.readWords(q.base + BigInt(slot * bytes), bytes / 8) ?? [])
        queues.big(word);
    }
  }
  return {
    memory: mem.hex,
    registers: regs.hex,
    queues: queues.hex,
    caches: hashData(smmuState(w)),
    kernel: w.kernel ? hashData(w.kernel) : '',
  };
}

/**
 * Structural equality of plain data (Maps and Sets by key, objects by own keys, bigints by
 * value): what the digests compare, without hashing — for callers comparing two snapshots.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, e] of a) if (!b.has(k) || !sameData(e, b.get(k))) return false;
    return true;
  }
  if (a instanceof Set) {
    if (!(b instanceof Set) || a.size !== b.size) return false;
    for (const k of a) if (!b.has(k)) return false;
    return true;
  }
  if (Array.isArray(b) || b instanceof Map || b instanceof Set) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!sameData(ao[k], bo[k])) return false;
  return true;
}

/** One fingerprint of the whole world: equal digests ⇔ (with overwhelming likelihood) equal worlds. */
export function digest(w: World): string {
  const p = digestParts(w);
  return hashData([p.memory, p.registers, p.queues, p.caches, p.kernel]);
}

/** What a world's SMMU caches and queued state are, as plain data (for digests and diffs). */
function smmuState(w: World): unknown {
  const s = w.smmu;
  return {
    cfg: s.cfg.entries().map((e) => ({ ...e, view: undefined })),
    tlb: s.tlb.entries(),
    atc: s.atc.entries(),
    pending: s.pending.raws(),
    stalls: s.stalls,
    nextStag: s.nextStag,
    inbox: s.inbox,
    pendingStallRecords: s.pendingStallRecords,
  };
}

/**
 * The parts of two worlds that differ, compared directly (no hashing): the digest's parts.
 * `memory: false` skips the memory comparison (see digestParts).
 */
export function worldDiff(
  a: World,
  b: World,
  opts: { memory?: boolean } = {},
): (keyof DigestParts)[] {
  const out: (keyof DigestParts)[] = [];
  if (opts.memory !== false) {
    const x = a.mem.nonZeroWords();
    const y = b.mem.nonZeroWords();
    for (;;) {
      const p = x.next();
      const q = y.next();
      if (p.done || q.done) {
        if (!p.done || !q.done) out.push('memory');
        break;
      }
      if (p.value[0] !== q.value[0] || p.value[1] !== q.value[1]) {
        out.push('memory');
        break;
      }
    }
  }
  if (!sameData(a.smmu.regs, b.smmu.regs)) out.push('registers');
  if (!sameData(smmuState(a), smmuState(b))) out.push('caches');
  if (!sameData(a.kernel, b.kernel)) out.push('kernel');
  return out;
}

/** The parts of two digests that differ (empty when equal). */
export function digestDiff(a: DigestParts, b: DigestParts): (keyof DigestParts)[] {
  return (Object.keys(a) as (keyof DigestParts)[]).filter((k) => a[k] !== b[k]);
}
