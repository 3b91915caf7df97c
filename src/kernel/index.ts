// The kernel layer's front door: boot (probe the SMMU) and run one kernel-level op.
// Pure TypeScript over the engine — no React, d3, zustand or DOM.
import { hex, type PhysMem, type Smmu } from '../engine/index.ts';
import { allocZeroed, type KCtx } from './ctx.ts';
import { eraOf } from './eras/index.ts';
import { makeFrames } from './frames.ts';
import { probe } from './smmu/probe.ts';
import type { KernelState } from './state.ts';
import { serviceEventQueue } from './iopf.ts';
import { servicePriQueue } from './priq.ts';
import type { CpuPlatform, KernelProfile } from './vocab.ts';

export * from './vocab.ts';
export type * from './ops.ts';
export { runKernelOp, type KernelOpResult } from './handlers.ts';

export { KernelError, type Aftermath, type Errno } from './errors.ts';
export { allocBound, BOUND_SLACK, mayRunOutOfMemory } from './bound.ts';
export type * from './state.ts';
export { cloneKernel, privateKey } from './state.ts';
export type { DmaResult, Attempt } from './dma.ts';
export { blockAt, frameBytes, type FrameBlock, type FrameUse } from './frames.ts';
export { CPU_MAIR } from './arm64.ts';
export { bindCount, releaseBond } from './bond.ts';
export * from './query.ts';
export {
  ERAS,
  ERA_IDS,
  DEFAULT_ERA,
  V1_MAINLINE,
  fromV1Kernel,
  eraOf,
  eraInfos,
  isEraId,
  type KernelEra,
  type EraInfo,
  type EraChange,
  type EraLabels,
} from './eras/index.ts';
export { atsEnabled, cdTablesOf, steTableOf, type CdTableInfo } from './cdquery.ts';

/** Boots the kernel of an era: frame allocator over RAM, the zero page, and the SMMU probe. */
export function bootKernel(
  smmu: Smmu,
  mem: PhysMem,
  era: KernelProfile,
  cpu: CpuPlatform,
  notes: string[],
): KernelState {
  const ram = smmu.platform.ram[0]!;
  const k: KernelState = {
    era,
    cpu,
    frames: makeFrames(ram.base, ram.size),
    zeroPage: 0n,
    driver: undefined as unknown as KernelState['driver'],
    processes: new Map(),
    nextPid: 100,
    // Model choice: ASIDs 1–63 went to processes that ran since boot, so a scenario's first process
    // does not collide with the SMMU's first private ASID (collisions are still handled: seize).
    cpuAsids: { cursor: 64, used: new Set() },
    devices: new Map(),
    domains: new Map(),
    idr: { cursor: 1, used: new Map() },
    iommuProcesses: new Map(),
    privates: new Map(),
    partialFaults: [],
  };
  const c: KCtx = { k, smmu, mem, notes };
  k.driver = probe(c);
  k.zeroPage = allocZeroed(
    c,
    1n << BigInt(cpu.granule),
    'zero-page',
    'the shared zero page (empty_zero_page)',
  );
  notes.push(
    `mm: zero page at ${hex(k.zeroPage)}; CPU ${cpu.vaBits}-bit VA, ${cpu.granule === 12 ? '4K' : cpu.granule === 14 ? '16K' : '64K'} pages; kernel profile ${eraOf(era).id}`,
  );
  return k;
}

/** The driver's interrupt handlers after a hardware-level op (events written meanwhile). */
export function serviceInterrupts(c: KCtx): void {
  serviceEventQueue(c);
  servicePriQueue(c);
}

export { log, type KCtx } from './ctx.ts';
