// Reading the `\t0x%016llx` lines that follow a dump header: four for an event record
// (arm_smmu_dump_raw_event), two for a skipped command (arm_smmu_cmdq_skip_err); smmuv3.md §5.3.
// A dump can be cut short (the paste ends, a mail quote drops a line, the next header follows):
// the dwords read so far are kept and the reason names the line where the next one was due.
import { ordinal, quote, sameDevice, type Consumed, type LogLine } from './lines.ts';

/** 0x + exactly 16 hex digits (checked by hand: the line may be anything). */
function dwordOf(s: string): bigint | undefined {
  if (s.length !== 18 || s[0] !== '0' || (s[1] !== 'x' && s[1] !== 'X')) return undefined;
  for (let i = 2; i < 18; i++) {
    // Digits on the code itself: OR-ing 0x20 (the case fold for A-F) would turn the control
    // characters U+0010..U+0019 into '0'..'9' (found by `npm run fuzz`: BigInt then threw).
    const c = s.charCodeAt(i);
    const l = c | 0x20;
    if (!((c >= 48 && c <= 57) || (l >= 97 && l <= 102))) return undefined;
  }
  return BigInt(s);
}

export const looksHex = (s: string): boolean =>
  s.length >= 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X');

/**
 * How many lines may separate a header from its dwords, or two dwords (other drivers' lines
 * interleave under load). Bounds the work per header, so the importer stays linear.
 */
export const LOOKAHEAD = 16;

export interface Dwords {
  /** The dwords in order; `undefined` where the log has a malformed one or none. */
  readonly words: (bigint | undefined)[];
  /** Index after the last line read. */
  readonly next: number;
  /** The first problem (with the line it concerns): a malformed dword, or the dump cut short. */
  readonly short?: { readonly line: number; readonly reason: string };
}

/**
 * Reads up to `count` dwords after the header at `lines[i]`. Lines from other drivers may
 * interleave and are skipped. A malformed `0x…` line takes its dword's place (and is reported);
 * a driver line that is not a dword, the end of the text, or LOOKAHEAD lines without a dword end
 * the dump early.
 */
export function readDwords(
  lines: readonly LogLine[],
  i: number,
  count: number,
  after: string,
  what: string,
  consumed: Consumed,
): Dwords {
  const head = lines[i] as LogLine;
  const words: (bigint | undefined)[] = [];
  let short: Dwords['short'];
  let last = head.line;
  let lastIdx = i;
  const expected = (): string =>
    `expected the ${ordinal(words.length + 1)} ${what} dword (0x + 16 hex digits) after ${after}`;
  const cut = (line: number, reason: string): Dwords => ({
    words,
    next: lastIdx + 1,
    short: short ?? { line, reason },
  });
  let j = i + 1;
  for (; words.length < count; j++) {
    const l = lines[j];
    if (!l) return cut(last, `${expected()}, but the text ends here`);
    if (j - lastIdx > LOOKAHEAD)
      return cut(last, `${expected()}, but none came within ${LOOKAHEAD} lines`);
    if (consumed[j] || l.content === '') continue;
    const hexy = looksHex(l.content);
    if (!l.smmu && !hexy) continue; // another driver's line or a wrapped tail
    if (!sameDevice(head, l))
      return cut(l.line, `${expected()}, found a dword from ${l.device ?? '?'}`);
    if (!hexy) return cut(l.line, `${expected()}, found ${quote(l.content)}`);
    const w = dwordOf(l.content);
    if (w === undefined)
      short ??= { line: l.line, reason: `${expected()}, found ${quote(l.content)}` };
    words.push(w);
    consumed[j] = 1;
    last = l.line;
    lastIdx = j;
  }
  return short ? { words, next: j, short } : { words, next: j };
}
