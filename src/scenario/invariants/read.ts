// Reading the structures the SMMU reads, from memory (STRTAB_BASE → STE → CD table → CD →
// translation tables), and a cache-free reference translation.
import {
  alignStartTable,
  CD_BYTES,
  CD_DWORDS,
  hex,
  paSizeBits,
  s1PermsOf,
  startLevel,
  STE_BYTES,
  STE_DWORDS,
  tg0Granule,
  viewCd,
  viewSte,
  walk,
  type CdView,
  type GranuleShift,
  type Leaf,
  type PhysMem,
  type S1Perms,
  type SteView,
} from '../../engine/index.ts';
import type { World } from '../world.ts';

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

export const leafBitsOf = (ste: SteView): number => (ste.S1Fmt === 1 ? 6 : 10);
export const fmtOf = (ste: SteView): number => (ste.S1Fmt === 3 ? 0 : ste.S1Fmt);

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
    g: tg0Granule(cd.TG0),
    inputSize: 64 - cd.T0SZ,
    oaBits: Math.min(paSizeBits(cd.IPS), w.smmu.platform.oas),
    had: cd.HAD0 && w.smmu.platform.had, // IGNORED without SMMU_IDR3.HAD (§5.4)
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
