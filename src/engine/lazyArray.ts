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

/** What one lazy array keeps: its source and the elements made so far. */
interface State<T> {
  readonly src: Columns<T>;
  readonly real: T[];
  generation: number | undefined;
}

/** Each view's state, keyed by its (empty) target: one handler serves every view. */
const states = new WeakMap<object, State<unknown>>();

/** Every element of the view on `t`, made once (again after its source's generation changed). */
function fill(t: object): unknown[] {
  const s = states.get(t)!;
  if (s.src.generation !== s.generation) {
    s.real.length = 0;
    s.generation = s.src.generation;
  }
  for (let i = s.real.length; i < s.src.length; i++) s.real.push(s.src.make(i));
  return s.real;
}

const length = (t: object): number => states.get(t)!.src.length;
const refuse = (): boolean => false;

// Shared by every view: a 10k-op timeline holds two views per op, and a handler of closures per
// view cost more than the columns it saved.
const HANDLER: ProxyHandler<unknown[]> = {
  get(t, k) {
    if (k === 'length') return length(t);
    // A method that writes runs on the view itself, which refuses the write.
    if (k === 'constructor' || MUTATORS.has(k)) return Reflect.get(t, k) as unknown;
    const i = indexOf(k);
    if (i >= 0) return i < length(t) ? fill(t)[i] : undefined;
    const a = fill(t);
    const v = Reflect.get(a, k) as unknown;
    return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(a) : v;
  },
  has(t, k) {
    const i = indexOf(k);
    return i >= 0 ? i < length(t) : Reflect.has(t, k);
  },
  ownKeys(t) {
    const keys: (string | symbol)[] = Array.from({ length: length(t) }, (_, i) => String(i));
    return keys.concat(Reflect.ownKeys(t));
  },
  getOwnPropertyDescriptor(t, k) {
    // The target's own length is non-configurable: reported as such, with the current count.
    if (k === 'length')
      return { value: length(t), writable: true, enumerable: false, configurable: false };
    const i = indexOf(k);
    if (i < 0) return Reflect.getOwnPropertyDescriptor(t, k);
    return i < length(t)
      ? { value: fill(t)[i], writable: false, enumerable: true, configurable: true }
      : undefined;
  },
  set: refuse,
  defineProperty: refuse,
  deleteProperty: refuse,
};

/**
 * The array of `src`'s elements. Its length is read from `src`; anything else (an element, map,
 * filter, for…of) first makes every element not made yet — once, in one pass — and then runs
 * on that plain array at its own speed.
 */
export function lazyArray<T>(src: Columns<T>): readonly T[] {
  const target: unknown[] = [];
  states.set(target, { src, real: [], generation: src.generation });
  return new Proxy(target, HANDLER) as readonly T[];
}

/** Room for `n` entries after `cap`: double, from 4 (most ops record a handful). */
export const nextCapacity = (cap: number): number => Math.max(4, 2 * cap);

/**
 * Growable columns of 64-bit words, `width` per entry. Empty until the first entry: every op of a
 * timeline owns a journal and a command record, most of them short or empty, so a preallocated
 * buffer per column would cost the 10k-op timeline tens of MB.
 */
export class Words {
  n = 0;
  w = new BigUint64Array(0);

  constructor(readonly width: number) {}

  /** Room for one more entry; returns its first word's index. */
  grow(): number {
    if ((this.n + 1) * this.width > this.w.length) {
      const next = new BigUint64Array(nextCapacity(this.n) * this.width);
      next.set(this.w);
      this.w = next;
    }
    return this.n++ * this.width;
  }
}
