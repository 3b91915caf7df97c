// The physical page allocator: power-of-two blocks of 4 KB frames from RAM, aligned to their
// size (like the buddy allocator's orders), lowest free block first so runs are deterministic.
// Every block records its owner so the page can say what each frame holds.
import { hex } from '../engine/index.ts';

export type FrameUse =
  'strtab' | 'queue' | 'cdtable' | 'iopgtable' | 'pgtable' | 'user' | 'zero-page' | 'dma-buffer';

export interface FrameBlock {
  readonly pa: bigint;
  readonly order: number;
  readonly use: FrameUse;
  readonly label: string;
}

export interface Frames {
  base: bigint;
  end: bigint;
  /** Next never-used address (bump pointer). */
  next: bigint;
  /** Freed blocks by order, each list sorted by address. */
  free: Record<number, bigint[]>;
  /** Allocated blocks by PA (as a hex string key, for structuredClone-friendly plain data). */
  used: Map<bigint, FrameBlock>;
}

export const FRAME = 0x1000n;

export function makeFrames(base: bigint, size: bigint): Frames {
  return { base, end: base + size, next: base, free: {}, used: new Map() };
}

export const orderFor = (bytes: bigint): number => {
  let order = 0;
  while (FRAME << BigInt(order) < bytes) order++;
  return order;
};

/** Allocates 2^order frames aligned to their size; undefined when RAM is exhausted. */
export function allocFrames(
  f: Frames,
  bytes: bigint,
  use: FrameUse,
  label: string,
): bigint | undefined {
  const order = orderFor(bytes);
  const size = FRAME << BigInt(order);
  const list = f.free[order];
  let pa: bigint | undefined = list?.shift();
  if (pa === undefined) {
    const aligned = (f.next + size - 1n) & ~(size - 1n);
    if (aligned + size > f.end) return undefined;
    // Keep the alignment gap usable for smaller blocks.
    for (let gap = f.next; gap < aligned;) {
      let o = 0;
      while (gap % (FRAME << BigInt(o + 1)) === 0n && gap + (FRAME << BigInt(o + 1)) <= aligned)
        o++;
      insertFree(f, o, gap);
      gap += FRAME << BigInt(o);
    }
    pa = aligned;
    f.next = aligned + size;
  }
  f.used.set(pa, { pa, order, use, label });
  return pa;
}

function insertFree(f: Frames, order: number, pa: bigint): void {
  const list = (f.free[order] ??= []);
  let i = 0;
  while (i < list.length && list[i]! < pa) i++;
  list.splice(i, 0, pa);
}

export function freeFrames(f: Frames, pa: bigint): void {
  const b = f.used.get(pa);
  if (!b) throw new Error(`freeing ${hex(pa)}, which is not allocated`);
  f.used.delete(pa);
  insertFree(f, b.order, pa);
}

export function frameBytes(b: FrameBlock): bigint {
  return FRAME << BigInt(b.order);
}

/** The block containing `pa`, if any (for the diagram's "what is this frame" label). */
export function blockAt(f: Frames, pa: bigint): FrameBlock | undefined {
  for (const b of f.used.values()) if (pa >= b.pa && pa < b.pa + frameBytes(b)) return b;
  return undefined;
}
