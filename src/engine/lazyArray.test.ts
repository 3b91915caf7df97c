// lazyArray: an array whose elements are made on first read, in one pass, and that behaves as
// the plain array of the same elements for every reader an op record has.
import { describe, expect, it } from 'vitest';
import { lazyArray, Words, type Columns } from './lazyArray.ts';

/** Columns of squares, counting how many elements were made. */
function squares(
  n: number,
): Columns<{ v: number }> & { n: number; made: number; generation: number } {
  return {
    n,
    made: 0,
    generation: 0,
    get length() {
      return this.n;
    },
    make(i: number) {
      this.made++;
      return { v: i * i };
    },
  };
}

describe('lazyArray', () => {
  it('reads its length without making any element', () => {
    const src = squares(5);
    const a = lazyArray(src);
    expect(a.length).toBe(5);
    expect(src.made).toBe(0);
  });

  it('is the plain array of its elements for map, filter, for…of, spread, index, JSON, matchers', () => {
    const src = squares(4);
    const a = lazyArray(src);
    expect(a[2]).toEqual({ v: 4 });
    expect(src.made).toBe(4); // all made at once, once
    expect(a.map((x) => x.v)).toEqual([0, 1, 4, 9]);
    expect(a.filter((x) => x.v % 2 === 1)).toEqual([{ v: 1 }, { v: 9 }]);
    const seen: number[] = [];
    for (const x of a) seen.push(x.v);
    expect(seen).toEqual([0, 1, 4, 9]);
    expect([...a].length).toBe(4);
    expect(a[4]).toBeUndefined();
    expect(a.at(-1)).toEqual({ v: 9 });
    expect(JSON.stringify(a)).toBe('[{"v":0},{"v":1},{"v":4},{"v":9}]');
    expect(a).toEqual([{ v: 0 }, { v: 1 }, { v: 4 }, { v: 9 }]);
    expect(a).not.toEqual([{ v: 0 }, { v: 1 }, { v: 4 }]);
    expect(Array.isArray(a)).toBe(true);
    expect(Object.keys(a)).toEqual(['0', '1', '2', '3']);
    expect(2 in a).toBe(true);
    expect(4 in a).toBe(false);
    expect(a[1]).toBe(a[1]); // the same object each time
    expect(src.made).toBe(4);
  });

  it('follows elements added later, and makes them again after a new generation', () => {
    const src = squares(2);
    const a = lazyArray(src);
    expect(a.map((x) => x.v)).toEqual([0, 1]);
    src.n = 3;
    expect(a.length).toBe(3);
    expect(a.map((x) => x.v)).toEqual([0, 1, 4]);
    const first = a[0];
    src.generation++;
    expect(a[0]).not.toBe(first);
    expect(src.made).toBe(6);
  });

  it('refuses writes', () => {
    const a = lazyArray(squares(2)) as { v: number }[];
    expect(Reflect.set(a, '0', { v: 7 })).toBe(false);
    expect(() => a.push({ v: 1 })).toThrow(TypeError);
    expect(() => a.sort()).toThrow(TypeError);
    expect(() => a.reverse()).toThrow(TypeError);
    expect(a.length).toBe(2);
    expect(Reflect.deleteProperty(a, '0')).toBe(false);
    expect(Reflect.defineProperty(a, '1', { value: { v: 5 } })).toBe(false);
    expect(a[0]).toEqual({ v: 0 });
  });
});

describe('Words', () => {
  it('grows by doubling and keeps what it held', () => {
    const w = new Words(3);
    for (let i = 0; i < 40; i++) {
      const at = w.grow();
      expect(at).toBe(3 * i);
      w.w[at] = BigInt(i);
      w.w[at + 2] = BigInt(i) << 58n;
    }
    expect(w.n).toBe(40);
    expect(w.w.length).toBe(192);
    expect(w.w[3 * 33]).toBe(33n);
    expect(w.w[3 * 39 + 2]).toBe(39n << 58n);
  });
});
