// A world is everything the ops act on: physical memory, the SMMU, and (for kernel-level
// scenarios) the kernel. A scenario with any kernel-level op boots the kernel before op 0 (the
// driver's probe already done); a purely hardware-level one starts from the SMMU as reset leaves it.
import { PhysMem, Smmu } from '../engine/index.ts';
import { bootKernel, cloneKernel, type KernelState } from '../kernel/index.ts';
import { KERNEL_OPS } from './format.ts';
import type { Op, Scenario } from './ops.ts';

export interface World {
  readonly mem: PhysMem;
  readonly smmu: Smmu;
  readonly kernel: KernelState | undefined;
}

export const needsKernel = (ops: readonly Op[]): boolean =>
  ops.some((o) => KERNEL_OPS.includes(o.op) || (o.op === 'dma' && o.dev !== undefined));

export interface Boot {
  readonly world: World;
  /** What the kernel printed while booting (probe), empty for a bare SMMU. */
  readonly notes: string[];
}

export function createWorld(s: Scenario): Boot {
  const mem = new PhysMem(s.platform.smmu.ram);
  const smmu = new Smmu(s.platform.smmu, mem);
  const notes: string[] = [];
  if (!needsKernel(s.ops)) {
    notes.push('bare SMMU: SMMUEN=0, queues disabled, every register at its reset value');
    return { world: { mem, smmu, kernel: undefined }, notes };
  }
  const kernel = bootKernel(smmu, mem, s.kernel, s.platform.cpu, notes);
  smmu.takeLog(); // the probe's commands are boot history, not op 0's
  return { world: { mem, smmu, kernel }, notes };
}

export function cloneWorld(w: World): World {
  const mem = w.mem.clone();
  return { mem, smmu: w.smmu.clone(mem), kernel: w.kernel ? cloneKernel(w.kernel) : undefined };
}
