// Shared pieces of the walk property tests: VMSAv8-64 geometry written out from the Arm ARM
// (D8.2) and smmuv3.md §4.1/§4.8 — not imported from granule.ts — random mapping wishes, and the
// reference model: a plain Map from (leaf size, input block number) to the output block base.
import fc from 'fast-check';

export const RAM = 0x4000_0000n;
export const RAM_SIZE = 0xc000_0000n; // platform default: 0x4000_0000..0x1_0000_0000

export interface Granule {
  readonly name: string;
  /** log2 of the granule: 12, 14 or 16. */
  readonly g: number;
  /** CD.TG0 encoding: 00 4 KB, 01 64 KB, 10 16 KB (§3.2). */
  readonly tg0: number;
  /** STE.S2TG encoding: the same values (§2.1). */
  readonly s2tg: number;
}

export const GRANULES: readonly Granule[] = [
  { name: '4 KB', g: 12, tg0: 0, s2tg: 0 },
  { name: '16 KB', g: 14, tg0: 2, s2tg: 2 },
  { name: '64 KB', g: 16, tg0: 1, s2tg: 1 },
];

/** Lowest input bit a level resolves: g + (3 − level)(g − 3). */
export const shiftAt = (g: number, level: number): number => g + (3 - level) * (g - 3);

/** Stage-1 start level (smmuv3.md §4.1): 4 − ⌊(inputsize − 4) / (g − 3)⌋. */
export const s1Start = (g: number, inputSize: number): number =>
  4 - Math.floor((inputSize - 4) / (g - 3));

/**
 * Leaf levels a walk from `start` may end at without DS/52-bit OA (smmuv3.md §4.1): pages at L3;
 * blocks at L1/L2 for 4 KB, L2 only for 16 KB and 64 KB; and never larger than the input range.
 */
export function leafLevels(g: number, start: number, inputSize: number): number[] {
  const blocks = g === 12 ? [2, 1] : [2];
  return [3, ...blocks].filter((l) => l >= start && shiftAt(g, l) < inputSize);
}

/**
 * Stage-2 start levels S2SL0 can name (§4.8): 4 KB 0→L2, 1→L1, 2→L0; 16/64 KB 0→L3, 1→L2, 2→L1,
 * where the start table resolves 1..(g−3)+4 bits (up to 16 concatenated tables). [level, SL0].
 */
export function s2Starts(g: number, inputSize: number): [number, number][] {
  const sl0: [number, number][] =
    g === 12
      ? [
          [2, 0],
          [1, 1],
          [0, 2],
        ]
      : [
          [3, 0],
          [2, 1],
          [1, 2],
        ];
  return sl0.filter(([level]) => {
    const bits = inputSize - shiftAt(g, level);
    return bits >= 1 && bits <= g - 3 + 4;
  });
}

export const wish = fc.record({
  kind: fc.nat(),
  ia: fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }),
  oa: fc.bigInt({ min: 0n, max: RAM_SIZE - 1n }),
  offset: fc.bigInt({ min: 0n, max: (1n << 30n) - 1n }),
});
export type Wish = { kind: number; ia: bigint; oa: bigint; offset: bigint };

export interface Mapping {
  readonly level: number;
  readonly shift: number;
  /** Input block base (VA or IPA). */
  readonly ia: bigint;
  /** Output block base. */
  readonly oa: bigint;
  /** An offset inside the block to test with. */
  readonly offset: bigint;
}

/**
 * Turns wishes into mappings of `levels` inside an `inputSize`-bit input range whose input
 * ranges are disjoint; outputs land in [oaBase, oaBase + RAM_SIZE).
 */
export function choose(
  g: number,
  levels: readonly number[],
  inputSize: number,
  wishes: readonly Wish[],
  oaBase = RAM,
): Mapping[] {
  const kept: Mapping[] = [];
  for (const w of wishes) {
    const level = levels[w.kind % levels.length]!;
    const shift = shiftAt(g, level);
    const size = 1n << BigInt(shift);
    const ia = w.ia & ((1n << BigInt(inputSize)) - 1n) & ~(size - 1n);
    const oa = oaBase + (w.oa & ~(size - 1n));
    const clash = kept.some((k) => {
      const s = BigInt(Math.max(k.shift, shift));
      return k.ia >> s === ia >> s;
    });
    if (!clash) kept.push({ level, shift, ia, oa, offset: w.offset & (size - 1n) });
  }
  return kept;
}

/** The reference: a Map keyed by leaf size and input block number. */
export function reference(maps: readonly Mapping[]): (ia: bigint) => bigint | undefined {
  const blocks = new Map<string, bigint>(
    maps.map((m) => [`${m.shift}:${m.ia >> BigInt(m.shift)}`, m.oa]),
  );
  const shifts = [...new Set(maps.map((m) => m.shift))];
  return (ia) => {
    for (const shift of shifts) {
      const base = blocks.get(`${shift}:${ia >> BigInt(shift)}`);
      if (base !== undefined) return base | (ia & ((1n << BigInt(shift)) - 1n));
    }
    return undefined;
  };
}
