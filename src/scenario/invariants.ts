// Invariants of a world, checked from first principles: the structures the SMMU would read are
// found by walking simulated memory from the registers (STRTAB_BASE → STE → CD table → CD →
// translation tables), never by trusting the kernel model's own pointers, and compared with what
// the kernel state says they should hold. Pure and read-only (memory is only read), so the UI may
// use it too. Used by the model-based property test (model.property.test.ts).
import {
  alignStartTable,
  CD_BYTES,
  CD_DWORDS,
  hex,
  paSizeBits,
  REG_NAMES,
  startLevel,
  STE_BYTES,
  STE_DWORDS,
  tg0Shift,
  viewCd,
  viewSte,
  walk,
  type CdView,
  type GranuleShift,
  type Leaf,
  type PhysMem,
  type S1Perms,
  type SteView,
} from '../engine/index.ts';
import { checkS1, grantS1, s1PermsOf } from '../engine/permissions.ts';
import type { Domain, KernelState } from '../kernel/index.ts';
import type { Access } from './format.ts';
import type { World } from './world.ts';

export type InvariantName =
  'ste' | 'cd' | 'cfg' | 'dma' | 'tlb' | 'atc' | 'unchanged' | 'leak' | 'state';

export interface Violation {
  readonly invariant: InvariantName;
  readonly message: string;
}

const v = (invariant: InvariantName, message: string): Violation => ({ invariant, message });

// ---------------------------------------------------------------------------------------------
// Digest: a canonical fingerprint of everything an op may change.

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
    pending: s.pending.map((c) => c.raw),
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

// ---------------------------------------------------------------------------------------------
// Reading the structures the SMMU reads, from memory.

export interface SteRead {
  readonly pa: bigint;
  readonly raw: readonly bigint[];
  readonly view: SteView;
}

/** The STE of `sid` as the SMMU would fetch it (STRTAB_BASE, one or two levels), or why not. */
export function readSte(w: World, sid: number): SteRead | string {
  const d = w.smmu.derived;
  if (sid >= 2 ** d.sidBits) return `StreamID ${hex(sid)} is beyond the stream table`;
  let pa: bigint;
  if (d.strtabFmt === 'linear') pa = d.strtabBase + BigInt(sid) * STE_BYTES;
  else {
    const l1 = w.mem.read64(d.strtabBase + BigInt(sid >>> d.split) * 8n);
    if (l1 === undefined) return 'L1STD not in RAM';
    const span = Number(l1 & 0x1fn);
    if (span === 0 || span > d.split + 1) return `L1STD[${sid >>> d.split}] invalid (Span ${span})`;
    const idx = sid & ((1 << d.split) - 1);
    if (idx >= 2 ** (span - 1)) return 'StreamID outside the L1STD span';
    const l2 = ((l1 >> 6n) << 6n) & ((1n << 56n) - 1n) & ~((1n << BigInt(6 + span - 1)) - 1n);
    pa = l2 + BigInt(idx) * STE_BYTES;
  }
  const raw = w.mem.readWords(pa, STE_DWORDS);
  if (!raw) return `STE at ${hex(pa)} not in RAM`;
  return { pa, raw, view: viewSte(raw) };
}

/** readSte memoized for one check of one world (the world must not change meanwhile). */
export type SteReader = (sid: number) => SteRead | string;

export function steReader(w: World): SteReader {
  const memo = new Map<number, SteRead | string>();
  return (sid) => {
    let r = memo.get(sid);
    if (r === undefined) memo.set(sid, (r = readSte(w, sid)));
    return r;
  };
}

export interface CdRead {
  readonly index: number;
  readonly pa: bigint;
  readonly raw: readonly bigint[];
  readonly view: CdView;
}

const leafBitsOf = (ste: SteView): number => (ste.S1Fmt === 1 ? 6 : 10);
const fmtOf = (ste: SteView): number => (ste.S1Fmt === 3 ? 0 : ste.S1Fmt);

/** Address of CD[index] through the STE's CD table (linear or two-level), or why there is none. */
export function cdAddress(mem: PhysMem, ste: SteView, index: number): bigint | string {
  if (ste.S1CDMax === 0 || fmtOf(ste) === 0) return ste.S1ContextPtr + BigInt(index) * CD_BYTES;
  const leafBits = leafBitsOf(ste);
  const l1Index = ste.S1CDMax > leafBits ? index >>> leafBits : 0;
  const l1 = mem.read64(ste.S1ContextPtr + BigInt(l1Index) * 8n);
  if (l1 === undefined) return 'L1CD not in RAM';
  if ((l1 & 1n) === 0n) return `L1CD[${l1Index}] invalid`;
  const leaf = ((l1 >> 12n) << 12n) & ((1n << 56n) - 1n) & ~((1n << BigInt(leafBits + 6)) - 1n);
  return leaf + BigInt(index & ((1 << leafBits) - 1)) * CD_BYTES;
}

export function readCd(mem: PhysMem, ste: SteView, index: number): CdRead | string {
  const pa = cdAddress(mem, ste, index);
  if (typeof pa === 'string') return pa;
  const raw = mem.readWords(pa, CD_DWORDS);
  if (!raw) return `CD ${index} at ${hex(pa)} not in RAM`;
  return { index, pa, raw, view: viewCd(raw) };
}

/** Every valid CD (V=1) of the CD table an S1 STE points at. */
export function validCds(mem: PhysMem, ste: SteView): CdRead[] {
  const out: CdRead[] = [];
  const count = ste.S1CDMax === 0 ? 1 : 2 ** ste.S1CDMax;
  const push = (index: number, pa: bigint): void => {
    const w0 = mem.read64(pa);
    if (w0 === undefined || ((w0 >> 31n) & 1n) === 0n) return;
    const raw = mem.readWords(pa, CD_DWORDS)!;
    out.push({ index, pa, raw, view: viewCd(raw) });
  };
  if (ste.S1CDMax === 0 || fmtOf(ste) === 0) {
    for (let i = 0; i < count; i++) push(i, ste.S1ContextPtr + BigInt(i) * CD_BYTES);
    return out;
  }
  const leafBits = leafBitsOf(ste);
  const perLeaf = Math.min(count, 2 ** leafBits);
  for (let l1 = 0; l1 * perLeaf < count; l1++) {
    const first = cdAddress(mem, ste, l1 * perLeaf);
    if (typeof first === 'string') continue;
    for (let i = 0; i < perLeaf; i++) push(l1 * perLeaf + i, first + BigInt(i) * CD_BYTES);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Walks.

export interface TableWalk {
  readonly root: bigint;
  readonly g: GranuleShift;
  readonly inputSize: number;
  readonly oaBits: number;
  readonly had: boolean;
}

/** A stage-1 walk of VMSAv8-64 tables in memory (read-only): the leaf for `va`, or undefined. */
export function walkTables(mem: PhysMem, t: TableWalk, va: bigint): Leaf | undefined {
  if (va >= 1n << BigInt(t.inputSize)) return undefined;
  const level0 = startLevel(t.g, t.inputSize);
  const r = walk(
    {
      stage: 1,
      g: t.g,
      inputSize: t.inputSize,
      startLevel: level0,
      ttb: alignStartTable(t.root, t.g, level0, t.inputSize),
      oaBits: t.oaBits,
      had: t.had,
      inputName: 'VA',
    },
    va,
    (addr) => {
      const val = mem.read64(addr);
      return val === undefined
        ? { ok: false, fault: { kind: 'F_WALK_EABT', stage: 1, class: 'TT', why: 'not RAM' } }
        : { ok: true, value: val, pa: addr };
    },
    null,
  );
  return r.ok ? r.leaf : undefined;
}

/** The walk a CD describes through TTB0 (the kernel never uses TTB1: EPD1=1). */
export function cdWalk(w: World, cd: CdView): TableWalk {
  return {
    root: cd.TTB0,
    g: (tg0Shift(cd.TG0) ?? 12) as GranuleShift,
    inputSize: 64 - cd.T0SZ,
    oaBits: Math.min(paSizeBits(cd.IPS), w.smmu.platform.oas),
    had: cd.HAD0,
  };
}

export type Fresh =
  | { readonly kind: 'bypass'; readonly pa: bigint }
  | {
      readonly kind: 's1';
      readonly pa: bigint;
      readonly sizeShift: number;
      readonly perms: S1Perms;
      readonly cd: CdView;
      readonly ste: SteView;
    }
  | { readonly kind: 'fault'; readonly why: string };

/**
 * What a transaction (sid, ssid, va) translates to through the current tables, ignoring every
 * cache: the reference the TLB and ATC must agree with. Only the configurations the kernel
 * writes are modelled (abort, bypass, stage 1 through a CD table).
 */
export function freshTranslate(
  w: World,
  sid: number,
  ssid: number | undefined,
  va: bigint,
  steOf: SteReader = steReader(w),
): Fresh {
  if (!w.smmu.derived.smmuen) return { kind: 'fault', why: 'SMMUEN=0' };
  const ste = steOf(sid);
  if (typeof ste === 'string') return { kind: 'fault', why: ste };
  const s = ste.view;
  if (!s.V || s.Config < 4) return { kind: 'fault', why: 'STE abort or invalid' };
  if (s.Config === 4) {
    if (ssid !== undefined) return { kind: 'fault', why: 'SubstreamID with stage 1 bypassed' };
    return { kind: 'bypass', pa: va };
  }
  if (s.Config !== 5) return { kind: 'fault', why: `STE.Config ${s.Config} not modelled here` };
  let index: number;
  if (s.S1CDMax === 0) {
    if (ssid !== undefined) return { kind: 'fault', why: 'SubstreamID with S1CDMax=0' };
    index = 0;
  } else if (ssid === undefined) {
    if (s.S1DSS === 1) return { kind: 'bypass', pa: va };
    if (s.S1DSS !== 2) return { kind: 'fault', why: 'S1DSS terminate' };
    index = 0;
  } else {
    if (ssid >= 2 ** s.S1CDMax) return { kind: 'fault', why: 'SubstreamID ≥ 2^S1CDMax' };
    if (ssid === 0 && s.S1DSS === 2) return { kind: 'fault', why: 'SubstreamID 0 with SSID0' };
    index = ssid;
  }
  const cd = readCd(w.mem, s, index);
  if (typeof cd === 'string') return { kind: 'fault', why: cd };
  const c = cd.view;
  if (!c.V) return { kind: 'fault', why: `CD ${index} invalid` };
  if (c.S && s.S1STALLD) return { kind: 'fault', why: `CD ${index}: S=1 but STE.S1STALLD=1` };
  if (((va >> 55n) & 1n) === 1n) return { kind: 'fault', why: 'TTB1 range (EPD1)' };
  const leaf = walkTables(w.mem, cdWalk(w, c), va);
  if (!leaf) return { kind: 'fault', why: `no valid leaf for ${hex(va)}` };
  if ((leaf.desc & (1n << 10n)) === 0n && !c.HA && !c.AFFD) return { kind: 'fault', why: 'AF=0' };
  return {
    kind: 's1',
    pa: leaf.oa,
    sizeShift: leaf.sizeShift,
    perms: s1PermsOf(leaf),
    cd: c,
    ste: s,
  };
}

// ---------------------------------------------------------------------------------------------
// (a) STEs and CDs agree with the kernel state.

interface Owner {
  readonly what: string;
  readonly asid: number;
  readonly ttb: bigint;
}

/** Who should own CD[index] of domain `d`, by the kernel state. */
function ownerOf(k: KernelState, d: Domain, index: number): Owner | string {
  if (index === 0) {
    if (!d.pgtable) return `domain ${d.name} has no io-pgtable`;
    return { what: `domain ${d.name} io-pgtable`, asid: d.pgtable.asid, ttb: d.pgtable.root };
  }
  const o = k.idr.used.get(index);
  if (!o) return `PASID ${index} is not in the IDR`;
  if (o.kind === 'process') {
    const ctx = d.contexts.get(o.proc);
    if (!ctx || ctx.pasid !== index)
      return `PASID ${index} belongs to ${o.proc}, which has no context in ${d.name}`;
    const p = k.processes.get(o.proc);
    if (!p) return `PASID ${index}: process ${o.proc} is gone`;
    const asid = k.profile === 'rfc2017' ? p.mm.asid : (ctx.asid ?? p.mm.asid);
    return { what: `${o.proc} (shared mm)`, asid, ttb: p.mm.pgd };
  }
  const priv = k.privates.get(`${o.dev}/${o.proc}`);
  if (!priv) return `PASID ${index}: private context ${o.dev}/${o.proc} is gone`;
  if (!d.devices.includes(o.dev))
    return `PASID ${index} is private to ${o.dev}, which is not in ${d.name}`;
  return {
    what: `private ${o.dev}/${o.proc}`,
    asid: priv.pgtable.asid,
    ttb: priv.pgtable.root,
  };
}

/** The valid CDs reachable from the STEs of the kernel's devices, once per CD table. */
export interface ReachableCd extends CdRead {
  readonly table: bigint;
  readonly sids: readonly number[];
  readonly domain: string | undefined;
}

/** Memory the SMMU reads to find CDs: the devices' STEs and the CD tables (L1 and leaves). */
export type Range = readonly [start: bigint, end: bigint];

export function scanCds(
  w: World,
  steOf: SteReader = steReader(w),
): { cds: ReachableCd[]; ranges: Range[] } {
  const k = w.kernel;
  if (!k) return { cds: [], ranges: [] };
  const ranges: Range[] = [];
  const tables = new Map<bigint, { ste: SteView; sids: number[]; domain: string | undefined }>();
  for (const dev of k.devices.values()) {
    const ste = steOf(dev.sid);
    if (typeof ste === 'string') continue;
    ranges.push([ste.pa, ste.pa + STE_BYTES]);
    if (!ste.view.V || ste.view.Config !== 5) continue;
    const t = tables.get(ste.view.S1ContextPtr);
    if (t) t.sids.push(dev.sid);
    else tables.set(ste.view.S1ContextPtr, { ste: ste.view, sids: [dev.sid], domain: dev.domain });
  }
  const cds: ReachableCd[] = [];
  for (const [table, t] of tables) {
    const s = t.ste;
    const count = s.S1CDMax === 0 ? 1 : 2 ** s.S1CDMax;
    if (s.S1CDMax === 0 || fmtOf(s) === 0) ranges.push([table, table + BigInt(count) * CD_BYTES]);
    else {
      const perLeaf = Math.min(count, 2 ** leafBitsOf(s));
      ranges.push([table, table + BigInt(Math.ceil(count / perLeaf)) * 8n]);
      for (let i = 0; i < count; i += perLeaf) {
        const leaf = cdAddress(w.mem, s, i);
        if (typeof leaf !== 'string') ranges.push([leaf, leaf + BigInt(perLeaf) * CD_BYTES]);
      }
    }
    for (const cd of validCds(w.mem, s)) cds.push({ ...cd, table, sids: t.sids, domain: t.domain });
  }
  return { cds, ranges };
}

export function reachableCds(w: World, steOf: SteReader = steReader(w)): ReachableCd[] {
  return scanCds(w, steOf).cds;
}

/** (a) Every device's STE matches its domain; every valid CD matches its owner; every context has its CD. */
export function checkStructures(
  w: World,
  steOf: SteReader = steReader(w),
  cds: readonly ReachableCd[] = reachableCds(w, steOf),
): Violation[] {
  const k = w.kernel;
  if (!k) return [];
  const out: Violation[] = [];
  for (const dev of k.devices.values()) {
    const ste = steOf(dev.sid);
    if (typeof ste === 'string') {
      out.push(v('ste', `${dev.name}: ${ste}`));
      continue;
    }
    const d = dev.domain ? k.domains.get(dev.domain) : undefined;
    const want = !d || d.type === 'blocked' ? 0 : d.type === 'identity' ? 4 : 5;
    if (!ste.view.V || ste.view.Config !== want)
      out.push(
        v('ste', `${dev.name}: STE Config=${ste.view.Config} V=${ste.view.V}, expected ${want}`),
      );
    else if (want === 5 && ste.view.S1ContextPtr !== d!.cdtable?.base)
      out.push(v('ste', `${dev.name}: STE points at CD table ${hex(ste.view.S1ContextPtr)}`));
  }
  for (const cd of cds) {
    const d = cd.domain ? k.domains.get(cd.domain) : undefined;
    if (!d) {
      out.push(v('cd', `CD ${cd.index} at ${hex(cd.pa)} reachable from a device without a domain`));
      continue;
    }
    const o = ownerOf(k, d, cd.index);
    if (typeof o === 'string') {
      out.push(v('cd', `valid CD ${cd.index} of ${d.name} (at ${hex(cd.pa)}) has no owner: ${o}`));
      continue;
    }
    if (cd.view.ASID !== o.asid || cd.view.TTB0 !== o.ttb)
      out.push(
        v(
          'cd',
          `CD ${cd.index} of ${d.name}: ASID ${cd.view.ASID} TTB0 ${hex(cd.view.TTB0)}, but ${o.what} has ASID ${o.asid} pgd ${hex(o.ttb)}`,
        ),
      );
    for (const sid of cd.sids) {
      const ste = steOf(sid);
      if (typeof ste !== 'string' && cd.view.S && ste.view.S1STALLD)
        out.push(
          v(
            'cd',
            `CD ${cd.index} of ${d.name} has S=1 but StreamID ${hex(sid)} has S1STALLD=1: C_BAD_CD`,
          ),
        );
    }
  }
  // The other way round: every live context of an attached domain has its CD.
  for (const d of k.domains.values()) {
    if (d.type !== 'dma' || !d.cdtable || d.devices.length === 0) continue;
    const have = new Set(cds.filter((c) => c.table === d.cdtable!.base).map((c) => c.index));
    if (d.pgtable && !have.has(0)) out.push(v('cd', `${d.name}: CD 0 is not valid`));
    for (const [proc, ctx] of d.contexts)
      if (!have.has(ctx.pasid))
        out.push(v('cd', `${d.name}: context of ${proc} (PASID ${ctx.pasid}) has no valid CD`));
    for (const p of k.privates.values())
      if (d.devices.includes(p.dev) && !have.has(p.pasid))
        out.push(
          v('cd', `${d.name}: private PASID ${p.pasid} of ${p.dev}/${p.proc} has no valid CD`),
        );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// (c) TLB and ATC entries agree with a fresh walk of the current tables.

const samePerms = (a: S1Perms, b: S1Perms | undefined): boolean =>
  !!b && a.ap === b.ap && a.pxn === b.pxn && a.uxn === b.uxn && a.dbm === b.dbm;

/** The address spaces the kernel has handed an SMMU ASID (and ASET) to, by `asid/aset`. */
export function asidOwners(w: World): Map<string, { what: string; walk: TableWalk }[]> {
  const out = new Map<string, { what: string; walk: TableWalk }[]>();
  const k = w.kernel;
  if (!k) return out;
  const add = (asid: number, aset: boolean, what: string, walk: TableWalk): void => {
    const key = `${asid}/${aset ? 1 : 0}`;
    const list = out.get(key);
    if (list) list.push({ what, walk });
    else out.set(key, [{ what, walk }]);
  };
  const io = (pt: { root: bigint; g: GranuleShift; ias: number; oas: number }): TableWalk => ({
    root: pt.root,
    g: pt.g,
    inputSize: pt.ias,
    oaBits: pt.oas,
    had: false,
  });
  for (const d of k.domains.values())
    if (d.pgtable) add(d.pgtable.asid, true, `domain ${d.name}`, io(d.pgtable));
  for (const p of k.privates.values())
    add(p.pgtable.asid, true, `private ${p.dev}/${p.proc}`, io(p.pgtable));
  for (const ip of k.iommuProcesses.values()) {
    const p = k.processes.get(ip.proc);
    if (!p) continue;
    const cpu: TableWalk = {
      root: p.mm.pgd,
      g: k.cpu.granule,
      inputSize: k.cpu.vaBits,
      oaBits: Math.min(48, w.smmu.platform.oas),
      had: false,
    };
    if (k.profile === 'rfc2017') add(p.mm.asid, false, `${ip.proc} (shared mm)`, cpu);
    else
      for (const dn of ip.domains) {
        const ctx = k.domains.get(dn)?.contexts.get(ip.proc);
        if (ctx) add(ctx.asid ?? p.mm.asid, true, `${ip.proc} in ${dn} (shared mm)`, cpu);
      }
  }
  return out;
}

/**
 * Every TLB entry agrees with a fresh walk of the tables it can be hit through: every live CD
 * with its ASID and ASET (or any CD, for a global entry), and the address space the kernel gave
 * that ASID. An entry whose ASID the kernel no longer gives anyone was not invalidated when the
 * ASID was released (the next owner of the ASID would hit it).
 */
export function checkTlb(w: World, cds: readonly ReachableCd[] = reachableCds(w)): Violation[] {
  const out: Violation[] = [];
  const entries = w.smmu.tlb.entries();
  if (entries.length === 0) return out;
  const spaces = new Map<string, { what: string; walk: TableWalk }[]>(asidOwners(w));
  for (const cd of cds) {
    const key = `${cd.view.ASID}/${cd.view.ASET ? 1 : 0}`;
    const s = { what: `CD ${cd.index} of ${cd.domain ?? '?'}`, walk: cdWalk(w, cd.view) };
    const list = spaces.get(key);
    if (list) list.push(s);
    else spaces.set(key, [s]);
  }
  for (const e of entries) {
    if (e.stage !== 's1' || e.world !== 'NS-EL1' || e.vmid !== 0) continue;
    const entry = `TLB entry ASID ${e.asid}${e.aset ? ' (ASET=1)' : ''} IA ${hex(e.ia)} (2^${e.sizeShift}) → ${hex(e.oa)}, filled by sid ${hex(e.sid)} ssid ${e.ssid ?? '-'}`;
    const users =
      e.asid < 0
        ? cds
            .filter((c) => c.view.ASET === e.aset)
            .map((c) => ({ what: `CD ${c.index}`, walk: cdWalk(w, c.view) }))
        : (spaces.get(`${e.asid}/${e.aset ? 1 : 0}`) ?? []);
    if (users.length === 0 && e.asid >= 0)
      out.push(
        v('tlb', `${entry}: no address space has that ASID any more (released without TLBI)`),
      );
    for (const u of users) {
      const leaf = walkTables(w.mem, u.walk, e.ia);
      const where = `${entry}; ${u.what}`;
      if (!leaf) out.push(v('tlb', `${where}: the tables map nothing there`));
      else if (leaf.oa !== e.oa || leaf.sizeShift !== e.sizeShift)
        out.push(v('tlb', `${where}: the tables give ${hex(leaf.oa)} (2^${leaf.sizeShift})`));
      else if (!samePerms(s1PermsOf(leaf), e.s1))
        out.push(v('tlb', `${where}: permissions differ from the leaf ${hex(leaf.desc)}`));
    }
  }
  return out;
}

/** Every cached STE, CD, L1STD and L1CD is what memory holds at its address (CFGI after every change). */
export function checkConfigCache(w: World): Violation[] {
  const out: Violation[] = [];
  for (const e of w.smmu.cfg.entries()) {
    const words: readonly bigint[] = e.kind === 'ste' || e.kind === 'cd' ? e.raw : [e.raw];
    const now = w.mem.readWords(e.pa, words.length);
    if (!now || now.some((x, i) => x !== words[i]))
      out.push(
        v(
          'cfg',
          `cached ${e.kind.toUpperCase()} ${e.kind === 'cd' ? `${e.ssid} of sid ${hex(e.sid)}` : e.kind === 'ste' ? `of sid ${hex(e.sid)}` : `[${e.index}]`} at ${hex(e.pa)} is stale: memory now holds ${now?.map((x) => hex(x)).join(' ')}`,
        ),
      );
  }
  return out;
}

/** Every ATC entry is what a Translation Request for (sid, ssid, page) would return now. */
export function checkAtc(w: World, steOf: SteReader = steReader(w)): Violation[] {
  const out: Violation[] = [];
  for (const e of w.smmu.atc.entries()) {
    const where = `ATC entry sid ${hex(e.sid)} ssid ${e.ssid ?? '-'} IA ${hex(e.ia)} (2^${e.sizeShift}) → ${hex(e.pa)} ${e.read ? 'R' : ''}${e.write ? 'W' : ''}${e.exec ? 'X' : ''}`;
    const ste = steOf(e.sid);
    if (typeof ste === 'string' || ste.view.Config !== 5 || ste.view.EATS === 0) {
      out.push(v('atc', `${where}: the STE no longer allows ATS (ATC not invalidated)`));
      continue;
    }
    const f = freshTranslate(w, e.sid, e.ssid, e.ia, steOf);
    if (f.kind !== 's1') {
      out.push(
        v('atc', `${where}: a fresh translation gives ${f.kind === 'fault' ? f.why : 'bypass'}`),
      );
      continue;
    }
    const shift = Math.max(12, Math.min(f.sizeShift, 21));
    const g = grantS1(f.perms, e.priv, {
      WXN: f.cd.WXN,
      PAN: f.cd.PAN,
      HD: f.cd.HD && f.cd.HA,
      el2: false,
    });
    if (f.pa !== e.pa || shift !== e.sizeShift)
      out.push(v('atc', `${where}: a fresh translation gives ${hex(f.pa)} (2^${f.sizeShift})`));
    else if (g.read !== e.read || g.write !== e.write || g.exec !== e.exec)
      out.push(
        v(
          'atc',
          `${where}: a fresh translation grants ${g.read ? 'R' : ''}${g.write ? 'W' : ''}${g.exec ? 'X' : ''}`,
        ),
      );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// (b) What a device access should give, by the kernel state (not by the SMMU's structures).

export interface DmaExpectation {
  /** The PA the owner's tables give, or undefined when the access must not translate. */
  readonly pa: bigint | undefined;
  /** The tables map the page with permissions that allow the access: it must translate. */
  readonly must: boolean;
  readonly owner: string;
}

function allowsEl0(p: S1Perms, a: Access): boolean {
  const grant = checkS1;
  const f = { WXN: false, PAN: false, HD: false, el2: false };
  if (a === 'x') return grant(p, false, true, false, f).ok && grant(p, false, false, false, f).ok;
  return grant(p, a === 'w', false, false, f).ok;
}

/**
 * The PA a device's access (with or without PASID) should reach, walking the tables of whoever
 * owns that address space in the kernel: the bound process's page tables from its mm pgd (what
 * the CPU walks), a private io-pgtable, the domain's io-pgtable, or nothing.
 */
export function expectDma(
  w: World,
  devName: string,
  pasid: number | undefined,
  addr: bigint,
  access: Access,
): DmaExpectation {
  const k = w.kernel!;
  const none = (owner: string): DmaExpectation => ({ pa: undefined, must: false, owner });
  const dev = k.devices.get(devName);
  const d = dev?.domain ? k.domains.get(dev.domain) : undefined;
  if (!dev || !d) return none('no domain');
  if (d.type === 'identity')
    return pasid === undefined
      ? { pa: addr, must: true, owner: 'identity' }
      : none('identity domain with a PASID');
  if (d.type !== 'dma') return none(`${d.type} domain`);
  let root: bigint;
  let g: GranuleShift;
  let inputSize: number;
  let owner: string;
  if (pasid === undefined) {
    if (!d.pgtable) return none('domain without io-pgtable');
    ({ root, g } = d.pgtable);
    inputSize = d.pgtable.ias;
    owner = `domain ${d.name}`;
  } else {
    const o = k.idr.used.get(pasid);
    if (!o) return none(`PASID ${pasid} unallocated`);
    if (o.kind === 'process') {
      if (d.contexts.get(o.proc)?.pasid !== pasid)
        return none(`${o.proc} not bound into ${d.name}`);
      const p = k.processes.get(o.proc);
      if (!p) return none('process gone');
      root = p.mm.pgd;
      g = k.cpu.granule;
      inputSize = k.cpu.vaBits;
      owner = `${o.proc} (CPU walk)`;
    } else {
      const pr = k.privates.get(`${o.dev}/${o.proc}`);
      if (!pr || !d.devices.includes(o.dev)) return none('private context elsewhere');
      ({ root, g } = pr.pgtable);
      inputSize = pr.pgtable.ias;
      owner = `private ${o.dev}/${o.proc}`;
    }
  }
  const leaf = walkTables(w.mem, { root, g, inputSize, oaBits: 48, had: false }, addr);
  if (!leaf) return none(`${owner}: nothing mapped`);
  return { pa: leaf.oa, must: allowsEl0(s1PermsOf(leaf), access), owner };
}

// ---------------------------------------------------------------------------------------------
// (e) Nothing leaks: with every bond undone, every process gone and every domain mapping
// unmapped, the only frames allocated are the permanent ones, computed from the state.

/** Table pages reachable from an io-pgtable root in memory (root included). */
export function reachableTables(
  mem: PhysMem,
  root: bigint,
  g: GranuleShift,
  inputSize: number,
): bigint[] {
  const out: bigint[] = [];
  const s = g - 3;
  const visit = (table: bigint, level: number): void => {
    out.push(table);
    if (level >= 3) return;
    const lo = g + (3 - level) * s;
    const bits = level === startLevel(g, inputSize) ? inputSize - lo : s;
    for (let i = 0; i < 2 ** bits; i++) {
      const d = mem.read64(table + BigInt(i * 8)) ?? 0n;
      if ((d & 3n) === 3n) visit(d & ((1n << 48n) - 1n) & ~((1n << BigInt(g)) - 1n), level + 1);
    }
  };
  visit(root, startLevel(g, inputSize));
  return out;
}

export function checkQuiescent(w: World): Violation[] {
  const k = w.kernel;
  if (!k) return [];
  const out: Violation[] = [];
  if (k.idr.used.size > 0)
    out.push(v('leak', `PASIDs still in the IDR: ${[...k.idr.used.keys()].join(', ')}`));
  if (k.iommuProcesses.size > 0)
    out.push(
      v(
        'leak',
        `iommu_process still alive: ${[...k.iommuProcesses.values()].map((p) => p.proc).join(', ')}`,
      ),
    );
  if (k.privates.size > 0)
    out.push(v('leak', `private contexts left: ${[...k.privates.keys()].join(', ')}`));
  for (const d of k.domains.values())
    if (d.contexts.size > 0)
      out.push(v('leak', `${d.name} still has contexts: ${[...d.contexts.keys()].join(', ')}`));
  const permanent = new Map<bigint, string>();
  const add = (pa: bigint, what: string): void => void permanent.set(pa, what);
  const dr = k.driver;
  add(dr.strtab.base, 'stream table');
  for (const l2 of dr.strtab.l2.values()) add(l2, 'stream table L2');
  add(dr.cmdq.base, 'cmdq');
  add(dr.evtq.base, 'evtq');
  add(dr.priq.base, 'priq');
  add(k.zeroPage, 'zero page');
  for (const d of k.domains.values()) {
    for (const b of d.cdtable?.blocks ?? []) add(b, `${d.name} CD table`);
    if (d.pgtable) {
      const live = reachableTables(w.mem, d.pgtable.root, d.pgtable.g, d.pgtable.ias);
      for (const t of live) add(t, `${d.name} io-pgtable`);
      const listed = new Set(d.pgtable.tables);
      for (const t of live)
        if (!listed.has(t))
          out.push(v('state', `${d.name}: table ${hex(t)} reachable but not listed`));
      for (const t of listed)
        if (!live.includes(t))
          out.push(v('leak', `${d.name}: table ${hex(t)} listed but unreachable`));
      if (d.pgtable.leaves.size > 0)
        out.push(v('leak', `${d.name}: ${d.pgtable.leaves.size} leaves still mapped`));
      if (d.pgtable.buffers.size > 0) out.push(v('leak', `${d.name}: DMA buffers still held`));
    }
  }
  for (const [pa, b] of k.frames.used)
    if (!permanent.has(pa))
      out.push(v('leak', `frame ${hex(pa)} (${b.use}: ${b.label}) is still allocated`));
  for (const [pa, what] of permanent)
    if (!k.frames.used.has(pa))
      out.push(v('state', `${what} at ${hex(pa)} is not allocated (freed while in use)`));
  return out;
}

/** Alignment masks of frame blocks of order 0 (4 KB) to 18 (1 GB). */
const BLOCK_MASKS: readonly bigint[] = Array.from(
  { length: 19 },
  (_, order) => ~((0x1000n << BigInt(order)) - 1n),
);

/** Kernel bookkeeping agrees with memory: present user pages and io-pgtable leaves are live frames. */
export function checkFrames(w: World, walks = true): Violation[] {
  const k = w.kernel;
  if (!k) return [];
  const out: Violation[] = [];
  // Blocks are aligned to their size: the block holding `pa` starts at pa aligned to its order.
  const live = (pa: bigint): boolean => {
    for (let order = 0; order < BLOCK_MASKS.length; order++) {
      const b = k.frames.used.get(pa & BLOCK_MASKS[order]!);
      if (b && b.order >= order && pa < b.pa + (0x1000n << BigInt(b.order)))
        return b.use === 'user' || b.use === 'dma-buffer' || b.use === 'zero-page';
    }
    return false;
  };
  for (const p of k.processes.values()) {
    for (const [va, page] of p.mm.pages) {
      if (!live(page.pa))
        out.push(v('state', `${p.name}: page ${hex(va)} → ${hex(page.pa)}, a free frame`));
      if (!walks) continue;
      const leaf = walkTables(
        w.mem,
        { root: p.mm.pgd, g: k.cpu.granule, inputSize: k.cpu.vaBits, oaBits: 48, had: false },
        va,
      );
      const vma = p.mm.vmas.find((x) => va >= x.start && va < x.end);
      const none = vma && !vma.prot.r && !vma.prot.w && !vma.prot.x;
      if (!none && leaf?.oa !== page.pa)
        out.push(
          v(
            'state',
            `${p.name}: page ${hex(va)} should map ${hex(page.pa)}, the PTE gives ${leaf ? hex(leaf.oa) : 'nothing'}`,
          ),
        );
    }
    for (const [va, pin] of p.mm.pins)
      if (!pin.zero && !live(pin.pa))
        out.push(v('state', `${p.name}: pinned page ${hex(va)} → ${hex(pin.pa)} was freed`));
  }
  const pts = [
    ...[...k.domains.values()].flatMap((d) => (d.pgtable ? [[d.name, d.pgtable] as const] : [])),
    ...[...k.privates.values()].map((p) => [`${p.dev}/${p.proc}`, p.pgtable] as const),
  ];
  for (const [name, pt] of pts)
    for (const [iova, l] of pt.leaves) {
      if (!live(l.pa))
        out.push(v('state', `${name}: IOVA ${hex(iova)} → ${hex(l.pa)}, a free frame`));
      if (!walks) continue;
      const leaf = walkTables(
        w.mem,
        { root: pt.root, g: pt.g, inputSize: pt.ias, oaBits: 48, had: false },
        iova,
      );
      if (leaf?.oa !== l.pa)
        out.push(
          v(
            'state',
            `${name}: IOVA ${hex(iova)} should map ${hex(l.pa)}, the table gives ${leaf ? hex(leaf.oa) : 'nothing'}`,
          ),
        );
    }
  return out;
}

/**
 * (a) + (c) + bookkeeping: what must hold after every completed op of a kernel-level scenario.
 * `cds` may be given when the caller knows the CD tables are unchanged since it scanned them;
 * `walks: false` skips re-walking every present page and leaf the kernel records (the costly
 * part of checkFrames).
 */
export function checkWorld(
  w: World,
  opts: { cds?: readonly ReachableCd[]; walks?: boolean } = {},
): Violation[] {
  const steOf = steReader(w);
  const live = opts.cds ?? reachableCds(w, steOf);
  return [
    ...checkStructures(w, steOf, live),
    ...checkConfigCache(w),
    ...checkTlb(w, live),
    ...checkAtc(w, steOf),
    ...checkFrames(w, opts.walks ?? true),
  ];
}
