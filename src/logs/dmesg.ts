// Importer for arm-smmu-v3 event dumps pasted from dmesg (smmuv3.md §5.3). Both formats:
//   raw (all kernels):  "event 0x10 received:" + four "\t0x%016llx" lines (dw0..dw3)
//   decoded (≥ v6.15):  the raw dump, then "event: …" and, for translation faults, a second line
// The dwords are decoded by the engine (decodeEvent); the kernel's own decoded lines, when
// present, are parsed and cross-checked against that decode (kernelPrint.ts).
//
// Pasted text is untrusted and can be anything (a whole console log, binary, megabytes of
// noise). The importer never gives up on the first bad record: what it cannot read is listed in
// `skipped` with the line and the reason, and the rest is read. The work is linear — each line is
// looked at a bounded number of times (LOOKAHEAD, joinUntil's maxExtra) — and comes in slices
// (dmesgSlices) so that the page can read a large paste without freezing.
import { EVTQ, decodeEvent, getNum, type EventRecord } from '../engine/index.ts';
import { logError, type LogError } from './errors.ts';
import {
  crossCheck,
  looksLikeAccessLine,
  looksLikeEventLine,
  type CrossCheck,
} from './kernelPrint.ts';
import { readKernelPrint } from './kernelLines.ts';
import { MAX_LINE, parseLine, splitText, type LogLine } from './lines.ts';
import { looksHex, readDwords } from './dwords.ts';
import { eventNotes } from './eventNotes.ts';
import { missingFields } from './fields.ts';
import { readDriverLine, type NoteState } from './driverLines.ts';
import type { KernelAccessLine, KernelEventLine } from './kernelPrint.ts';
import type { LogNote } from './notes.ts';

export interface DecodedLogEvent {
  /** Line of the `event 0x.. received:` header. */
  readonly line: number;
  readonly device?: string;
  readonly timestamp?: string;
  /** The engine's decode of the four dwords (absent dwords read as 0: see `missing`). */
  readonly record: EventRecord;
  /** EVTQ_1_CLASS as recorded (the engine's record folds the reserved value 3 into IN). */
  readonly classIndex: number;
  readonly raw: readonly [bigint, bigint, bigint, bigint];
  /** Dwords the log does not hold (a truncated dump), by index; absent when all four are there. */
  readonly missing?: readonly number[];
  /** What the kernel printed in the ≥ v6.15 decoded lines, when they follow the dump. */
  readonly kernel?: { readonly event: KernelEventLine; readonly access?: KernelAccessLine };
  /** Fields on which that print disagrees with our decode; empty when it agrees or is absent. */
  readonly crossCheck: readonly CrossCheck[];
  /** Caveats about fields whose value the spec leaves UNKNOWN, and similar. */
  readonly notes: readonly string[];
}

/** A part of the input that was not imported, and why. */
export interface Skipped {
  readonly line?: number;
  readonly reason: string;
  /** `line 7: <reason>`: one line, ready to print. */
  readonly message: string;
}

export interface DmesgOk {
  readonly ok: true;
  readonly events: DecodedLogEvent[];
  readonly other: LogNote[];
  readonly warnings: string[];
  readonly skipped: Skipped[];
  /** Lines in the text, and how many of them the importer used. */
  readonly lines: number;
  readonly used: number;
}

export type DmesgResult = DmesgOk | LogError;

/** Text beyond this is not read (a kernel log buffer is at most a few MB); `skipped` says so. */
export const MAX_TEXT = 16 * 1024 * 1024;
/** Events kept; more than this in one paste is a storm, and the first ones tell the story. */
export const MAX_EVENTS = 100_000;
/** Lines read per slice of dmesgSlices. */
export const SLICE_LINES = 4_000;

const skippedAt = (line: number | undefined, reason: string): Skipped => {
  const e = logError(line, reason);
  return { ...(line === undefined ? {} : { line }), reason: e.reason, message: e.message };
};

/** `event 0x<1-2 hex digits> received:` → the ID. */
function headerId(c: string): number | undefined {
  if (!c.startsWith('event 0x') || !c.endsWith(' received:')) return undefined;
  const digits = c.slice(8, -10);
  if (digits.length < 1 || digits.length > 2 || !/^[0-9a-f]+$/i.test(digits)) return undefined;
  return Number.parseInt(digits, 16);
}

interface Progress {
  readonly done: number;
  readonly total: number;
}

/**
 * The importer as slices of bounded work: each `next()` reads about SLICE_LINES lines and yields
 * progress; the generator's return value is the result. parseDmesg runs it to the end; the page
 * runs one slice per frame.
 */
export function* dmesgSlices(input: string): Generator<Progress, DmesgResult, void> {
  const skipped: Skipped[] = [];
  let text = input;
  if (text.length > MAX_TEXT) {
    const cut = text.lastIndexOf('\n', MAX_TEXT);
    text = text.slice(0, cut > 0 ? cut : MAX_TEXT);
    skipped.push(
      skippedAt(
        undefined,
        `the text is ${(input.length / 1048576).toFixed(1)} MB; only the first ${MAX_TEXT / 1048576} MB were read`,
      ),
    );
  }
  const raw = splitText(text);
  const lines: LogLine[] = new Array<LogLine>(raw.length);
  let long = 0;
  for (let i = 0; i < raw.length; i++) {
    const s = raw[i] as string;
    if (s.length > MAX_LINE) {
      long++;
      if (long <= 3)
        skipped.push(
          skippedAt(
            i + 1,
            `${s.length.toLocaleString('en')} characters on one line: longer than any kernel log line (not read)`,
          ),
        );
      lines[i] = { line: i + 1, smmu: false, content: '' };
    } else lines[i] = parseLine(s, i + 1);
    if (i % (SLICE_LINES * 4) === 0 && i > 0) yield { done: i >> 2, total: raw.length };
  }
  if (long > 3) skipped.push(skippedAt(undefined, `${long - 3} more over-long lines not read`));
  const consumed = new Uint8Array(lines.length);
  const events: DecodedLogEvent[] = [];
  const warnings: string[] = [];
  const notes: NoteState = { other: [], warnings, skipped: [] };
  let dropped = 0;
  for (let i = 0; i < lines.length; i++) {
    if (i % SLICE_LINES === 0 && i > 0)
      yield { done: (raw.length >> 2) + Math.floor((i * 3) / 4), total: raw.length };
    if (consumed[i]) continue;
    const l = lines[i] as LogLine;
    if (l.content === '') continue;
    const id = headerId(l.content);
    if (id !== undefined) {
      const ev = readEvent(lines, i, id, consumed, warnings, skipped);
      if (ev && events.length < MAX_EVENTS) events.push(ev);
      else if (ev) dropped++;
      continue;
    }
    readDriverLine(lines, i, consumed, notes);
    if (!consumed[i]) orphan(l, warnings);
  }
  if (dropped)
    skipped.push(
      skippedAt(
        undefined,
        `${dropped.toLocaleString('en')} events after the first ${MAX_EVENTS.toLocaleString('en')} not kept`,
      ),
    );
  for (const n of notes.skipped) skipped.push(n);
  skipped.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  cap(skipped, (n) => skippedAt(undefined, `and ${n.toLocaleString('en')} more not read`));
  cap(warnings, (n) => `and ${n.toLocaleString('en')} more warnings`);
  let used = 0;
  for (const c of consumed) used += c;
  if (events.length === 0 && notes.other.length === 0 && skipped.length === 0)
    return logError(
      undefined,
      'no arm-smmu-v3 event dumps found (expected lines like "arm-smmu-v3 <device>: event 0x10 received:" followed by four 0x… dwords)',
    );
  return { ok: true, events, other: notes.other, warnings, skipped, lines: lines.length, used };
}

export function parseDmesg(text: string): DmesgResult {
  const it = dmesgSlices(text);
  for (;;) {
    const step = it.next();
    if (step.done) return step.value;
  }
}

/** Details kept per list: a paste of noise must not produce a page of identical sentences. */
export const MAX_DETAILS = 200;

function cap<T>(list: T[], more: (n: number) => T): void {
  if (list.length <= MAX_DETAILS) return;
  const n = list.length - MAX_DETAILS;
  list.length = MAX_DETAILS;
  list.push(more(n));
}

/** Decoded lines or dwords with no dump before them: say so, since they were not imported. */
function orphan(l: LogLine, warnings: string[]): void {
  if (looksLikeEventLine(l.content) || (l.smmu && looksLikeAccessLine(l.content)))
    warnings.push(`line ${l.line}: decoded event line with no raw dump before it (ignored)`);
  else if (l.smmu && looksHex(l.content))
    warnings.push(`line ${l.line}: event dword outside an event dump (ignored)`);
}

function readEvent(
  lines: readonly LogLine[],
  i: number,
  headerId: number,
  consumed: Uint8Array,
  warnings: string[],
  skipped: Skipped[],
): DecodedLogEvent | undefined {
  const head = lines[i] as LogLine;
  consumed[i] = 1;
  const dw = readDwords(lines, i, 4, `"${head.content}" (line ${head.line})`, 'event', consumed);
  if (dw.words[0] === undefined) {
    // Without dw0 there is no EventID or StreamID: nothing to show but the header.
    skipped.push(skippedAt(dw.short?.line, `${dw.short?.reason ?? ''}; the record was not read`));
    return undefined;
  }
  const missing = [0, 1, 2, 3].filter((k) => dw.words[k] === undefined);
  const raw = [0, 1, 2, 3].map((k) => dw.words[k] ?? 0n) as [bigint, bigint, bigint, bigint];
  const record = decodeEvent(raw);
  const classIndex = getNum(raw, EVTQ.CLASS);
  if (dw.short)
    skipped.push(
      skippedAt(dw.short.line, `${dw.short.reason}; ${missingFields(record.id, missing)}`),
    );
  const kernel = readKernelPrint(lines, dw.next, head, record.id, consumed, warnings);
  // Fields of a missing dword read as 0 here: comparing them with the print would mislead.
  const checks =
    kernel && missing.length === 0
      ? crossCheck(record, classIndex, kernel.event, kernel.access)
      : [];
  // The header's ID is printed from dw0 too; a difference means the paste mixed two events.
  if (headerId !== record.id)
    checks.unshift({ field: 'id', ours: hex2(record.id), kernel: hex2(headerId) });
  return {
    line: head.line,
    ...(head.device === undefined ? {} : { device: head.device }),
    ...(head.timestamp === undefined ? {} : { timestamp: head.timestamp }),
    record,
    classIndex,
    raw,
    ...(missing.length ? { missing } : {}),
    ...(kernel ? { kernel } : {}),
    crossCheck: checks,
    notes: eventNotes(record, raw, classIndex),
  };
}

const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
