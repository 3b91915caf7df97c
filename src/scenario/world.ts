// A world is everything the ops act on: physical memory, the SMMU, and (for kernel-level
// scenarios) the kernel. A scenario with any kernel-level op boots the kernel before op 0 (the
// driver's probe already done); a purely hardware-level one starts from the SMMU as reset leaves it.
import { PhysMem, Smmu } from '../engine/index.ts';
import { bootKernel, cloneKernel, KernelError, type KernelState } from '../kernel/index.ts';
import { needsKernel } from './ops/index.ts';
import type { Scenario } from './parse.ts';

export interface World {
  readonly mem: PhysMem;
  readonly smmu: Smmu;
  readonly kernel: KernelState | undefined;
  /**
   * A hardware-level op (write64, reg, cmd) has run in a world with a kernel: memory or the SMMU
   * may now disagree with the kernel's bookkeeping, so any kernel op may notice half-way and
   * fail — the runner keeps a savepoint for every kernel op from then on (atomic.ts).
   */
  tampered?: boolean;
}

export interface Boot {
  readonly world: World;
  /** What the kernel printed while booting (probe), empty for a bare SMMU. */
  readonly notes: string[];
}

/**
 * The kernel cannot boot on the scenario's platform: the SMMU driver's probe failed (e.g. a
 * linear stream table too large to allocate, kernel/smmu/probe.ts). The message says why, with
 * the errno; `notes` holds what the kernel printed before.
 */
export class BootError extends Error {
  readonly errno: string;
  readonly notes: readonly string[];
  constructor(errno: string, message: string, notes: readonly string[]) {
    super(`the kernel cannot boot on this platform: ${errno}: ${message}`);
    this.name = 'BootError';
    this.errno = errno;
    this.notes = notes;
  }
}

/** Boots a world for `s`; a platform the kernel cannot boot on throws a BootError. */
export function createWorld(s: Scenario): Boot {
  const mem = new PhysMem(s.platform.smmu.ram);
  const smmu = new Smmu(s.platform.smmu, mem);
  const notes: string[] = [];
  if (!needsKernel(s.ops)) {
    notes.push('bare SMMU: SMMUEN=0, queues disabled, every register at its reset value');
    return { world: { mem, smmu, kernel: undefined }, notes };
  }
  let kernel: KernelState;
  try {
    kernel = bootKernel(smmu, mem, s.kernel, s.platform.cpu, notes);
  } catch (e) {
    if (e instanceof KernelError) throw new BootError(e.errno, e.message, notes);
    throw e;
  }
  smmu.takeLog(); // the probe's commands are boot history, not op 0's
  return { world: { mem, smmu, kernel }, notes };
}

export function cloneWorld(w: World): World {
  const mem = w.mem.clone();
  return {
    mem,
    smmu: w.smmu.clone(mem),
    kernel: w.kernel ? cloneKernel(w.kernel) : undefined,
    ...(w.tampered ? { tampered: true } : {}),
  };
}
