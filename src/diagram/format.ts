// Text the diagram prints: addresses grouped like the scenario files write them
// (0x7f00_0000_0000), sizes in binary units, STE.Config and descriptor permissions as words.
import { AF, AP1_EL0, AP2_RDONLY, DBM, NG, UXN } from '../engine/index.ts';

/** 0x4042_b000: hex grouped by 16 bits, so 48-bit addresses can be read at a glance. */
export function hexu(v: bigint | number): string {
  const s = BigInt(v).toString(16);
  if (s.length <= 4) return '0x' + s;
  const groups: string[] = [];
  for (let end = s.length; end > 0; end -= 4) groups.unshift(s.slice(Math.max(0, end - 4), end));
  return '0x' + groups.join('_');
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** 4 KiB, 2 MiB, 1.5 GiB. */
export function sizeName(bytes: bigint): string {
  let v = Number(bytes);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${UNITS[u]}`;
}

/** 12 → "4K", 21 → "2M", 30 → "1G": a size given as a power of two. */
export function sizeLabel(shift: number): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P'];
  const u = Math.floor(shift / 10);
  return `${2 ** (shift - u * 10)}${units[u] ?? `·2^${u * 10}`}`;
}

/** A StreamID as the driver prints it: 0x305. */
export const hexSid = (n: number): string => '0x' + n.toString(16);

/** 4K, 2M, 1G: the short form used inside entry rows. */
export const sizeShort = (bytes: bigint): string => sizeName(bytes).replace(/ (.)i?B$/, '$1');

/**
 * 12,345: en-US digit grouping. Whole numbers are grouped by hand: the first toLocaleString call
 * of a page loads ICU's number data, 50–110 ms of the first paint in headless Chromium (the
 * diagram's legend counts changes). Anything else still goes through toLocaleString.
 */
export const count = (n: number): string =>
  Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+$)/g, ',') : n.toLocaleString('en-US');

export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${count(n)} ${n === 1 ? one : many}`;

/** STE.Config in words (§5.2); reserved values 1..3 behave as abort. */
export function steConfigWords(valid: boolean, config: number): string {
  if (!valid) return 'invalid (V=0): abort';
  switch (config) {
    case 0:
      return 'abort';
    case 4:
      return 'bypass';
    case 5:
      return 'S1 → CD table';
    case 6:
      return 'S2 only';
    case 7:
      return 'nested: S1 → CD, S2';
    default:
      return 'reserved: abort';
  }
}

/**
 * What a stage-1 leaf lets an unprivileged (EL0) access do, read straight from the descriptor:
 * AP[2] clear = writable (DBM with AP[2] set = writable-clean, hardware sets it dirty), UXN clear
 * = executable. AF=0 and AP[1]=0 (EL1 only) are called out because either faults a user access;
 * nG (per-ASID) is normal for user pages, so rows leave it to the tooltip.
 */
export function leafPerms(desc: bigint, withNg = false): string {
  const w = (desc & AP2_RDONLY) === 0n ? 'w' : (desc & DBM) !== 0n ? 'w*' : '-';
  const x = (desc & UXN) === 0n ? 'x' : '-';
  const flags = [
    (desc & AF) === 0n && 'AF=0',
    (desc & AP1_EL0) === 0n && 'EL1',
    withNg && (desc & NG) !== 0n && 'nG',
  ].filter(Boolean);
  return `r${w}${x}${flags.length ? ' ' + flags.join(' ') : ''}`;
}

/** Cuts text to `n` characters with an ellipsis (SVG text does not wrap or clip by itself). */
export const trunc = (s: string, n: number): string =>
  s.length <= n ? s : s.slice(0, Math.max(1, n - 1)) + '…';
