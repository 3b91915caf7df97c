// FreeList against a sorted array (the allocator's old free list): random adds, removals of the
// lowest, deletes and copies on random copies; every copy must hold the same addresses in the same
// order, and a copy never sees another's writes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FreeList } from './freeList.ts';

type Step =
  { kind: 'add' | 'delete'; copy: number; pa: bigint } | { kind: 'take' | 'share'; copy: number };

const pa = fc.integer({ min: 0, max: 600 }).map((i) => 0x8000_0000n + (BigInt(i) << 12n));
const copy = fc.integer({ min: 0, max: 5 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('add' as const), copy, pa }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), copy, pa }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('take' as const), copy }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('share' as const), copy }) },
);
// Runs of ascending addresses: what freeing a range produces (appends to the last chunk).
const run = fc
  .tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 300 }), copy)
  .map(([start, n, c]) =>
    Array.from({ length: n }, (_, i): Step => ({
      kind: 'add',
      copy: c,
      pa: BigInt(start + i) << 12n,
    })),
  );

describe('FreeList', () => {
  it('holds what a sorted array holds, in every copy; the lowest comes out first', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            step.map((s) => [s]),
            run,
          ),
          { maxLength: 120 },
        ),
        (chunks) => {
          const lists = [new FreeList()];
          const refs: bigint[][] = [[]];
          for (const s of chunks.flat()) {
            const i = s.copy % lists.length;
            const l = lists[i]!;
            const r = refs[i]!;
            if (s.kind === 'add') {
              l.add(s.pa);
              if (!r.includes(s.pa)) {
                r.push(s.pa);
                r.sort((a, b) => (a < b ? -1 : 1));
              }
            } else if (s.kind === 'delete') {
              const at = r.indexOf(s.pa);
              expect(l.delete(s.pa)).toBe(at >= 0);
              if (at >= 0) r.splice(at, 1);
            } else if (s.kind === 'take') expect(l.takeLowest()).toBe(r.shift());
            else {
              lists.push(l.share());
              refs.push([...r]);
            }
          }
          lists.forEach((l, i) => {
            expect([...l]).toEqual(refs[i]);
            expect(l.size).toBe(refs[i]!.length);
            for (const x of refs[i]!) expect(l.has(x)).toBe(true);
            expect(l).toBeInstanceOf(Set);
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
