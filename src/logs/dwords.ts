// Reading the `\t0x%016llx` lines that follow a dump header: four for an event record
// (arm_smmu_dump_raw_event), two for a skipped command (arm_smmu_cmdq_skip_err); smmuv3.md §5.3.
import { logError, type LogError } from './errors.ts';
import { ordinal, quote, sameDevice, type LogLine } from './lines.ts';

const DWORD = /^0x([0-9a-f]{16})$/i;

export type Dwords = { ok: true; words: bigint[]; next: number } | LogError;

/**
 * Reads `count` dwords after the header at `lines[i]`. Lines from other drivers may interleave
 * and are skipped; a driver line that is not a dword, a malformed `0x…` line, or the end of the
 * text is an error naming the line.
 */
export function readDwords(
  lines: readonly LogLine[],
  i: number,
  count: number,
  after: string,
  what: string,
  consumed: Set<number>,
): Dwords {
  const head = lines[i] as LogLine;
  const words: bigint[] = [];
  let last = head.line;
  let j = i + 1;
  const expected = (): string =>
    `expected the ${ordinal(words.length + 1)} ${what} dword (0x + 16 hex digits) after ${after}`;
  for (; words.length < count; j++) {
    const l = lines[j];
    if (!l) return logError(last, `${expected()}, but the text ends here`);
    if (consumed.has(j) || l.content === '') continue;
    const looksHex = /^0x/i.test(l.content);
    if (!l.smmu && !looksHex) continue; // another driver's line or a wrapped tail
    const m = DWORD.exec(l.content);
    if (!m) return logError(l.line, `${expected()}, found ${quote(l.content)}`);
    if (!sameDevice(head, l))
      return logError(l.line, `${expected()}, found a dword from ${l.device ?? '?'}`);
    words.push(BigInt(`0x${m[1] ?? '0'}`));
    consumed.add(j);
    last = l.line;
  }
  return { ok: true, words, next: j };
}
