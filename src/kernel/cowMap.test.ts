// CowMap against the built-in Map: random sets, deletes, clears and copies (share) on random
// copies, then every copy must hold what a Map given the same operations holds, in the same
// iteration order — a copy never sees another's writes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CowMap } from './cowMap.ts';

type Key = bigint | number | string;
type Step =
  | { kind: 'set'; copy: number; key: Key; value: number }
  | { kind: 'delete'; copy: number; key: Key }
  | { kind: 'deleteSome'; copy: number; every: number }
  | { kind: 'deleteWhere'; copy: number; every: number }
  | { kind: 'clear'; copy: number }
  | { kind: 'share'; copy: number };

// Few distinct keys, so sets overwrite and deletes hit; page-aligned bigints like the kernel's.
const key: fc.Arbitrary<Key> = fc.oneof(
  fc.integer({ min: 0, max: 300 }).map((i) => 0x7f00_0000_0000n + (BigInt(i) << 12n)),
  fc.integer({ min: 0, max: 40 }),
  fc.constantFrom('gpu/app', 'nic/app', 'a', ''),
);
const copy = fc.integer({ min: 0, max: 7 });
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({ kind: fc.constant('set' as const), copy, key, value: fc.integer() }),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('delete' as const), copy, key }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deleteSome' as const),
      copy,
      every: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deleteWhere' as const),
      copy,
      every: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const), copy }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('share' as const), copy }) },
);

function play(steps: readonly Step[]): { cow: CowMap<Key, number>[]; ref: Map<Key, number>[] } {
  const cow = [new CowMap<Key, number>()];
  const ref = [new Map<Key, number>()];
  for (const s of steps) {
    const i = s.copy % cow.length;
    const c = cow[i]!;
    const r = ref[i]!;
    switch (s.kind) {
      case 'set':
        c.set(s.key, s.value);
        r.set(s.key, s.value);
        break;
      case 'delete':
        expect(c.delete(s.key)).toBe(r.delete(s.key));
        break;
      case 'deleteSome': {
        // Deleting while iterating, as Map allows (and the kernel's loops do).
        let n = 0;
        for (const [k] of c) if (n++ % s.every === 0) c.delete(k);
        n = 0;
        for (const [k] of r) if (n++ % s.every === 0) r.delete(k);
        break;
      }
      case 'deleteWhere': {
        // One pass; the callback sees the entries in order, as a deleting for-of loop does.
        const seen: Key[] = [];
        let n = 0;
        c.deleteWhere((k) => (seen.push(k), n++ % s.every === 0));
        expect(seen).toEqual([...r.keys()]);
        n = 0;
        for (const [k] of r) if (n++ % s.every === 0) r.delete(k);
        break;
      }
      case 'clear':
        c.clear();
        r.clear();
        break;
      case 'share':
        cow.push(c.share());
        ref.push(new Map(r));
        break;
    }
  }
  return { cow, ref };
}

describe('CowMap', () => {
  it('behaves as a Map in every copy, in insertion order', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 400 }), (steps) => {
        const { cow, ref } = play(steps);
        cow.forEach((c, i) => {
          const r = ref[i]!;
          expect([...c]).toEqual([...r]);
          expect([...c.keys()]).toEqual([...r.keys()]);
          expect([...c.values()]).toEqual([...r.values()]);
          expect(c.size).toBe(r.size);
          for (const k of r.keys()) {
            expect(c.has(k)).toBe(true);
            expect(c.get(k)).toBe(r.get(k));
          }
          expect(c.has(-1)).toBe(false);
          expect(c).toBeInstanceOf(Map);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('visits entries set during an iteration, as Map does', () => {
    const c = new CowMap<number, number>([[1, 1]]);
    const seen: number[] = [];
    for (const [k] of c) {
      seen.push(k);
      if (k < 200) c.set(k + 1, 0);
      if (k > 1) c.delete(k - 1);
    }
    expect(seen).toHaveLength(200);
    expect([...c.keys()]).toEqual([200]);
  });

  it('a copy shares its storage: a write after it copies one chunk (and one bucket for a new key)', () => {
    // Structural, not timed (the machine is shared): the copy holds the same chunk and bucket
    // objects as the original, and a write replaces only the one chunk and the one bucket it
    // touches. A deep copy would differ everywhere.
    type Inner = { kv: unknown[][]; buckets: Map<bigint, number>[] };
    const inner = (m: CowMap<bigint, { pa: bigint }>): Inner => m as unknown as Inner;
    const differ = <T>(a: readonly T[], b: readonly T[]): number =>
      a.filter((x, i) => x !== b[i]).length;
    const c = new CowMap<bigint, { pa: bigint }>();
    for (let i = 0n; i < 20_000n; i++) c.set(i << 12n, { pa: i });
    const copies: CowMap<bigint, { pa: bigint }>[] = [];
    for (let i = 0; i < 200; i++) {
      const copy = c.share();
      expect(differ(inner(c).kv, inner(copy).kv)).toBe(0);
      expect(differ(inner(c).buckets, inner(copy).buckets)).toBe(0);
      c.set(BigInt(i) << 12n, { pa: -1n }); // a new value for a key: its chunk only
      expect(differ(inner(c).kv, inner(copy).kv)).toBe(1);
      expect(differ(inner(c).buckets, inner(copy).buckets)).toBe(0);
      copies.push(copy);
    }
    const before = c.share();
    c.set(1n << 40n, { pa: 7n }); // a new key: the last chunk and the key's bucket
    expect(differ(inner(c).kv, inner(before).kv)).toBe(1);
    expect(differ(inner(c).buckets, inner(before).buckets)).toBe(1);
    expect(before.has(1n << 40n)).toBe(false);
    expect(inner(c).kv.length).toBe(Math.ceil(20_000 / 64));
    expect(copies[0]!.get(0n)!.pa).toBe(0n);
    expect(copies[199]!.get(0n)!.pa).toBe(-1n);
    expect(copies[199]!.get(199n << 12n)!.pa).toBe(199n);
    expect(c.get(199n << 12n)!.pa).toBe(-1n);
  });
});
