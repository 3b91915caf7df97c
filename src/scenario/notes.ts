// Notes and tours: what a teacher or a reader adds to a scenario. A note is text attached to a
// moment (op, step) and, optionally, to one thing on the page; a tour is an ordered list of stops,
// each a moment, what the page focuses there and a short text. They ride in the document and in
// share links (docs/scenario-format.md "Notes and tours") and never change what the ops do.
//
// Everything here comes from untrusted links: the text is plain text (ui renders it as text
// nodes, with the small markup of ui/learn/markup.ts), and the limits below keep one link from
// flooding the page — at most MAX_NOTES + MAX_TOURS × MAX_STOPS texts of MAX_TEXT characters.
import { parseU64, type RegName, type StructureKind } from '../engine/index.ts';

export const MAX_NOTES = 100;
export const MAX_TOURS = 8;
export const MAX_STOPS = 40;
/** Characters of one note's or one stop's text. */
export const MAX_TEXT = 800;
/** Characters of a tour's title. */
export const MAX_TOUR_TITLE = 120;

/** Structures a target may name by physical address (the queues' slots are not notes' business). */
export const TARGET_STRUCTS = [
  'ste',
  'cd',
  'l1std',
  'l1cd',
  's1-table',
  's1-leaf',
  's2-table',
  's2-leaf',
] as const satisfies readonly StructureKind[];
export type TargetStruct = (typeof TARGET_STRUCTS)[number];

/**
 * What a note is about or a stop focuses, as the document spells it: a device (its stream), one
 * PASID row of a device's CD table, a process, a domain, an op (the chain it touched), a structure
 * in memory, or a register. Names are not checked against the ops: a target that does not exist
 * at its moment is shown as gone, as a selection that no longer exists is.
 */
export type TargetDoc =
  | { device: string; pasid?: number }
  | { process: string }
  | { domain: string }
  | { op: number }
  | { struct: TargetStruct; pa: string; level?: number; stage?: 1 | 2 }
  | { reg: RegName };

/** The same, parsed: addresses as bigints, and a kind to switch on. */
export type Target =
  | { readonly kind: 'device'; readonly device: string; readonly pasid?: number }
  | { readonly kind: 'process'; readonly process: string }
  | { readonly kind: 'domain'; readonly domain: string }
  | { readonly kind: 'op'; readonly op: number }
  | {
      readonly kind: 'struct';
      readonly struct: TargetStruct;
      readonly pa: bigint;
      readonly level?: number;
      readonly stage?: 1 | 2;
    }
  | { readonly kind: 'reg'; readonly reg: RegName };

export interface Moment {
  readonly op: number;
  readonly step: number;
}

export interface NoteDoc {
  at: { op: number; step: number };
  on?: TargetDoc;
  text: string;
}
export interface StopDoc {
  at: { op: number; step: number };
  focus?: TargetDoc;
  text: string;
}
export interface TourDoc {
  title: string;
  stops: StopDoc[];
}

export interface Note {
  readonly at: Moment;
  readonly on?: Target;
  readonly text: string;
}
export interface Stop {
  readonly at: Moment;
  readonly focus?: Target;
  readonly text: string;
}
export interface Tour {
  readonly title: string;
  readonly stops: readonly Stop[];
}

export function parseTarget(t: TargetDoc): Target {
  if ('device' in t)
    return {
      kind: 'device',
      device: t.device,
      ...(t.pasid !== undefined ? { pasid: t.pasid } : {}),
    };
  if ('process' in t) return { kind: 'process', process: t.process };
  if ('domain' in t) return { kind: 'domain', domain: t.domain };
  if ('op' in t) return { kind: 'op', op: t.op };
  if ('reg' in t) return { kind: 'reg', reg: t.reg };
  return {
    kind: 'struct',
    struct: t.struct,
    pa: parseU64(t.pa)!,
    ...(t.level !== undefined ? { level: t.level } : {}),
    ...(t.stage !== undefined ? { stage: t.stage } : {}),
  };
}

/** Back to the document's spelling (addresses as "0x…"): what the page writes when a user adds one. */
export function targetDoc(t: Target): TargetDoc {
  switch (t.kind) {
    case 'device':
      return t.pasid !== undefined ? { device: t.device, pasid: t.pasid } : { device: t.device };
    case 'process':
      return { process: t.process };
    case 'domain':
      return { domain: t.domain };
    case 'op':
      return { op: t.op };
    case 'reg':
      return { reg: t.reg };
    case 'struct':
      return {
        struct: t.struct,
        pa: `0x${t.pa.toString(16)}`,
        ...(t.level !== undefined ? { level: t.level } : {}),
        ...(t.stage !== undefined ? { stage: t.stage } : {}),
      };
  }
}

/**
 * The rules that need the ops: every moment and every op target points at one of the `ops`
 * ops. Returns the first problem as `where: why`, or undefined.
 */
export function checkAnnotations(
  notes: readonly NoteDoc[] | undefined,
  tours: readonly TourDoc[] | undefined,
  ops: number,
): string | undefined {
  const within = (where: string, op: number): string | undefined =>
    op < Math.max(ops, 1) ? undefined : `${where}: must point at one of the ${ops} ops`;
  const checkTarget = (where: string, t: TargetDoc | undefined): string | undefined =>
    t && 'op' in t ? within(`${where}.op`, t.op) : undefined;
  for (const [i, n] of (notes ?? []).entries()) {
    const bad = within(`notes[${i}].at.op`, n.at.op) ?? checkTarget(`notes[${i}].on`, n.on);
    if (bad) return bad;
  }
  for (const [i, t] of (tours ?? []).entries())
    for (const [j, s] of t.stops.entries()) {
      const at = `tours[${i}].stops[${j}]`;
      const bad = within(`${at}.at.op`, s.at.op) ?? checkTarget(`${at}.focus`, s.focus);
      if (bad) return bad;
    }
  return undefined;
}

export const parseNote = (n: NoteDoc): Note => ({
  at: { op: n.at.op, step: n.at.step },
  ...(n.on ? { on: parseTarget(n.on) } : {}),
  text: n.text,
});

export const parseTour = (t: TourDoc): Tour => ({
  title: t.title,
  stops: t.stops.map((s) => ({
    at: { op: s.at.op, step: s.at.step },
    ...(s.focus ? { focus: parseTarget(s.focus) } : {}),
    text: s.text,
  })),
});
