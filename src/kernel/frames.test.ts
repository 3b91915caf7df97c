// The frame allocator's choices must not depend on how its free lists are stored: against the
// allocator as it was written first (sorted arrays, linear insert — kept here as the reference),
// random allocations and frees of every order give the same address every time. And freeing is
// linear in total, where the sorted-array insert was quadratic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocFrames, blockAt, FRAME, freeFrames, makeFrames, orderFor } from './frames.ts';
import { cloneKernel, type KernelState } from './state.ts';

/** The first allocator, verbatim in behaviour: per order a sorted array, lowest block first. */
class Reference {
  next: bigint;
  free: Record<number, bigint[]> = {};
  used = new Map<bigint, number>();
  constructor(
    base: bigint,
    readonly end: bigint,
  ) {
    this.next = base;
  }
  insert(order: number, pa: bigint): void {
    const list = (this.free[order] ??= []);
    let i = 0;
    while (i < list.length && list[i]! < pa) i++;
    list.splice(i, 0, pa);
  }
  alloc(bytes: bigint): bigint | undefined {
    const order = orderFor(bytes);
    const size = FRAME << BigInt(order);
    let pa = this.free[order]?.shift();
    if (pa === undefined) {
      const aligned = (this.next + size - 1n) & ~(size - 1n);
      if (aligned + size > this.end) return undefined;
      for (let gap = this.next; gap < aligned;) {
        let o = 0;
        while (gap % (FRAME << BigInt(o + 1)) === 0n && gap + (FRAME << BigInt(o + 1)) <= aligned)
          o++;
        this.insert(o, gap);
        gap += FRAME << BigInt(o);
      }
      pa = aligned;
      this.next = aligned + size;
    }
    this.used.set(pa, order);
    return pa;
  }
  release(pa: bigint): void {
    this.insert(this.used.get(pa)!, pa);
    this.used.delete(pa);
  }
}

type Step = { kind: 'alloc'; order: number } | { kind: 'free'; pick: number } | { kind: 'copy' };
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('alloc' as const),
      order: fc.integer({ min: 0, max: 5 }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'copy' as const }) },
);

describe('frame allocator', () => {
  it('returns the same block as the sorted-array allocator, through frees and copies', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const base = 0x8000_0000n;
        const end = base + 0x20_0000n; // 512 frames: the end of RAM is reached too
        let f = makeFrames(base, end - base);
        const ref = new Reference(base, end);
        const live: bigint[] = [];
        for (const s of steps) {
          if (s.kind === 'alloc') {
            const bytes = FRAME << BigInt(s.order);
            const pa = allocFrames(f, bytes, 'user', 'x');
            expect(pa).toBe(ref.alloc(bytes));
            if (pa !== undefined) live.push(pa);
          } else if (s.kind === 'free' && live.length > 0) {
            const [pa] = live.splice(s.pick % live.length, 1);
            freeFrames(f, pa!);
            ref.release(pa!);
          } else if (s.kind === 'copy') {
            // A checkpoint: the copy goes on, the original must stay as it was.
            const before = [...f.used.keys()];
            const copy = cloneKernel({ frames: f } as KernelState).frames;
            allocFrames(copy, FRAME, 'user', 'y');
            expect([...f.used.keys()]).toEqual(before);
            f = cloneKernel({ frames: f } as KernelState).frames;
          }
        }
        expect(f.next).toBe(ref.next);
        for (const [order, list] of Object.entries(ref.free))
          expect([...(f.free[Number(order)] ?? [])]).toEqual(list);
      }),
      { numRuns: 300 },
    );
  });

  it('blockAt finds the block holding any byte of it, and nothing in free frames', () => {
    const f = makeFrames(0x8000_0000n, 0x100_0000n);
    const a = allocFrames(f, FRAME, 'pgtable', 'a')!;
    const b = allocFrames(f, 0x1_0000n, 'cdtable', 'b')!; // 64 KB, aligned: a gap after a
    expect(blockAt(f, a + 0xff8n)?.label).toBe('a');
    expect(blockAt(f, b)?.label).toBe('b');
    expect(blockAt(f, b + 0xfff8n)?.label).toBe('b');
    expect(blockAt(f, b + 0x1_0000n)).toBeUndefined();
    expect(blockAt(f, a + FRAME)).toBeUndefined(); // in the alignment gap, on a free list
  });
});
