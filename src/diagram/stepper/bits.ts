// The input address of a walk step split into the bit fields that index each level, from the
// trace alone (smmuv3.md §4.1): level L of a granule 2^g (stride s = g − 3) is indexed by
// VA[g + (3−L)·s + s − 1 : g + (3−L)·s], the start level by the top bits up to inputsize − 1,
// and the page offset is [g−1:0]. StreamIDs and SubstreamIDs split the same way between the
// level-1 descriptor and the STE or CD. Pure: no React.
import { stepInput, stepStructure, type IndexBits, type TtStep } from '../../engine/index.ts';
import type { FlowStep } from '../flow.ts';
import { ID_STRUCT_NAME } from './decode.ts';

export interface BitField {
  /** Test id suffix and short label: L0…L3, offset, upper, L1STD, STE, L1CD, CD. */
  readonly name: string;
  readonly hi: number;
  readonly lo: number;
  /** The field's value (the table index for a level). */
  readonly value: bigint;
  readonly role: 'level' | 'offset' | 'upper' | 'index';
  readonly level?: number;
}

export interface AddressSplit {
  readonly input: IndexBits['name'];
  readonly value: bigint;
  /** Highest bit first. */
  readonly fields: readonly BitField[];
  /** The field this step indexes with. */
  readonly current: string;
  /** Granule shift (12, 14, 16) for VA/IPA splits. */
  readonly granule?: number;
  /** What the bits above the input size are, for VA/IPA. */
  readonly upperNote?: string;
}

const bitsOf = (v: bigint, hi: number, lo: number): bigint =>
  (v >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);

/**
 * The fields of a walk that starts at `start` with `top` its highest input bit (inputsize − 1;
 * with concatenated start tables the start level indexes more than s bits), granule 2^g.
 */
export function levelFields(
  g: number,
  top: number,
  start: number,
): { name: string; hi: number; lo: number; level?: number }[] {
  const s = g - 3;
  const out: { name: string; hi: number; lo: number; level?: number }[] = [];
  for (let level = start; level <= 3; level++) {
    const lo = g + (3 - level) * s;
    out.push({ name: `L${level}`, hi: level === start ? top : lo + s - 1, lo, level });
  }
  out.push({ name: 'offset', hi: g - 1, lo: 0 });
  return out;
}

/** The granule shift of a walk from one level's index position: lo = g + (3 − L)(g − 3). */
export function granuleOf(level: number, lo: number): number {
  return (lo + 3 * (3 - level)) / (4 - level);
}

/** Splits `value` into `fields` (bits above `top` become an `upper` field when `width` > top+1). */
export function splitValue(
  value: bigint,
  fields: readonly { name: string; hi: number; lo: number; level?: number }[],
  width: number,
  role: BitField['role'] = 'level',
): BitField[] {
  const top = Math.max(...fields.map((f) => f.hi));
  const out: BitField[] = [];
  if (width > top + 1)
    out.push({
      name: 'upper',
      hi: width - 1,
      lo: top + 1,
      value: bitsOf(value, width - 1, top + 1),
      role: 'upper',
    });
  for (const f of fields)
    out.push({
      name: f.name,
      hi: f.hi,
      lo: f.lo,
      value: bitsOf(value, f.hi, f.lo),
      role: f.name === 'offset' ? 'offset' : role,
      ...(f.level !== undefined ? { level: f.level } : {}),
    });
  return out;
}

const sameWalk = (a: TtStep, b: TtStep): boolean =>
  a.input.name === b.input.name && a.input.value === b.input.value;

/** The first step of the walk (same stage, nesting and input address) that step `cur` is. */
function walkStart(steps: readonly FlowStep[], i: number, cur: TtStep): TtStep {
  let first = cur;
  for (let j = i - 1; j >= 0; j--) {
    const s = steps[j]!;
    if (s.attempt !== steps[i]!.attempt || s.lane === 'device') break;
    const t = s.trace;
    if (!t || t.kind !== 'tt' || t.stage !== cur.stage || t.nested !== cur.nested) continue;
    if (!sameWalk(t, cur) || t.level >= first.level) break;
    first = t;
  }
  return first;
}

/** The split of the address (or ID) that step `i` of a flow indexes with, if it indexes. */
export function addressSplit(steps: readonly FlowStep[], i: number): AddressSplit | undefined {
  const t = steps[i]?.trace;
  const input = t && stepInput(t);
  if (!t || !input) return undefined;
  if (t.kind === 'tt' && (input.name === 'VA' || input.name === 'IPA')) {
    const level = t.level;
    const g = granuleOf(level, input.lo);
    if (![12, 14, 16].includes(g)) return undefined;
    const first = walkStart(steps, i, t);
    const start = first.level;
    const top = first.input.hi;
    const fields = splitValue(input.value, levelFields(g, top, start), 64);
    const upperNote =
      input.name === 'IPA'
        ? `IPA[63:${top + 1}] above the stage-2 input size: must be 0`
        : `VA[63:${top + 1}] above the input size (64 − TxSZ): all 0 for TTB0, all 1 for TTB1 (TBI may ignore [63:56])`;
    return {
      input: input.name,
      value: input.value,
      fields,
      current: `L${level}`,
      granule: g,
      upperNote,
    };
  }
  // StreamID / SubstreamID: the level-1 index and the STE/CD index, from this attempt's steps.
  const kind = stepStructure(t);
  const name = kind && ID_STRUCT_NAME[kind];
  if (!name) return undefined;
  const parts = new Map<string, { name: string; hi: number; lo: number }>();
  parts.set(name, { name, hi: input.hi, lo: input.lo });
  for (const s of steps) {
    const o = s.trace && stepInput(s.trace);
    if (s.attempt !== steps[i]!.attempt || !o || o.name !== input.name) continue;
    const k = stepStructure(s.trace);
    const n = k && ID_STRUCT_NAME[k];
    if (n && o.value === input.value) parts.set(n, { name: n, hi: o.hi, lo: o.lo });
  }
  const fields = [...parts.values()].sort((a, b) => b.hi - a.hi);
  return {
    input: input.name,
    value: input.value,
    fields: fields.map((f) => ({
      ...f,
      value: bitsOf(input.value, f.hi, f.lo),
      role: 'index' as const,
    })),
    current: name,
  };
}

/** `0b0111_1111_0` style: the field's bits, most significant first, grouped by 4 from the right. */
export function binary(value: bigint, width: number): string {
  const s = value.toString(2).padStart(width, '0');
  const groups: string[] = [];
  for (let end = s.length; end > 0; end -= 4) groups.unshift(s.slice(Math.max(0, end - 4), end));
  return groups.join('_');
}
