// Importer for arm-smmu-v3 event dumps pasted from dmesg (smmuv3.md §5.3). Both formats:
//   raw (all kernels):  "event 0x10 received:" + four "\t0x%016llx" lines (dw0..dw3)
//   decoded (≥ v6.15):  the raw dump, then "event: …" and, for translation faults, a second line
// The dwords are decoded by the engine (decodeEvent); the kernel's own decoded lines, when
// present, are parsed and cross-checked against that decode (kernelPrint.ts).
import { EVTQ, decodeEvent, getNum, type EventRecord } from '../engine/index.ts';
import { logError, type LogError } from './errors.ts';
import {
  crossCheck,
  looksLikeAccessLine,
  looksLikeEventLine,
  parseAccessLine,
  parseEventLine,
  printForm,
  type CrossCheck,
  type KernelAccessLine,
  type KernelEventLine,
} from './kernelPrint.ts';
import { joinUntil, sameDevice, splitLog, type LogLine } from './lines.ts';
import { readDwords } from './dwords.ts';
import { eventNotes } from './eventNotes.ts';
import { readDriverLine, type NoteState } from './driverLines.ts';
import type { LogNote } from './notes.ts';

export interface DecodedLogEvent {
  /** Line of the `event 0x.. received:` header. */
  readonly line: number;
  readonly device?: string;
  readonly timestamp?: string;
  /** The engine's decode of the four dwords. */
  readonly record: EventRecord;
  /** EVTQ_1_CLASS as recorded (the engine's record folds the reserved value 3 into IN). */
  readonly classIndex: number;
  readonly raw: readonly [bigint, bigint, bigint, bigint];
  /** What the kernel printed in the ≥ v6.15 decoded lines, when they follow the dump. */
  readonly kernel?: { readonly event: KernelEventLine; readonly access?: KernelAccessLine };
  /** Fields on which that print disagrees with our decode; empty when it agrees or is absent. */
  readonly crossCheck: readonly CrossCheck[];
  /** Caveats about fields whose value the spec leaves UNKNOWN, and similar. */
  readonly notes: readonly string[];
}

export interface DmesgOk {
  readonly ok: true;
  readonly events: DecodedLogEvent[];
  readonly other: LogNote[];
  readonly warnings: string[];
}

export type DmesgResult = DmesgOk | LogError;

const HEADER = /^event 0x([0-9a-f]{1,2}) received:$/i;

export function parseDmesg(text: string): DmesgResult {
  const lines = splitLog(text);
  const consumed = new Set<number>();
  const events: DecodedLogEvent[] = [];
  const warnings: string[] = [];
  const notes: NoteState = { other: [], warnings };
  for (let i = 0; i < lines.length; i++) {
    if (consumed.has(i)) continue;
    const l = lines[i];
    if (!l) continue;
    const header = HEADER.exec(l.content);
    if (header) {
      const ev = readEvent(lines, i, Number.parseInt(header[1] ?? '0', 16), consumed, warnings);
      if (!ev.ok) return ev;
      events.push(ev.event);
      continue;
    }
    const err = readDriverLine(lines, i, consumed, notes);
    if (err) return err;
    if (!consumed.has(i)) orphan(l, warnings);
  }
  if (events.length === 0 && notes.other.length === 0)
    return logError(
      undefined,
      'no arm-smmu-v3 event dumps found (expected lines like "arm-smmu-v3 <device>: event 0x10 received:" followed by four 0x… dwords)',
    );
  return { ok: true, events, other: notes.other, warnings };
}

/** Decoded lines or dwords with no dump before them: say so, since they were not imported. */
function orphan(l: LogLine, warnings: string[]): void {
  if (looksLikeEventLine(l.content) || (l.smmu && looksLikeAccessLine(l.content)))
    warnings.push(`line ${l.line}: decoded event line with no raw dump before it (ignored)`);
  else if (l.smmu && /^0x[0-9a-f]+$/i.test(l.content))
    warnings.push(`line ${l.line}: event dword outside an event dump (ignored)`);
}

type EventOrError = { ok: true; event: DecodedLogEvent } | LogError;

function readEvent(
  lines: readonly LogLine[],
  i: number,
  headerId: number,
  consumed: Set<number>,
  warnings: string[],
): EventOrError {
  const head = lines[i] as LogLine;
  consumed.add(i);
  const dw = readDwords(lines, i, 4, `"${head.content}" (line ${head.line})`, 'event', consumed);
  if (!dw.ok) return dw;
  const raw = dw.words as [bigint, bigint, bigint, bigint];
  const record = decodeEvent(raw);
  const classIndex = getNum(raw, EVTQ.CLASS);
  const kernel = readKernelPrint(lines, dw.next, head, record.id, consumed, warnings);
  const checks = kernel ? crossCheck(record, classIndex, kernel.event, kernel.access) : [];
  // The header's ID is printed from dw0 too; a difference means the paste mixed two events.
  if (headerId !== record.id)
    checks.unshift({ field: 'id', ours: hex2(record.id), kernel: hex2(headerId) });
  const event: DecodedLogEvent = {
    line: head.line,
    ...(head.device === undefined ? {} : { device: head.device }),
    ...(head.timestamp === undefined ? {} : { timestamp: head.timestamp }),
    record,
    classIndex,
    raw,
    ...(kernel ? { kernel } : {}),
    crossCheck: checks,
    notes: eventNotes(record, raw, classIndex),
  };
  return { ok: true, event };
}

const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

// How far past the dump to look for the decoded lines; other drivers' lines may interleave.
const LOOKAHEAD = 8;

function readKernelPrint(
  lines: readonly LogLine[],
  from: number,
  head: LogLine,
  id: number,
  consumed: Set<number>,
  warnings: string[],
): DecodedLogEvent['kernel'] {
  const at = nextDriverLine(lines, from, consumed);
  const first = at === undefined ? undefined : lines[at];
  if (at === undefined || !first || !looksLikeEventLine(first.content) || !sameDevice(head, first))
    return undefined;
  const form = printForm(id);
  // Prefer the form the kernel uses for this ID, so a wrap after "ssid: 0x1" is not taken for a
  // complete short line; fall back to any form (then crossCheck reports the form mismatch).
  const ev =
    joinUntil(lines, at, consumed, (t) => {
      const k = parseEventLine(t, first.line);
      return k?.form === form ? k : undefined;
    }) ?? joinUntil(lines, at, consumed, (t) => parseEventLine(t, first.line));
  if (!ev) {
    warnings.push(`line ${first.line}: could not read the kernel's decoded event line (ignored)`);
    return undefined;
  }
  for (const u of ev.used) consumed.add(u);
  if (form !== 'translation') return { event: ev.value };
  const at2 = nextDriverLine(lines, (ev.used.at(-1) ?? at) + 1, consumed);
  const second = at2 === undefined ? undefined : lines[at2];
  const acc =
    at2 !== undefined && second && looksLikeAccessLine(second.content) && sameDevice(head, second)
      ? joinUntil(lines, at2, consumed, (t) => parseAccessLine(t, second.line))
      : undefined;
  if (!acc) {
    warnings.push(
      `line ${first.line}: the kernel's second decoded line (priv/unpriv … stag:) is missing`,
    );
    return { event: ev.value };
  }
  for (const u of acc.used) consumed.add(u);
  return { event: ev.value, access: acc.value };
}

/** The next line that could be a driver line: prefixed, or bare but shaped like one. */
function nextDriverLine(
  lines: readonly LogLine[],
  from: number,
  consumed: ReadonlySet<number>,
): number | undefined {
  for (let j = from; j < lines.length && j < from + LOOKAHEAD; j++) {
    const l = lines[j];
    if (!l || consumed.has(j) || l.content === '') continue;
    if (l.smmu || looksLikeEventLine(l.content) || looksLikeAccessLine(l.content)) return j;
    // A wrapped tail of something else, or another driver's line: keep looking.
  }
  return undefined;
}
