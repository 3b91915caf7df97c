// Invariants of a world, checked from first principles: the structures the SMMU would read are
// found by walking simulated memory from the registers (STRTAB_BASE → STE → CD table → CD →
// translation tables), never by trusting the kernel model's own pointers, and compared with what
// the kernel state says they should hold. Pure and read-only (memory is only read), so the UI may
// use it too. Used by the model-based property test (model.property.test.ts). One file per
// concern under invariants/: digest (comparing worlds), read (the SMMU's view of memory),
// structures (a), dma (b), caches (c), leaks (e).
import { checkAtc, checkConfigCache, checkTlb } from './invariants/caches.ts';
import { checkFrames } from './invariants/leaks.ts';
import { steReader } from './invariants/read.ts';
import { checkStructures, reachableCds, type ReachableCd } from './invariants/structures.ts';
import type { Violation } from './invariants/violation.ts';
import type { World } from './world.ts';

export * from './invariants/violation.ts';
export * from './invariants/digest.ts';
export * from './invariants/read.ts';
export * from './invariants/structures.ts';
export * from './invariants/caches.ts';
export * from './invariants/dma.ts';
export * from './invariants/leaks.ts';

/**
 * (a) + (c) + bookkeeping: what must hold after every completed op of a kernel-level scenario.
 * `cds` may be given when the caller knows the CD tables are unchanged since it scanned them;
 * `walks: false` skips re-walking every present page and leaf the kernel records (the costly
 * part of checkFrames).
 */
export function checkWorld(
  w: World,
  opts: { cds?: readonly ReachableCd[]; walks?: boolean } = {},
): Violation[] {
  const steOf = steReader(w);
  const live = opts.cds ?? reachableCds(w, steOf);
  return [
    ...checkStructures(w, steOf, live),
    ...checkConfigCache(w),
    ...checkTlb(w, live),
    ...checkAtc(w, steOf),
    ...checkFrames(w, opts.walks ?? true),
  ];
}
