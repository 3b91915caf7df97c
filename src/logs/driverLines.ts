// Turns driver lines that are not event dumps into LogNotes (see notes.ts for the messages).
import { decodeCommand, hex64 } from '../engine/index.ts';
import { logError } from './errors.ts';
import { LOOKAHEAD, looksHex, readDwords } from './dwords.ts';
import { looksLikeAccessLine, looksLikeEventLine } from './kernelPrint.ts';
import { joinUntil, quote, sameDevice, type Consumed, type LogLine } from './lines.ts';
import type { Skipped } from './dmesg.ts';
import {
  ONE_LINERS,
  PRI_HEADER,
  SKIP_HEADER,
  parsePriLine,
  type LogNote,
  type SkippedCommand,
} from './notes.ts';

export interface NoteState {
  readonly other: LogNote[];
  readonly warnings: string[];
  /** Messages that were cut short or malformed, with the line and the reason. */
  readonly skipped: Skipped[];
}

const skip = (st: NoteState, line: number, reason: string): void => {
  const e = logError(line, reason);
  st.skipped.push({ line, reason: e.reason, message: e.message });
};

// How the messages start (notes.ts). A line without the driver prefix is tried as a message only
// if it starts like one: a pasted log is mostly other drivers' lines, and this keeps the work per
// line to one comparison for them.
const STARTS = [
  'EVTQ ',
  'PRIQ ',
  'GERROR ',
  'CMDQ ',
  'CMD_SYNC ',
  'unexpected ',
  'device has ',
  'skipping ',
  'ias ',
  'allocated ',
];
const startsLikeMessage = (c: string): boolean =>
  STARTS.some((p) => c.startsWith(p)) || c.includes('callbacks suppressed');

// printk's rate limiter names the function whose prints it dropped (arm_smmu_dump_event on
// ≥ v6.15); the line has no device prefix.
// Read with string operations: a regex with two unbounded \S* around "arm_smmu" backtracks
// quadratically on long runs of non-blank text.
function suppressed(c: string): number | undefined {
  const tail = ' callbacks suppressed';
  if (!c.endsWith(tail)) return undefined;
  const colon = c.indexOf(': ');
  if (colon < 0) return undefined;
  const fn = c.slice(0, colon);
  const n = c.slice(colon + 2, c.length - tail.length);
  if (!fn.includes('arm_smmu') || /\s/.test(fn) || !/^\d{1,9}$/.test(n)) return undefined;
  return Number(n);
}

const baseOf = (l: LogLine, text: string) => ({
  line: l.line,
  ...(l.device === undefined ? {} : { device: l.device }),
  ...(l.timestamp === undefined ? {} : { timestamp: l.timestamp }),
  text,
});

/** Reads the driver message at `lines[i]`, if it is one; marks the lines it used as consumed. */
export function readDriverLine(
  lines: readonly LogLine[],
  i: number,
  consumed: Consumed,
  st: NoteState,
): void {
  const l = lines[i] as LogLine;
  const c = l.content;
  if (c === '' || (!l.smmu && !startsLikeMessage(c))) return;
  if (PRI_HEADER.test(c)) return readPri(lines, i, consumed, st);
  if (SKIP_HEADER.test(c)) return readSkipped(lines, i, consumed, st);
  for (const one of ONE_LINERS) {
    const whole = joinUntil(lines, i, consumed, (t) => one.full.exec(t) ?? undefined);
    if (whole) {
      for (const u of whole.used) consumed[u] = 1;
      st.other.push(one.build(whole.value, baseOf(l, whole.value[0])));
      return;
    }
    const part = one.start?.exec(c);
    if (part) {
      consumed[i] = 1;
      st.other.push(one.build(part, baseOf(l, c)));
      st.warnings.push(`line ${l.line}: message looks cut short: ${quote(c)}`);
      return;
    }
  }
  const sup = suppressed(c);
  if (sup !== undefined) {
    consumed[i] = 1;
    st.other.push({ kind: 'suppressed', ...baseOf(l, c), count: sup });
    return;
  }
  // Any other line with the driver prefix (probe messages, warnings) is kept as it was printed;
  // decoded-event lines and dwords without a dump are reported by the caller instead.
  if (l.smmu && !looksLikeEventLine(c) && !looksLikeAccessLine(c) && !looksHex(c)) {
    consumed[i] = 1;
    st.other.push({ kind: 'driver', ...baseOf(l, c) });
  }
}

function readPri(lines: readonly LogLine[], i: number, consumed: Consumed, st: NoteState): void {
  const head = lines[i] as LogLine;
  consumed[i] = 1;
  const expected = `expected the PRI request line ("sid 0x….0x…: [n] …privileged … access at iova 0x…") after ${quote(head.content)} (line ${head.line})`;
  for (let j = i + 1; j < lines.length && j <= i + LOOKAHEAD; j++) {
    const l = lines[j];
    if (!l || consumed[j] || l.content === '') continue;
    if (!l.smmu && !l.content.startsWith('sid 0x')) continue;
    const req = sameDevice(head, l) ? parsePriLine(l.content) : undefined;
    if (!req) return skip(st, l.line, `${expected}, found ${quote(l.content)}`);
    consumed[j] = 1;
    st.other.push({ kind: 'pri-request', ...baseOf(head, l.content), request: req });
    return;
  }
  const ends = i + LOOKAHEAD >= lines.length - 1;
  skip(
    st,
    head.line,
    `${expected}, but ${ends ? 'the text ends here' : `none came within ${LOOKAHEAD} lines`}`,
  );
}

function readSkipped(
  lines: readonly LogLine[],
  i: number,
  consumed: Consumed,
  st: NoteState,
): void {
  const head = lines[i] as LogLine;
  consumed[i] = 1;
  const dw = readDwords(
    lines,
    i,
    2,
    `${quote(head.content)} (line ${head.line})`,
    'command',
    consumed,
  );
  if (dw.short) return skip(st, dw.short.line, `${dw.short.reason}; the command was not read`);
  const [w0 = 0n, w1 = 0n] = dw.words as bigint[];
  const cmd = decodeCommand([w0, w1]);
  const skipped: SkippedCommand = {
    line: head.line,
    raw: [hex64(w0), hex64(w1)],
    command: cmd
      ? {
          name: cmd.name,
          opcode: cmd.opcode,
          fields: Object.fromEntries(
            Object.entries(cmd.fields).map(([k, v]) => [k, `0x${v.toString(16)}`]),
          ),
        }
      : null,
  };
  // Linux prints the skipped command right after "CMDQ error (cons …): Illegal command"
  // (arm_smmu_cmdq_skip_err; sample 19), so it belongs to that note.
  const prev = st.other.at(-1);
  const sameSmmu =
    prev?.device === undefined || head.device === undefined || prev.device === head.device;
  if (prev?.kind === 'cmdq-error' && prev.skipped === undefined && sameSmmu) prev.skipped = skipped;
  else st.other.push({ kind: 'skipped-command', ...baseOf(head, head.content), skipped });
}
