// What a field doc is, and the encodings several structures share (address sizes, cacheability,
// shareability, granules, enables): one place, so the STE, CD, descriptor, command and register
// docs name a value the same way. Pure data: no React.
export interface FieldDoc {
  /** What the field does, in one line. */
  readonly meaning: string;
  /** Where the spec defines it (SMMUv3 §x.y, or the Arm ARM for descriptors). */
  readonly section: string;
  /** Named values (enumerations and flags). */
  readonly values?: Readonly<Record<number, string>>;
  /** The field holds address bits [hi:lo] in place: its address is value << lo. */
  readonly address?: boolean;
  /** A computed reading of a numeric value (sizes, counts, names). */
  readonly describe?: (v: bigint) => string;
}

export type DocTable = Readonly<Record<string, FieldDoc>>;

export const doc = (
  meaning: string,
  section: string,
  extra: Omit<FieldDoc, 'meaning' | 'section'> = {},
): FieldDoc => ({ meaning, section, ...extra });

// ---- Shared encodings --------------------------------------------------------------------------

export const PA_SIZES: Readonly<Record<number, string>> = {
  0: '32-bit',
  1: '36-bit',
  2: '40-bit',
  3: '42-bit',
  4: '44-bit',
  5: '48-bit',
  6: '52-bit',
  7: '56-bit',
};
export const WALK_CACHE: Readonly<Record<number, string>> = {
  0: 'non-cacheable',
  1: 'write-back, write-allocate',
  2: 'write-through',
  3: 'write-back, no write-allocate',
};
export const FETCH_CACHE: Readonly<Record<number, string>> = {
  0: 'non-cacheable',
  1: 'write-back, read-allocate',
  2: 'write-through, read-allocate',
  3: 'write-back, no read-allocate',
};
export const SHARE: Readonly<Record<number, string>> = {
  0: 'non-shareable',
  1: 'reserved (non-shareable)',
  2: 'outer shareable',
  3: 'inner shareable',
};
export const GRANULE_TG0: Readonly<Record<number, string>> = {
  0: '4 KB granule',
  1: '64 KB granule',
  2: '16 KB granule',
  3: 'reserved',
};
export const GRANULE_TG1: Readonly<Record<number, string>> = {
  0: 'reserved',
  1: '16 KB granule',
  2: '4 KB granule',
  3: '64 KB granule',
};
export const SUPPORTED: Readonly<Record<number, string>> = { 0: 'not supported', 1: 'supported' };
export const ENABLED: Readonly<Record<number, string>> = { 0: 'disabled', 1: 'enabled' };
export const CACHE_CR1: Readonly<Record<number, string>> = {
  0: 'non-cacheable',
  1: 'write-back',
  2: 'write-through',
  3: 'reserved',
};

export const vaBits = (v: bigint): string => `${64 - Number(v)}-bit address range`;

/** MAIR_EL1-style attribute bytes: "Attr0 0x44, Attr1 0xff, …". */
export const mairBytes =
  (first: number) =>
  (v: bigint): string =>
    [0, 1, 2, 3]
      .map(
        (i) => `Attr${first + i} 0x${((v >> BigInt(8 * i)) & 0xffn).toString(16).padStart(2, '0')}`,
      )
      .join(', ');

/** The named or computed meaning of a value ("stage 1 translates", "PA 0x4001_0000"). */
export function valueMeaning(
  d: FieldDoc | undefined,
  value: bigint,
  lo: number,
): string | undefined {
  if (!d) return undefined;
  if (d.address) return `address 0x${(value << BigInt(lo)).toString(16)}`;
  const named = d.values?.[Number(value)];
  if (named !== undefined) return named;
  return d.describe?.(value);
}
