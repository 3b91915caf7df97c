// The kernel layer's front door: boot (probe the SMMU) and run one kernel-level op.
// Pure TypeScript over the engine — no React, d3, zustand or DOM.
import { hex, type PhysMem, type Smmu, type Trace } from '../engine/index.ts';
import type { KernelProfile } from '../scenario/format.ts';
import type { CpuPlatform, Op } from '../scenario/ops.ts';
import { allocZeroed, type KCtx } from './ctx.ts';
import { dma, type DmaResult } from './dma.ts';
import { fail, KernelError } from './errors.ts';
import { makeFrames } from './frames.ts';
import { iommuMap, iommuUnmap } from './dmamap.ts';
import { addDevice, addDomain, attach } from './iommu.ts';
import { createProcess, exitProcess } from './lifecycle.ts';
import { mmap, mprotect, munmap, pin, reclaim, touch, unpin } from './mmops.ts';
import { bindPrivate, unbindPrivate } from './private.ts';
import { bindShared, unbindShared } from './process.ts';
import { releaseBond } from './bond.ts';
import { bindSva, unbindSva } from './sva.ts';
import { probe } from './smmu/probe.ts';
import type { KernelState } from './state.ts';
import { serviceEventQueue } from './iopf.ts';

export { KernelError, type Aftermath, type Errno } from './errors.ts';
export { allocBound, BOUND_SLACK, mayRunOutOfMemory } from './bound.ts';
export type * from './state.ts';
export { cloneKernel, privateKey } from './state.ts';
export type { DmaResult, Attempt } from './dma.ts';
export { blockAt, frameBytes, type FrameBlock, type FrameUse } from './frames.ts';
export { CPU_MAIR } from './arm64.ts';
export { bindCount, releaseBond } from './bond.ts';

export interface KernelOpResult {
  readonly pasid?: number;
  readonly pid?: number;
  readonly pa?: bigint;
  readonly bytes?: bigint;
  readonly pages?: number;
  readonly dma?: DmaResult;
  /** touch: the CPU's own walk of the page tables. */
  readonly steps?: Trace;
}

/** Boots the kernel: frame allocator over RAM, the zero page, and the SMMU probe. */
export function bootKernel(
  smmu: Smmu,
  mem: PhysMem,
  profile: KernelProfile,
  cpu: CpuPlatform,
  notes: string[],
): KernelState {
  const ram = smmu.platform.ram[0]!;
  const k: KernelState = {
    profile,
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
    `mm: zero page at ${hex(k.zeroPage)}; CPU ${cpu.vaBits}-bit VA, ${cpu.granule === 12 ? '4K' : cpu.granule === 14 ? '16K' : '64K'} pages; kernel profile ${profile}`,
  );
  return k;
}

/**
 * Runs a kernel-level op; throws KernelError when it fails. Check-phase failures change nothing;
 * running out of frames half-way (-ENOMEM) can leave partial changes, which the runner undoes
 * (scenario/atomic.ts, with allocBound telling it when that can happen).
 */
export function runKernelOp(c: KCtx, op: Op): KernelOpResult {
  switch (op.op) {
    case 'device':
      addDevice(c, op);
      return {};
    case 'domain':
      addDomain(c, op);
      return {};
    case 'attach':
      attach(c, op.dev, op.domain);
      return {};
    case 'map':
      return { pa: iommuMap(c, op.target, op.iova, op.size, op.prot, op.pa) };
    case 'unmap':
      return { bytes: iommuUnmap(c, op.target, op.iova, op.size) };
    case 'process':
      return { pid: createProcess(c, op.name, op.pid) };
    case 'mmap':
      mmap(c, op.proc, op.addr, op.size, op.prot, op.populate);
      return {};
    case 'munmap':
      munmap(c, op.proc, op.addr, op.size);
      return {};
    case 'mprotect':
      mprotect(c, op.proc, op.addr, op.size, op.prot);
      return {};
    case 'touch': {
      const steps: Trace = [];
      return { pa: touch(c, op.proc, op.addr, op.access, steps), steps };
    }
    case 'pin':
      return { pages: pin(c, op.proc, op.addr, op.size) };
    case 'unpin':
      return { pages: unpin(c, op.proc, op.addr, op.size) };
    case 'reclaim':
      return { pages: reclaim(c, op.proc, op.addr, op.size) };
    case 'bind':
      return {
        pasid:
          op.tables === 'private'
            ? bindPrivate(c, op.dev, op.proc)
            : c.k.profile === 'mainline'
              ? bindSva(c, op.dev, op.proc)
              : bindShared(c, op.dev, op.proc),
      };
    case 'unbind':
      return { pasid: unbind(c, op.dev, op.proc) };
    case 'exit':
      exitProcess(c, op.proc);
      return {};
    case 'dma':
      return { dma: dma(c, op.dev!, op.pasid, op.addr, op.access, op.priv, op.count, op.stride) };
    default:
      throw new Error(`${op.op} is not a kernel op`);
  }
}

/**
 * A driver's unbind of one of its binds (bond.ts): rfc2017 iommu_process_unbind_device(dev, the
 * PASID it holds for `proc`), mainline iommu_sva_unbind_device(handle) (sva.ts). A process
 * not bound in the device's domain is -ESRCH (linux-sva §3.7 RFCv2 row; iommu-process.c). When
 * the core answers -ESRCH for a PASID the driver held (the process exited, §1.7), the driver
 * drops its handle all the same — the one thing that outlives a failed op, applied by the
 * runner after it has undone the op (KernelError.aftermath).
 */
function unbind(c: KCtx, devName: string, procName: string): number {
  const dev = c.k.devices.get(devName) ?? fail('-ENODEV', `no device named ${devName}`);
  const bond =
    dev.bonds.get(procName) ??
    fail('-ESRCH', `${devName} holds no PASID for ${procName}: not bound in its domain`);
  if (bond.tables === 'private') {
    unbindPrivate(c, dev, procName);
    return bond.pasid;
  }
  if (c.k.profile === 'mainline') {
    unbindSva(c, dev, procName, bond);
    return bond.pasid;
  }
  try {
    unbindShared(c, dev, procName, bond.pasid);
  } catch (e) {
    if (!(e instanceof KernelError) || e.errno !== '-ESRCH') throw e;
    throw new KernelError(e.errno, e.message, (k) => {
      const d = k.devices.get(devName);
      const left = d ? releaseBond(d, procName) : 0;
      return `${devName}'s driver ignores the -ESRCH and forgets PASID ${bond.pasid}: ${left > 0 ? `${devName} still holds it for ${left} more bind(s) of ${procName}` : `${devName} no longer holds a PASID for ${procName}`}`;
    });
  }
  return bond.pasid;
}

/** The driver's interrupt handlers after a hardware-level op (events written meanwhile). */
export function serviceInterrupts(c: KCtx): void {
  serviceEventQueue(c);
}

export { log, type KCtx } from './ctx.ts';
