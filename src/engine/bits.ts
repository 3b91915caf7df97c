// Bit fields of little-endian 64-bit words: the engine's FIELD_GET / FIELD_PREP.
// Every structure (STE, CD, descriptors, queue records, registers) is described by a table of
// Fields and read or written only through getField / setField.

/** A field: bits hi..lo of 64-bit word `dw` of a structure. */
export interface Field {
  readonly dw: number;
  readonly hi: number;
  readonly lo: number;
}

export type FieldTable = Readonly<Record<string, Field>>;

export const f = (dw: number, hi: number, lo: number = hi): Field => ({ dw, hi, lo });

// The masks and shift counts of widths and positions 0–128, made once: every field read made two
// or three BigInts for them, and decoding the structures of a large world reads millions.
const ONES: readonly bigint[] = Array.from({ length: 129 }, (_, w) => (1n << BigInt(w)) - 1n);
const BIG: readonly bigint[] = Array.from({ length: 129 }, (_, i) => BigInt(i));
const big = (n: number): bigint => BIG[n] ?? BigInt(n);

/** A mask of `width` ones. */
export const ones = (width: number): bigint => ONES[width] ?? (1n << BigInt(width)) - 1n;

/** POW2[i] = 2^i as a double, i ≤ 64: `2 ** i` with a variable exponent is a Math.pow call on the
 * translation path. */
export const POW2: readonly number[] = Array.from({ length: 65 }, (_, i) => 2 ** i);

export const fieldWidth = (fd: Field): number => fd.hi - fd.lo + 1;

/** Bits hi..lo of a single word. */
export const bitsOf = (word: bigint, hi: number, lo: number): bigint =>
  (word >> big(lo)) & ones(hi - lo + 1);

export const bit = (word: bigint, n: number): boolean => ((word >> big(n)) & 1n) === 1n;

export function getField(words: readonly bigint[], fd: Field): bigint {
  return bitsOf(words[fd.dw] ?? 0n, fd.hi, fd.lo);
}

export const getNum = (words: readonly bigint[], fd: Field): number => Number(getField(words, fd));
export const getBool = (words: readonly bigint[], fd: Field): boolean => getField(words, fd) !== 0n;

/** Writes `value` into the field (in place). Values wider than the field are truncated. */
export function setField(words: bigint[], fd: Field, value: bigint | number | boolean): bigint[] {
  const v = typeof value === 'bigint' ? value : BigInt(Number(value));
  const mask = ones(fieldWidth(fd)) << BigInt(fd.lo);
  const old = words[fd.dw] ?? 0n;
  words[fd.dw] = (old & ~mask) | ((v << BigInt(fd.lo)) & mask);
  return words;
}

/** Builds a structure of `dwords` words from named field values. */
export function encode(
  table: FieldTable,
  dwords: number,
  values: Readonly<Record<string, bigint | number | boolean>>,
): bigint[] {
  const words: bigint[] = new Array<bigint>(dwords).fill(0n);
  for (const [name, value] of Object.entries(values)) {
    const fd = table[name];
    if (!fd) throw new Error(`unknown field ${name}`);
    setField(words, fd, value);
  }
  return words;
}

/** Every field of the table with its value (as bigint). */
export function decode(table: FieldTable, words: readonly bigint[]): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const [name, fd] of Object.entries(table)) out[name] = getField(words, fd);
  return out;
}

/** Masks of the bits a table describes, per word; the rest are RES0/IMPDEF in our model. */
export function knownBits(table: FieldTable, dwords: number): bigint[] {
  const masks = new Array<bigint>(dwords).fill(0n);
  for (const fd of Object.values(table)) {
    masks[fd.dw] = (masks[fd.dw] ?? 0n) | (ones(fieldWidth(fd)) << BigInt(fd.lo));
  }
  return masks;
}

const U64 = ones(64);

/** `0x0000_7fff_dead_b000`-style rendering, 16 digits, no separators. */
export const hex64 = (v: bigint): string => '0x' + (v & U64).toString(16).padStart(16, '0');

/** Shortest `0x…` rendering. */
export const hex = (v: bigint | number): string => '0x' + BigInt(v).toString(16);

/**
 * Parses a scenario number: `0x7fff_dead_b000`, `0b101`, or decimal; underscores allowed.
 * Returns undefined for anything else (callers turn that into a located error).
 */
export function parseU64(text: string): bigint | undefined {
  const t = text.trim().replace(/_/g, '').toLowerCase();
  if (!/^(0x[0-9a-f]+|0b[01]+|[0-9]+)$/.test(t)) return undefined;
  const v = BigInt(t);
  return v <= U64 ? v : undefined;
}

/** Sign/zero extension helper: true when bits hi..lo of v are all equal to `value`. */
export function allBits(v: bigint, hi: number, lo: number, value: 0 | 1): boolean {
  if (hi < lo) return true;
  const field = bitsOf(v, hi, lo);
  return value === 0 ? field === 0n : field === ones(hi - lo + 1);
}
