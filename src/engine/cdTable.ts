// CD table geometry (§5.2 STE.S1Fmt/S1CDMax, §5.3 L1CD): linear, or two-level with leaves of 64
// or 1024 CDs. One home for the arithmetic, shared by the CD fetch and by anything that lists a
// table's CDs (the diagram).
import { bitsOf, ones } from './bits.ts';
import { S1FMT } from './ste.ts';

/**
 * log2(CDs per leaf) of a two-level CD table, by STE.S1Fmt: 0b01 4 KB leaves of 64 CDs, 0b10
 * 64 KB leaves of 1024 CDs. Undefined for a linear table (0b00, and reserved 0b11, which behaves
 * as linear).
 */
export function cdLeafBits(s1fmt: number): 6 | 10 | undefined {
  return s1fmt === S1FMT.L2_4K ? 6 : s1fmt === S1FMT.L2_64K ? 10 : undefined;
}

/** L1CD.L2Ptr as written (§5.3): the leaf's address bits [55:12]. */
export const l1cdPtr = (desc: bigint): bigint => bitsOf(desc, 55, 12) << 12n;

/**
 * The leaf CD table an L1CD points at: L2Ptr with the bits below the leaf's size ignored (the
 * leaf is aligned to its size), or undefined when L1CD.V=0.
 */
export function l1cdLeaf(desc: bigint, leafBits: number): bigint | undefined {
  return (desc & 1n) === 0n ? undefined : l1cdPtr(desc) & ~ones(leafBits + 6);
}

/** How many L1CDs a two-level table of 2^S1CDMax CDs has (at least one). */
export const l1cdCount = (s1cdmax: number, leafBits: number): number =>
  2 ** Math.max(0, s1cdmax - leafBits);

/** The L1CD index of a SubstreamID (0 when the table fits in one leaf). */
export const l1cdIndex = (ssid: number, s1cdmax: number, leafBits: number): number =>
  s1cdmax > leafBits ? ssid >>> leafBits : 0;
