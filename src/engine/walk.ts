// The VMSAv8-64 table walk, one descriptor read per level (Arm ARM D8.3–D8.4; QEMU
// smmu-common.c smmu_ptw_64_s1/_s2; Linux io-pgtable-arm.c __arm_lpae_iova_to_phys).
// Stage 1 and stage 2 share the loop; they differ in the leaf's permission fields only.
import {
  AP_TABLE_NO_EL0,
  AP_TABLE_RDONLY,
  DESC_TABLE_OR_PAGE,
  DESC_VALID,
  PXN_TABLE,
  UXN_TABLE,
} from './descriptor.ts';
import { blockAllowed, levelShift, type GranuleShift, granuleName } from './granule.ts';
import type { Trace } from './trace.ts';
import { hex } from './bits.ts';
import type { PhysMem } from './memory.ts';
import { fastWalk } from './walkFast.ts';

export interface WalkParams {
  readonly stage: 1 | 2;
  readonly g: GranuleShift;
  readonly inputSize: number;
  readonly startLevel: number;
  /** Base of the start-level table, already aligned. */
  readonly ttb: bigint;
  /** Effective output size: min(CD.IPS, OAS) or min(S2PS, OAS). */
  readonly oaBits: number;
  /** Hierarchical attributes disabled (CD.HADx); stage 2 has none. */
  readonly had: boolean;
  /** Name of the input address in trace steps. */
  readonly inputName: 'VA' | 'IPA';
  /** When set, stage-2 steps serve this stage-1 purpose (nested walks). */
  readonly nested?: 'CD' | 'TT' | 'IN' | undefined;
}

export type WalkFaultKind =
  'F_TRANSLATION' | 'F_ADDR_SIZE' | 'F_ACCESS' | 'F_PERMISSION' | 'F_WALK_EABT';

/** A fault found while translating; the translate layer turns it into an event. */
export interface StageFault {
  readonly kind: WalkFaultKind;
  readonly stage: 1 | 2;
  readonly level?: number;
  /** CLASS of the event: CD fetch, stage-1 table walk, or the input address. */
  readonly class: 'CD' | 'TT' | 'IN';
  /** Stage-2 faults: the IPA that stage 2 could not translate. */
  readonly ipa?: bigint;
  /** F_WALK_EABT: the address that aborted. */
  readonly fetchAddr?: bigint;
  /** F_PERMISSION with CLASS=TT: 1 = descriptor read, 0 = write (HTTU). */
  readonly ttrnw?: boolean;
  readonly why: string;
}

export interface Leaf {
  readonly level: number;
  readonly desc: bigint;
  /** Address of the leaf descriptor in the walk's address space (an IPA when nested). */
  readonly descAddr: bigint;
  /** Physical address of the leaf descriptor. */
  readonly descPa: bigint;
  readonly sizeShift: number;
  /** Output address for the input address (block/page base | offset). */
  readonly oa: bigint;
  /** Table limits accumulated on the way (stage 1): APTable bits, PXNTable, UXNTable. */
  readonly apTable: number;
  readonly pxnTable: boolean;
  readonly uxnTable: boolean;
}

export type Fetched = { ok: true; value: bigint; pa: bigint } | { ok: false; fault: StageFault };

/** Reads the descriptor at `addr` (a PA, or an IPA that the callback translates first). */
export type Fetch = (addr: bigint, level: number) => Fetched;

export type WalkResult = { ok: true; leaf: Leaf } | { ok: false; fault: StageFault };

const sizeName = (shift: number): string =>
  shift >= 30
    ? `${2 ** (shift - 30)} GB`
    : shift >= 20
      ? `${2 ** (shift - 20)} MB`
      : `${2 ** (shift - 10)} KB`;

// Hot-path constants, bound once (module-local reads are cheaper than imported bindings).
const VALID = Number(DESC_VALID);
const TABLE_OR_PAGE = Number(DESC_TABLE_OR_PAGE);
const TYPE_BITS = DESC_VALID | DESC_TABLE_OR_PAGE;
const PXN_T = PXN_TABLE;
const UXN_T = UXN_TABLE;
const LIMITS = AP_TABLE_NO_EL0 | AP_TABLE_RDONLY | PXN_TABLE | UXN_TABLE;
/** MASK[w] = w ones; BIG[i] = BigInt(i): no BigInt arithmetic to build masks per level. */
const MASK: readonly bigint[] = Array.from({ length: 65 }, (_, w) => (1n << BigInt(w)) - 1n);
const BIG: readonly bigint[] = Array.from({ length: 65 }, (_, i) => BigInt(i));
const MASK8: readonly bigint[] = MASK.map((m) => m << 3n);

function walkFault(
  p: WalkParams,
  ia: bigint,
  kind: WalkFaultKind,
  level: number,
  why: string,
): WalkResult {
  return {
    ok: false,
    fault: {
      kind,
      stage: p.stage,
      level,
      class: p.stage === 1 ? 'IN' : (p.nested ?? 'IN'),
      ...(p.stage === 2 ? { ipa: ia } : {}),
      why,
    },
  };
}

/** One descriptor read in the trace (only called when a trace is recorded). */
function pushStep(
  trace: Trace,
  p: WalkParams,
  ia: bigint,
  level: number,
  pa: bigint,
  descAddr: bigint,
  d: bigint,
  bits: { hi: number; lo: number; index: number },
  note: string,
): void {
  trace.push({
    kind: 'tt',
    stage: p.stage,
    level,
    pa,
    ...(pa !== descAddr ? { ipa: descAddr } : {}),
    value: [d],
    input: { name: p.inputName, value: ia, hi: bits.hi, lo: bits.lo, index: bits.index },
    ...(p.nested ? { nested: p.nested } : {}),
    note,
  });
}

/**
 * Walks the tables for `ia`. `direct`: `fetch` reads this memory at the descriptor's address
 * (no stage 2 in between), which lets a walk without trace take the fast path.
 * `path`, when given, receives the PA and value of every descriptor read, in walk order (the
 * leaf last): what a TLB entry filled from this walk is built from (stale.ts).
 */
export function walk(
  p: WalkParams,
  ia: bigint,
  fetch: Fetch,
  trace: Trace | null,
  direct?: PhysMem,
  path: bigint[] | null = null,
): WalkResult {
  if (!trace && direct) {
    const r = fastWalk(p, ia, direct, path);
    if (r) return r;
  }
  const g = p.g;
  const s = g - 3; // stride
  const tableMask = MASK[48]! & ~MASK[g]!; // next-level table address bits [47:g]
  const oaLimit = 1n << BIG[p.oaBits]!;
  let table = p.ttb;
  let apTable = 0;
  let pxnTable = false;
  let uxnTable = false;
  for (let level = p.startLevel; level <= 3; level++) {
    // The start level resolves every remaining input bit: up to s+4 of them at stage 2, where
    // up to 16 tables may be concatenated (§3.4 / Arm ARM D8.2.5). Other levels: s bits.
    const lo = g + (3 - level) * s;
    const hi = level === p.startLevel ? p.inputSize - 1 : Math.min(lo + s - 1, p.inputSize - 1);
    // Descriptor offset = index × 8, taken straight from the address bits.
    const offset = (ia >> BIG[lo - 3]!) & MASK8[hi - lo + 1]!;
    const descAddr = table + offset;
    const index = Number(offset) / 8;
    const r = fetch(descAddr, level);
    if (!r.ok) return { ok: false, fault: r.fault };
    const d = r.value;
    path?.push(r.pa, d);
    // Called as step?.(…): with no trace, the note is never even built.
    const step = trace
      ? (note: string): void =>
          pushStep(trace, p, ia, level, r.pa, descAddr, d, { hi, lo, index }, note)
      : undefined;
    const type = Number(d & TYPE_BITS); // bits[1:0]: valid, table-or-page
    if ((type & VALID) === 0) {
      step?.(`L${level}[${index}] is invalid (bit 0 = 0): translation fault`);
      return walkFault(p, ia, 'F_TRANSLATION', level, `invalid descriptor at level ${level}`);
    }
    const isTableOrPage = (type & TABLE_OR_PAGE) !== 0;
    if (level < 3 && isTableOrPage) {
      const next = d & tableMask;
      if (next >= oaLimit) {
        step?.(
          `table descriptor points at ${hex(next)}, beyond the ${p.oaBits}-bit output size: address size fault`,
        );
        return walkFault(
          p,
          ia,
          'F_ADDR_SIZE',
          level,
          `next-level table address ${hex(next)} exceeds ${p.oaBits} bits`,
        );
      }
      if (p.stage === 1 && !p.had && (d & LIMITS) !== 0n) {
        apTable |= Number((d >> 61n) & 3n);
        pxnTable ||= (d & PXN_T) !== 0n;
        uxnTable ||= (d & UXN_T) !== 0n;
      }
      step?.(
        `valid table descriptor: next level L${level + 1} table at ${hex(next)}${p.stage === 1 && (d & LIMITS) !== 0n ? ' (with table limits on the levels below)' : ''}`,
      );
      table = next;
      continue;
    }
    if (level === 3 && !isTableOrPage) {
      step?.(`bits[1:0] = 0b01 at level 3 is reserved: translation fault`);
      return walkFault(p, ia, 'F_TRANSLATION', level, 'reserved descriptor type at level 3');
    }
    if (level < 3 && !blockAllowed(g, level)) {
      step?.(
        `block descriptor at L${level} is not allowed with the ${granuleName(g)} granule: translation fault`,
      );
      return walkFault(p, ia, 'F_TRANSLATION', level, `block not allowed at level ${level}`);
    }
    const shift = lo; // blockShift(g, level) = levelShift(g, level)
    const base = d & tableMask & ~MASK[shift]!;
    if (base >= oaLimit) {
      step?.(
        `output address ${hex(base)} is beyond the ${p.oaBits}-bit output size: address size fault`,
      );
      return walkFault(
        p,
        ia,
        'F_ADDR_SIZE',
        level,
        `output address ${hex(base)} exceeds ${p.oaBits} bits`,
      );
    }
    const oa = base | (ia & MASK[shift]!);
    step?.(
      level === 3
        ? `valid page descriptor: ${sizeName(shift)} page at ${hex(base)}, output ${hex(oa)}`
        : `valid block descriptor: ${sizeName(shift)} block at ${hex(base)}, output ${hex(oa)}`,
    );
    return {
      ok: true,
      leaf: {
        level,
        desc: d,
        descAddr,
        descPa: r.pa,
        sizeShift: shift,
        oa,
        apTable,
        pxnTable,
        uxnTable,
      },
    };
  }
  // Unreachable: level 3 always returns. Kept for the type checker.
  return walkFault(p, ia, 'F_TRANSLATION', 3, 'walk did not end');
}

/** Alignment of the start-level table: its size (entries × 8 bytes), at least 64 bytes (§4.1). */
export function alignStartTable(
  ttb: bigint,
  g: GranuleShift,
  startLevel: number,
  inputSize: number,
): bigint {
  const lo = levelShift(g, startLevel);
  const bytes = 8n << BigInt(inputSize - lo);
  const align = bytes < 64n ? 64n : bytes;
  return ttb & ~(align - 1n);
}

export { sizeName };
