// The fields an event record defines, by their spec names, with where they sit in the four
// dwords (SPEC §7.3; engine EVTQ and eventParts): the importer's "raw dwords with the bits of each
// field" view, and the words that name what a truncated dump is missing.
import { EVTQ, eventParts, getField, type EventPart, type Field } from '../engine/index.ts';

export type EvtqField = keyof typeof EVTQ;

export interface FieldView {
  /** The spec's field name (EventID, StreamID, SSV, SubstreamID, STAG, …). */
  readonly name: EvtqField;
  readonly dw: number;
  readonly hi: number;
  readonly lo: number;
  /** Bits of the 256-bit record (dw0 is bits 63:0), as the spec's figures number them. */
  readonly recordHi: number;
  readonly recordLo: number;
  readonly value: bigint;
  /** Its dword is not in the log (a truncated dump). */
  readonly missing: boolean;
}

const PART_FIELDS: Readonly<Record<EventPart, readonly EvtqField[]>> = {
  ssv: ['SSV', 'SubstreamID'],
  ssid: ['SubstreamID'],
  stall: ['Stall', 'STAG'],
  rnw: ['RnW'],
  access: ['PnU', 'InD', 'RnW'],
  s2: ['S2'],
  class: ['CLASS'],
  ttrnw: ['TTRnW'],
  addr: ['InputAddr'],
  page: ['InputAddr'],
  ipa: ['IPA'],
  fetch: ['FetchAddr'],
  reason: ['Reason'],
};

/** The fields record type `id` defines, in dword and bit order (EventID and StreamID always). */
export function definedFields(id: number): EvtqField[] {
  const names = new Set<EvtqField>(['EventID', 'StreamID']);
  for (const p of eventParts(id)) for (const n of PART_FIELDS[p]) names.add(n);
  const fd = (n: EvtqField): Field => EVTQ[n];
  return [...names].sort((a, b) => fd(a).dw - fd(b).dw || fd(a).lo - fd(b).lo);
}

export function fieldViews(
  id: number,
  raw: readonly bigint[],
  missing: readonly number[] = [],
): FieldView[] {
  return definedFields(id).map((name) => {
    const fd = EVTQ[name];
    return {
      name,
      dw: fd.dw,
      hi: fd.hi,
      lo: fd.lo,
      recordHi: fd.dw * 64 + fd.hi,
      recordLo: fd.dw * 64 + fd.lo,
      value: getField(raw, fd),
      missing: missing.includes(fd.dw),
    };
  });
}

/** "the record is missing dw2, dw3 (InputAddr, IPA)": what a dump without these dwords lacks. */
export function missingFields(id: number, missing: readonly number[]): string {
  if (missing.length === 0) return 'the record is complete';
  const dws = missing.map((k) => `dw${k}`).join(', ');
  const names = definedFields(id).filter((n) => missing.includes(EVTQ[n].dw));
  return names.length
    ? `the record is missing ${dws} (${names.join(', ')})`
    : `the record is missing ${dws} (this event defines no fields there)`;
}

/**
 * Bits set in the record outside every field its type defines (RES0, or fields of other event
 * types, like TTRnW in an F_TRANSLATION): `dw1[44]`. Hardware may leave them set; they mean
 * nothing for this event.
 */
export function strayBits(id: number, raw: readonly bigint[]): string[] {
  const mask = [0n, 0n, 0n, 0n];
  for (const n of definedFields(id)) {
    const fd = EVTQ[n];
    mask[fd.dw] = (mask[fd.dw] ?? 0n) | (((1n << BigInt(fd.hi - fd.lo + 1)) - 1n) << BigInt(fd.lo));
  }
  const out: string[] = [];
  raw.forEach((w, dw) => {
    const stray = w & ~(mask[dw] ?? 0n);
    for (let b = 63; b >= 0 && out.length < 16; b--)
      if ((stray >> BigInt(b)) & 1n) out.push(`dw${dw}[${b}]`);
  });
  return out;
}
