// The physical page allocator: power-of-two blocks of 4 KB frames from RAM, aligned to their
// size (like the buddy allocator's orders), lowest free block first so runs are deterministic.
// Every block records its owner so the page can say what each frame holds. The free lists and the
// map of used blocks share their storage between checkpoints (FreeList, CowMap).
import { hex } from '../engine/index.ts';
import { CowMap } from './cowMap.ts';
import { FreeList } from './freeList.ts';

export type FrameUse =
  | 'strtab'
  | 'queue'
  | 'cdtable'
  | 'iopgtable'
  | 'pgtable'
  | 'user'
  | 'zero-page'
  | 'dma-buffer'
  | 'guest-ram';

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
  free: Record<number, FreeList>;
  /** Allocated blocks by PA. */
  used: CowMap<bigint, FrameBlock>;
}

export const FRAME = 0x1000n;

export function makeFrames(base: bigint, size: bigint): Frames {
  return { base, end: base + size, next: base, free: {}, used: new CowMap() };
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
  let pa: bigint | undefined = f.free[order]?.takeLowest();
  if (pa === undefined) {
    const aligned = (f.next + size - 1n) & ~(size - 1n);
    if (aligned + size > f.end) return undefined;
    // Keep the alignment gap usable for smaller blocks.
    eachBlock(f.next, aligned, (o, gap) => insertFree(f, o, gap));
    pa = aligned;
    f.next = aligned + size;
  }
  f.used.set(pa, { pa, order, use, label });
  return pa;
}

/** Splits [from, to) into the largest size-aligned blocks, in address order. */
function eachBlock(from: bigint, to: bigint, fn: (order: number, pa: bigint) => void): void {
  for (let pa = from; pa < to;) {
    let o = 0;
    while (pa % (FRAME << BigInt(o + 1)) === 0n && pa + (FRAME << BigInt(o + 1)) <= to) o++;
    fn(o, pa);
    pa += FRAME << BigInt(o);
  }
}

/**
 * Takes [pa, pa+bytes) for one owner (guest RAM at a PA the scenario chose): only memory the
 * allocator never handed out (at or above its bump pointer) — a model simplification; the gap
 * below stays free. Recorded as size-aligned blocks. False when the range is not available.
 */
export function claimFrames(
  f: Frames,
  pa: bigint,
  bytes: bigint,
  use: FrameUse,
  label: string,
): boolean {
  if (pa % FRAME !== 0n || bytes % FRAME !== 0n || pa < f.next || pa + bytes > f.end) return false;
  eachBlock(f.next, pa, (o, gap) => insertFree(f, o, gap));
  eachBlock(pa, pa + bytes, (order, b) => f.used.set(b, { pa: b, order, use, label }));
  f.next = pa + bytes;
  return true;
}

function insertFree(f: Frames, order: number, pa: bigint): void {
  (f.free[order] ??= new FreeList()).add(pa);
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

/** Orders above this hold no block: 2^52 bytes, the largest physical address space. */
const MAX_ORDER = 40;

/**
 * The block containing `pa`, if any (for the diagram's "what is this frame" label). Blocks are
 * aligned to their size and never overlap, so it is the block at `pa` rounded down to one of the
 * orders: one lookup per order, whatever the number of blocks.
 */
export function blockAt(f: Frames, pa: bigint): FrameBlock | undefined {
  for (let o = 0; o <= MAX_ORDER; o++) {
    const b = f.used.get(pa & ~((FRAME << BigInt(o)) - 1n));
    if (b && b.order === o) return b;
  }
  return undefined;
}
