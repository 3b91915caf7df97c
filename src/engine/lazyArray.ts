// A read-only array whose elements are made when they are read: what an op's record hands out
// for lists kept in columns (the commands it consumed, the words it wrote — 262,145 of each for a
// 1 GB unmap of 4 KB pages). Code that reads records uses it as the array it is typed as: length,
// indexing, map, filter, for…of, JSON, test matchers. Writes are refused.

/** `k` as an array index ("0", "17"), or -1. */
function indexOf(k: string | symbol): number {
  if (typeof k !== 'string' || k.length === 0) return -1;
  const c = k.charCodeAt(0);
  if (c < 48 || c > 57) return -1;
  const i = Number(k);
  return Number.isInteger(i) && String(i) === k ? i : -1;
}

const MUTATORS = new Set<string | symbol>([
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'sort',
  'reverse',
  'fill',
  'copyWithin',
]);

/** What a lazy array reads: how many elements there are now, and how to make element i. */
export interface Columns<T> {
  readonly length: number;
  make(i: number): T;
  /** Changes when elements already made are no longer valid (a journal cleared). */
  readonly generation?: number;
}

/**
 * The array of `src`'s elements. Its length is read from `src`; anything else (an element, map,
 * filter, for…of) first makes every element not made yet — once, in one pass — and then runs
 * on that plain array at its own speed.
 */
export function lazyArray<T>(src: Columns<T>): readonly T[] {
  const real: T[] = [];
  let generation = src.generation;
  const fill = (): T[] => {
    if (src.generation !== generation) {
      real.length = 0;
      generation = src.generation;
    }
    for (let i = real.length; i < src.length; i++) real.push(src.make(i));
    return real;
  };
  const refuse = (): boolean => false;
  return new Proxy<T[]>([], {
    get(t, k) {
      if (k === 'length') return src.length;
      // A method that writes runs on the view itself, which refuses the write.
      if (k === 'constructor' || MUTATORS.has(k)) return Reflect.get(t, k) as unknown;
      const i = indexOf(k);
      if (i >= 0) return i < src.length ? fill()[i] : undefined;
      const a = fill();
      const v = Reflect.get(a, k) as unknown;
      return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(a) : v;
    },
    has(t, k) {
      const i = indexOf(k);
      return i >= 0 ? i < src.length : Reflect.has(t, k);
    },
    ownKeys(t) {
      const keys: (string | symbol)[] = Array.from({ length: src.length }, (_, i) => String(i));
      return keys.concat(Reflect.ownKeys(t));
    },
    getOwnPropertyDescriptor(t, k) {
      // The target's own length is non-configurable: reported as such, with the current count.
      if (k === 'length')
        return { value: src.length, writable: true, enumerable: false, configurable: false };
      const i = indexOf(k);
      if (i < 0) return Reflect.getOwnPropertyDescriptor(t, k);
      return i < src.length
        ? { value: fill()[i], writable: false, enumerable: true, configurable: true }
        : undefined;
    },
    set: refuse,
    defineProperty: refuse,
    deleteProperty: refuse,
  });
}

/** Growable columns of 64-bit words, `width` per entry. */
export class Words {
  n = 0;
  w: BigUint64Array;

  constructor(readonly width: number) {
    this.w = new BigUint64Array(32 * width);
  }

  /** Room for one more entry; returns its first word's index. */
  grow(): number {
    if ((this.n + 1) * this.width > this.w.length) {
      const next = new BigUint64Array(this.w.length * 2);
      next.set(this.w);
      this.w = next;
    }
    return this.n++ * this.width;
  }
}
