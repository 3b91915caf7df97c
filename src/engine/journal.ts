// The words an op wrote (PhysMem.journal, the record's `writes`), in columns: address, old and
// new value, sequence number. A 1 GB unmap of 4 KB pages writes 262,403 words (a command queue
// slot per TLBI); an object and a BigInt per write were a quarter of the op's garbage. Each
// MemWrite is made when the record's list is first read (lazyArray.ts).
import { lazyArray, nextCapacity, Words } from './lazyArray.ts';

/** One word written: what the record of an op lists. */
export interface MemWrite {
  readonly pa: bigint;
  readonly old: bigint;
  readonly new: bigint;
  /** Position in the op's sequence of activity (see PhysMem.clock). */
  readonly seq?: number;
}

export class WriteJournal {
  /** Per write: address, old value, new value. */
  private readonly words = new Words(3);
  /** Per write: its sequence number, -1 when the op was not being recorded. */
  private seqs = new Int32Array(0);
  /** The writes as a read-only array, each made when read (lazyArray.ts). */
  readonly list: readonly MemWrite[] = lazyArray(this);

  /** Counts clear() calls: a list made before one is made again. */
  generation = 0;

  get length(): number {
    return this.words.n;
  }

  push(pa: bigint, old: bigint, value: bigint, seq?: number): void {
    const i = this.words.n;
    const at = this.words.grow();
    this.words.w[at] = pa;
    this.words.w[at + 1] = old;
    this.words.w[at + 2] = value;
    if (i === this.seqs.length) {
      const next = new Int32Array(nextCapacity(i));
      next.set(this.seqs);
      this.seqs = next;
    }
    this.seqs[i] = seq ?? -1;
  }

  /** Write `i` (0 ≤ i < length). */
  make(i: number): MemWrite {
    const w = this.words.w;
    const seq = this.seqs[i]!;
    const pa = w[3 * i]!;
    const old = w[3 * i + 1]!;
    const nw = w[3 * i + 2]!;
    return seq >= 0 ? { pa, old, new: nw, seq } : { pa, old, new: nw };
  }

  /** Address and old value of write `i` (0 ≤ i < length), for undoing it. */
  old(i: number): [pa: bigint, old: bigint] {
    return [this.words.w[3 * i]!, this.words.w[3 * i + 1]!];
  }

  /** Forgets every write (an op undone). */
  clear(): void {
    this.words.n = 0;
    this.generation++;
  }
}
