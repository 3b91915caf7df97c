// The VMSAv8-64 table walk, one descriptor read per level (Arm ARM D8.3–D8.4; QEMU
// smmu-common.c smmu_ptw_64_s1/_s2; Linux io-pgtable-arm.c __arm_lpae_iova_to_phys).
// Stage 1 and stage 2 share the loop; they differ in the leaf's permission fields only.
import { ones } from './bits.ts';
import {
  AP_TABLE_NO_EL0,
  AP_TABLE_RDONLY,
  DESC_TABLE_OR_PAGE,
  DESC_VALID,
  PXN_TABLE,
  UXN_TABLE,
} from './descriptor.ts';
import {
  blockAllowed,
  blockShift,
  levelBits,
  levelShift,
  type GranuleShift,
  granuleName,
} from './granule.ts';
import type { Trace } from './trace.ts';
import { hex } from './bits.ts';

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

export function walk(p: WalkParams, ia: bigint, fetch: Fetch, trace: Trace | null): WalkResult {
  const tableMask = ones(48) & ~ones(p.g); // next-level table address bits [47:g]
  const oaLimit = 1n << BigInt(p.oaBits);
  const cls = p.stage === 1 ? 'TT' : (p.nested ?? 'IN');
  const fault = (kind: WalkFaultKind, level: number, why: string): WalkResult => ({
    ok: false,
    fault: {
      kind,
      stage: p.stage,
      level,
      class: p.stage === 1 ? 'IN' : cls,
      ...(p.stage === 2 ? { ipa: ia } : {}),
      why,
    },
  });
  let table = p.ttb;
  let apTable = 0;
  let pxnTable = false;
  let uxnTable = false;
  for (let level = p.startLevel; level <= 3; level++) {
    // The start level resolves every remaining input bit: up to s+4 of them at stage 2, where
    // up to 16 tables may be concatenated (§3.4 / Arm ARM D8.2.5).
    const [hiNat, lo] = levelBits(p.g, level, p.inputSize);
    const hi = level === p.startLevel ? p.inputSize - 1 : hiNat;
    const index = Number((ia >> BigInt(lo)) & ones(hi - lo + 1));
    const descAddr = table + BigInt(index * 8);
    const r = fetch(descAddr, level);
    if (!r.ok) return { ok: false, fault: r.fault };
    const d = r.value;
    const step = (note: string): void => {
      trace?.push({
        kind: 'tt',
        stage: p.stage,
        level,
        pa: r.pa,
        ...(r.pa !== descAddr ? { ipa: descAddr } : {}),
        value: [d],
        input: { name: p.inputName, value: ia, hi, lo, index },
        ...(p.nested ? { nested: p.nested } : {}),
        note,
      });
    };
    if ((d & DESC_VALID) === 0n) {
      step(`L${level}[${index}] is invalid (bit 0 = 0): translation fault`);
      return fault('F_TRANSLATION', level, `invalid descriptor at level ${level}`);
    }
    const isTableOrPage = (d & DESC_TABLE_OR_PAGE) !== 0n;
    if (level < 3 && isTableOrPage) {
      const next = d & tableMask;
      if (next >= oaLimit) {
        step(
          `table descriptor points at ${hex(next)}, beyond the ${p.oaBits}-bit output size: address size fault`,
        );
        return fault(
          'F_ADDR_SIZE',
          level,
          `next-level table address ${hex(next)} exceeds ${p.oaBits} bits`,
        );
      }
      if (p.stage === 1 && !p.had) {
        apTable |= Number((d >> 61n) & 3n);
        pxnTable ||= (d & PXN_TABLE) !== 0n;
        uxnTable ||= (d & UXN_TABLE) !== 0n;
      }
      const limits =
        p.stage === 1 && (d & (AP_TABLE_NO_EL0 | AP_TABLE_RDONLY | PXN_TABLE | UXN_TABLE)) !== 0n
          ? ' (with table limits on the levels below)'
          : '';
      step(`valid table descriptor: next level L${level + 1} table at ${hex(next)}${limits}`);
      table = next;
      continue;
    }
    if (level === 3 && !isTableOrPage) {
      step(`bits[1:0] = 0b01 at level 3 is reserved: translation fault`);
      return fault('F_TRANSLATION', level, 'reserved descriptor type at level 3');
    }
    if (level < 3 && !blockAllowed(p.g, level)) {
      step(
        `block descriptor at L${level} is not allowed with the ${granuleName(p.g)} granule: translation fault`,
      );
      return fault('F_TRANSLATION', level, `block not allowed at level ${level}`);
    }
    const shift = blockShift(p.g, level);
    const base = d & tableMask & ~ones(shift);
    if (base >= oaLimit) {
      step(
        `output address ${hex(base)} is beyond the ${p.oaBits}-bit output size: address size fault`,
      );
      return fault('F_ADDR_SIZE', level, `output address ${hex(base)} exceeds ${p.oaBits} bits`);
    }
    const oa = base | (ia & ones(shift));
    step(
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
  return fault('F_TRANSLATION', 3, 'walk did not end');
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
