// How summaries and form defaults write numbers: 64-bit values in groups of four hex digits, the
// way the results and the inspector show them.
import { parseU64 } from '../../engine/index.ts';

/** 0x7f0000002000 → "0x7f00_0000_2000" (groups of four hex digits from the right). */
export function groupHex(v: bigint | number): string {
  const h = BigInt(v).toString(16);
  const parts: string[] = [];
  for (let end = h.length; end > 0; end -= 4) parts.unshift(h.slice(Math.max(0, end - 4), end));
  return `0x${parts.join('_')}`;
}

/** A document address string ("0x7f00_0000_0000", "4096") shown the same way as results. */
export function addr(s: string | undefined): string {
  if (s === undefined) return '?';
  const v = parseU64(s);
  return v === undefined ? s : groupHex(v);
}

/** "0x7f00_0000_0000 +0x1_0000". */
export const range = (a: string, size: string): string => `${addr(a)} +${addr(size)}`;
