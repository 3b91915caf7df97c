// Finding the decoded lines Linux ≥ v6.15 prints after a raw dump (arm_smmu_dump_event) among
// the lines that follow it, and joining them when a mail client wrapped them (sample 01).
import type { DecodedLogEvent } from './dmesg.ts';
import {
  looksLikeAccessLine,
  looksLikeEventLine,
  parseAccessLine,
  parseEventLine,
  printForm,
} from './kernelPrint.ts';
import { joinUntil, sameDevice, type Consumed, type LogLine } from './lines.ts';

// How far past the dump to look for the decoded lines; other drivers' lines may interleave.
const LOOKAHEAD = 8;

export function readKernelPrint(
  lines: readonly LogLine[],
  from: number,
  head: LogLine,
  id: number,
  consumed: Consumed,
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
  for (const u of ev.used) consumed[u] = 1;
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
  for (const u of acc.used) consumed[u] = 1;
  return { event: ev.value, access: acc.value };
}

/** The next line that could be a driver line: prefixed, or bare but shaped like one. */
function nextDriverLine(
  lines: readonly LogLine[],
  from: number,
  consumed: Consumed,
): number | undefined {
  for (let j = from; j < lines.length && j < from + LOOKAHEAD; j++) {
    const l = lines[j];
    if (!l || consumed[j] || l.content === '') continue;
    if (l.smmu || looksLikeEventLine(l.content) || looksLikeAccessLine(l.content)) return j;
    // A wrapped tail of something else, or another driver's line: keep looking.
  }
  return undefined;
}
