// The walk's fast path (numbers instead of BigInts, taken without a trace when descriptors are
// read straight from memory) must give exactly what the full walk gives, or leave the answer to
// it. Random chains of descriptors — mostly valid tables with random attribute and address bits
// (APTable, PXN/UXNTable, addresses beyond the output size), random leaves, invalid and reserved
// words — for every granule, start level, output size and both stages, at random addresses
// (including ones above 2^53). The full walk runs with a trace, which keeps it off the fast path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PhysMem } from './memory.ts';
import { walk, type Fetch, type WalkParams } from './walk.ts';

const RAM = { base: 0x4000_0000n, size: 0x1_0000_0000n };
const U64 = (1n << 64n) - 1n;

const descriptor = fc.oneof(
  // A valid table (bits[1:0] = 0b11) at a 4 KB-aligned address inside RAM, random upper bits.
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 0xfff }), fc.bigInt({ min: 0n, max: 0xfffn }))
      .map(([page, attrs]) => ({ kind: 'table' as const, page, attrs })),
  },
  // Any word at all: invalid, block, reserved, addresses beyond the output size, random bits.
  {
    weight: 3,
    arbitrary: fc.bigInt({ min: 0n, max: U64 }).map((w) => ({ kind: 'raw' as const, w })),
  },
);

describe('walk fast path', () => {
  it('gives the full walk’s answer for random descriptor chains', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(12, 14, 16),
        fc.integer({ min: 25, max: 48 }),
        fc.integer({ min: 32, max: 48 }),
        fc.constantFrom(1, 2),
        fc.boolean(),
        fc.array(descriptor, { minLength: 4, maxLength: 4 }),
        fc.oneof(fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }), fc.bigInt({ min: 0n, max: U64 })),
        (g, inputSize, oaBits, stage, had, chain, ia) => {
          const mem = new PhysMem([RAM]);
          const s = g - 3;
          let startLevel = 3;
          while (startLevel > 0 && g + (4 - startLevel) * s < inputSize) startLevel--;
          const table = (page: number): bigint => RAM.base + (BigInt(page) << 16n);
          let at = table(0x1000);
          // Each level's descriptor goes where the walk will look for it.
          for (let level = startLevel, k = 0; level <= 3; level++, k++) {
            const lo = g + (3 - level) * s;
            const hi = level === startLevel ? inputSize - 1 : Math.min(lo + s - 1, inputSize - 1);
            const index = (ia >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n);
            const c = chain[k]!;
            const next = table(c.kind === 'table' ? c.page : 0);
            const word =
              c.kind === 'table' ? (c.attrs << 52n) | next | 3n | (c.attrs & 0x3fcn) : c.w;
            mem.write64(at + index * 8n, word);
            at = c.kind === 'table' ? next : at;
          }
          const p: WalkParams = {
            stage: stage,
            g: g,
            inputSize,
            startLevel,
            ttb: table(0x1000),
            oaBits,
            had,
            inputName: stage === 1 ? 'VA' : 'IPA',
          };
          const fetch: Fetch = (addr) => {
            const value = mem.read64(addr);
            return value === undefined
              ? {
                  ok: false,
                  fault: { kind: 'F_WALK_EABT', stage: 1, class: 'TT', fetchAddr: addr, why: 'x' },
                }
              : { ok: true, value, pa: addr };
          };
          expect(walk(p, ia, fetch, null, mem)).toEqual(walk(p, ia, fetch, []));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
