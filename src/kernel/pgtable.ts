// Editing VMSAv8-64 translation tables in simulated memory — shared by the CPU's page tables
// (arm64 pgtable) and io-pgtable-arm, which use the same format with different attributes.
import {
  ones,
  blockShift,
  levelBits,
  startLevel,
  type GranuleShift,
  type PhysMem,
} from '../engine/index.ts';

export interface Geometry {
  readonly g: GranuleShift;
  readonly inputSize: number;
  readonly startLevel: number;
}

export const geometry = (g: GranuleShift, inputSize: number): Geometry => ({
  g,
  inputSize,
  startLevel: startLevel(g, inputSize),
});

export function indexAt(geo: Geometry, level: number, va: bigint): number {
  const [hiNat, lo] = levelBits(geo.g, level, geo.inputSize);
  const hi = level === geo.startLevel ? geo.inputSize - 1 : hiNat;
  return Number((va >> BigInt(lo)) & ones(hi - lo + 1));
}

/** Bytes of the table at `level` (the start level may be smaller than a granule). */
export function tableBytes(geo: Geometry, level: number): bigint {
  const [, lo] = levelBits(geo.g, level, geo.inputSize);
  const hi = level === geo.startLevel ? geo.inputSize - 1 : lo + geo.g - 4;
  return 8n << BigInt(hi - lo + 1);
}

const tableAddr = (geo: Geometry, desc: bigint): bigint => desc & ones(48) & ~ones(geo.g);
const isTable = (level: number, desc: bigint): boolean => level < 3 && (desc & 3n) === 3n;

export interface Slot {
  readonly level: number;
  /** Physical address of the descriptor slot. */
  readonly pa: bigint;
  readonly desc: bigint;
}

/**
 * Walks to the slot at `level` for `va`. Missing tables are created with `alloc` (which returns a
 * zeroed table and its descriptor); without it, or when a block sits higher up, returns the
 * blocking slot instead (its level is < `level`).
 */
export function slotAt(
  mem: PhysMem,
  geo: Geometry,
  root: bigint,
  va: bigint,
  level: number,
  alloc?: (level: number) => { pa: bigint; desc: bigint },
): Slot {
  let table = root;
  for (let l = geo.startLevel; ; l++) {
    const pa = table + BigInt(indexAt(geo, l, va) * 8);
    const desc = mem.read64(pa) ?? 0n;
    if (l === level) return { level: l, pa, desc };
    if (isTable(l, desc)) {
      table = tableAddr(geo, desc);
      continue;
    }
    if ((desc & 1n) === 0n && alloc) {
      const t = alloc(l + 1);
      mem.write64(pa, t.desc);
      table = t.pa;
      continue;
    }
    return { level: l, pa, desc };
  }
}

/** The valid leaf (block or page) that maps `va`, if any. */
export function findLeaf(mem: PhysMem, geo: Geometry, root: bigint, va: bigint): Slot | undefined {
  const s = slotAt(mem, geo, root, va, 3);
  return (s.desc & 1n) === 1n && !isTable(s.level, s.desc) ? s : undefined;
}

/**
 * The tables of the subtree under `table` (at `level`, included), depth first, for freeing it.
 * Only tables in `own` — the io-pgtable's record of the tables it allocated — are followed and
 * collected, each once (they are taken out of `own`): a descriptor pointing anywhere else, only
 * ever written behind the kernel's back (a cycle back to the root, a table of another owner, a
 * frame that is no table), goes to `foreign` and is neither followed nor freed. Linux's
 * __arm_lpae_free_pgtable trusts the descriptors and would free it; the model keeps its frame
 * allocator sound instead. A level-0 subtree can hold 2^18 tables: appended one by one, never
 * spread into a call, and walked with a stack, not recursion.
 */
export function subtables(
  mem: PhysMem,
  geo: Geometry,
  table: bigint,
  level: number,
  own: Set<bigint>,
): { tables: bigint[]; foreign: bigint[] } {
  const tables: bigint[] = [];
  const foreign: bigint[] = [];
  if (!own.delete(table)) return { tables, foreign: [table] };
  const stack: [bigint, number][] = [[table, level]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [t, l] = top;
    tables.push(t);
    if (l >= 3) continue;
    const entries = Number(tableBytes(geo, l) / 8n);
    for (let i = entries - 1; i >= 0; i--) {
      const d = mem.read64(t + BigInt(i * 8)) ?? 0n;
      if (!isTable(l, d)) continue;
      const next = tableAddr(geo, d);
      if (own.delete(next)) stack.push([next, l + 1]);
      else foreign.push(next);
    }
  }
  return { tables, foreign };
}

export const leafSize = (geo: Geometry, level: number): bigint =>
  1n << BigInt(blockShift(geo.g, level));
