// Turns driver lines that are not event dumps into LogNotes (see notes.ts for the messages).
import { decodeCommand, hex64 } from '../engine/index.ts';
import { logError, type LogError } from './errors.ts';
import { readDwords } from './dwords.ts';
import { looksLikeAccessLine, looksLikeEventLine } from './kernelPrint.ts';
import { joinUntil, quote, sameDevice, type LogLine } from './lines.ts';
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
}

// printk's rate limiter names the function whose prints it dropped (arm_smmu_dump_event on
// ≥ v6.15); the line has no device prefix.
const SUPPRESSED = /^(\S*arm_smmu\S*): (\d+) callbacks suppressed$/;

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
  consumed: Set<number>,
  st: NoteState,
): LogError | undefined {
  const l = lines[i] as LogLine;
  const c = l.content;
  if (c === '') return undefined;
  if (PRI_HEADER.test(c)) return readPri(lines, i, consumed, st);
  if (SKIP_HEADER.test(c)) return readSkipped(lines, i, consumed, st);
  for (const one of ONE_LINERS) {
    const whole = joinUntil(lines, i, consumed, (t) => one.full.exec(t) ?? undefined);
    if (whole) {
      for (const u of whole.used) consumed.add(u);
      st.other.push(one.build(whole.value, baseOf(l, whole.value[0])));
      return undefined;
    }
    const part = one.start?.exec(c);
    if (part) {
      consumed.add(i);
      st.other.push(one.build(part, baseOf(l, c)));
      st.warnings.push(`line ${l.line}: message looks cut short: ${quote(c)}`);
      return undefined;
    }
  }
  const sup = SUPPRESSED.exec(c);
  if (sup) {
    consumed.add(i);
    st.other.push({ kind: 'suppressed', ...baseOf(l, c), count: Number(sup[2]) });
    return undefined;
  }
  // Any other line with the driver prefix (probe messages, warnings) is kept as it was printed;
  // decoded-event lines and dwords without a dump are reported by the caller instead.
  if (l.smmu && !looksLikeEventLine(c) && !looksLikeAccessLine(c) && !/^0x/i.test(c)) {
    consumed.add(i);
    st.other.push({ kind: 'driver', ...baseOf(l, c) });
  }
  return undefined;
}

function readPri(
  lines: readonly LogLine[],
  i: number,
  consumed: Set<number>,
  st: NoteState,
): LogError | undefined {
  const head = lines[i] as LogLine;
  consumed.add(i);
  const expected = `expected the PRI request line ("sid 0x….0x…: [n] …privileged … access at iova 0x…") after ${quote(head.content)} (line ${head.line})`;
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j];
    if (!l || consumed.has(j) || l.content === '') continue;
    if (!l.smmu && !/^sid 0x/i.test(l.content)) continue;
    const req = sameDevice(head, l) ? parsePriLine(l.content) : undefined;
    if (!req) return logError(l.line, `${expected}, found ${quote(l.content)}`);
    consumed.add(j);
    st.other.push({ kind: 'pri-request', ...baseOf(head, l.content), request: req });
    return undefined;
  }
  return logError(head.line, `${expected}, but the text ends here`);
}

function readSkipped(
  lines: readonly LogLine[],
  i: number,
  consumed: Set<number>,
  st: NoteState,
): LogError | undefined {
  const head = lines[i] as LogLine;
  consumed.add(i);
  const dw = readDwords(
    lines,
    i,
    2,
    `${quote(head.content)} (line ${head.line})`,
    'command',
    consumed,
  );
  if (!dw.ok) return dw;
  const [w0 = 0n, w1 = 0n] = dw.words;
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
  return undefined;
}
