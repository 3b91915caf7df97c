// The kernel layer's front door: boot (probe the SMMU) and run one kernel-level op.
// Pure TypeScript over the engine — no React, d3, zustand or DOM.
import { hex, type PhysMem, type Smmu, type Trace } from '../engine/index.ts';
import type { KernelProfile } from '../scenario/format.ts';
import type { CpuPlatform, Op } from '../scenario/ops.ts';
import { allocZeroed, type KCtx } from './ctx.ts';
import { dma, type DmaResult } from './dma.ts';
import { fail } from './errors.ts';
import { makeFrames } from './frames.ts';
import { iommuMap, iommuUnmap } from './dmamap.ts';
import { addDevice, addDomain, attach } from './iommu.ts';
import { createProcess, exitProcess } from './lifecycle.ts';
import { mmap, mprotect, munmap, pin, reclaim, touch, unpin } from './mmops.ts';
import { bindPrivate, unbindPrivate } from './private.ts';
import { bindShared, unbindShared } from './process.ts';
import { probe } from './smmu/probe.ts';
import type { KernelState } from './state.ts';
import { serviceEventQueue } from './iopf.ts';

export { KernelError, type Errno } from './errors.ts';
export type * from './state.ts';
export { cloneKernel, privateKey } from './state.ts';
export type { DmaResult, Attempt } from './dma.ts';
export { blockAt, frameBytes, type FrameBlock, type FrameUse } from './frames.ts';
export { CPU_MAIR } from './arm64.ts';

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

/** Runs a kernel-level op; throws KernelError (before changing anything) when it fails. */
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
            : bindShared(c, op.dev, op.proc),
      };
    case 'unbind': {
      const dev = c.k.devices.get(op.dev) ?? fail('-ENODEV', `no device named ${op.dev}`);
      const bond =
        dev.bonds.get(op.proc) ?? fail('-EINVAL', `${op.dev} is not bound to ${op.proc}`);
      if (bond.tables === 'private') unbindPrivate(c, dev, op.proc);
      else unbindShared(c, dev, op.proc, bond.pasid);
      return { pasid: bond.pasid };
    }
    case 'exit':
      exitProcess(c, op.proc);
      return {};
    case 'dma':
      return { dma: dma(c, op.dev!, op.pasid, op.addr, op.access, op.priv, op.count, op.stride) };
    default:
      throw new Error(`${op.op} is not a kernel op`);
  }
}

/** The driver's interrupt handlers after a hardware-level op (events written meanwhile). */
export function serviceInterrupts(c: KCtx): void {
  serviceEventQueue(c);
}

export { log, type KCtx } from './ctx.ts';
