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
 * Every table page reachable from the table at `level` (for freeing a subtree), depth first. A
 * level-0 subtree can hold 2^18 tables: appended one by one, never spread into a call.
 */
export function subtables(
  mem: PhysMem,
  geo: Geometry,
  table: bigint,
  level: number,
  out: bigint[] = [],
): bigint[] {
  if (level >= 3) return out;
  const entries = Number(tableBytes(geo, level) / 8n);
  for (let i = 0; i < entries; i++) {
    const d = mem.read64(table + BigInt(i * 8)) ?? 0n;
    if (isTable(level, d)) {
      const next = tableAddr(geo, d);
      out.push(next);
      subtables(mem, geo, next, level + 1, out);
    }
  }
  return out;
}

export const leafSize = (geo: Geometry, level: number): bigint =>
  1n << BigInt(blockShift(geo.g, level));
