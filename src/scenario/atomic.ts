// An op that fails changes nothing. Most failures happen in a kernel op's check phase, before
// anything is written; the exception is running out of frames half-way (ctx.ts allocZeroed):
// a populated mmap, a map, a bind or a fault that needs one more page after writing PTEs,
// committing a PASID or queueing commands. For such an op the runner keeps a savepoint and, if
// the op fails, undoes it: memory word by word from the op's write journal (newest first), the
// SMMU (registers, caches, queues' bookkeeping) and the kernel state from copies taken before.
//
// Copies cost time (the kernel state grows with the scenario), so they are taken only when the
// op could run out of memory at all: kernel/bound.ts bounds what each op can allocate, and with
// twice that still never handed out the op cannot fail after its check phase. On the default
// 3 GB of RAM no op needs a savepoint but the rare huge one (the 10,000-op benchmark takes none);
// on a small RAM (platform.smmu.ramSize) the ops near the end of memory take one. After a
// hardware-level op has changed memory or the SMMU behind the kernel's back (World.tampered),
// the kernel may notice the mismatch half-way through any op: every kernel op takes one.
import type { Smmu, WriteJournal } from '../engine/index.ts';
import {
  cloneKernel,
  mayRunOutOfMemory,
  type KernelError,
  type KernelOp,
  type KernelState,
} from '../kernel/index.ts';
import { sameData } from './invariants/digest.ts';
import type { World } from './world.ts';

export interface Savepoint {
  readonly smmu: Smmu;
  readonly kernel: KernelState;
}

/** What the world looked like before a kernel op that might fail half-way, or undefined. */
export function savepoint(w: World, op: KernelOp): Savepoint | undefined {
  const k = w.kernel;
  if (!k || (!w.tampered && !mayRunOutOfMemory(k, w.smmu.platform, op))) return undefined;
  return { smmu: w.smmu.clone(w.mem), kernel: cloneKernel(k) };
}

/** Cheap marks of a world's state, to tell whether a failed op without a savepoint changed it. */
export interface Marks {
  readonly next: bigint;
  readonly used: number;
}

export const marks = (w: World): Marks => ({
  next: w.kernel?.frames.next ?? 0n,
  used: w.kernel?.frames.used.size ?? 0,
});

/**
 * Undoes a failed op: reverts its memory writes and restores the SMMU and kernel from the
 * savepoint (in place: whoever holds the world keeps the same objects). Returns the number of
 * words reverted, or undefined when the op had changed nothing (a check-phase failure). Without
 * a savepoint the op must have failed before changing anything; if it did not, that is a kernel
 * bug (a check after a change, or an allocation bound too small) and it throws.
 */
export function undo(
  w: World,
  e: KernelError,
  journal: WriteJournal,
  sp: Savepoint | undefined,
  before: Marks,
): number | undefined {
  const after = marks(w);
  const log = w.smmu.log;
  const touched =
    journal.length > 0 ||
    after.next !== before.next ||
    after.used !== before.used ||
    log.commands.length + log.events.length + log.broadcasts.length > 0;
  if (!sp) {
    if (!touched) return undefined;
    throw new Error(
      `kernel bug: the op failed with ${e.errno} (${e.message}) after changing the world (${journal.length} word(s) written, frames ${before.used} → ${after.used}) and kept no savepoint`,
    );
  }
  // Kernel bookkeeping (an IDR entry, an ASID) may have changed with nothing else: compare.
  const changed = touched || !sameData(sp.kernel, w.kernel);
  const n = journal.length;
  const saved = w.mem.journal;
  w.mem.journal = null;
  for (let i = n - 1; i >= 0; i--) w.mem.write64(...journal.old(i));
  w.mem.journal = saved;
  journal.clear();
  Object.assign(w.smmu, sp.smmu);
  Object.assign(w.kernel!, sp.kernel);
  return changed ? n : undefined;
}
