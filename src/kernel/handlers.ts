// What each kernel op does: one handler per op, in a table typed by the op union (ops.ts), so an
// op without a handler, or a handler for an op that does not exist, is a compile error.
import type { Trace } from '../engine/index.ts';
import type { KCtx } from './ctx.ts';
import { dma, type DmaResult } from './dma.ts';
import { iommuMap, iommuUnmap } from './dmamap.ts';
import { eraOf } from './eras/index.ts';
import { fail } from './errors.ts';
import { addDevice, addDomain, attach } from './iommu.ts';
import { createProcess, exitProcess } from './lifecycle.ts';
import { mmap, mprotect, munmap, pin, reclaim, touch, unpin } from './mmops.ts';
import type { KernelOp, KernelOpName, KernelOpOf } from './ops.ts';
import { bindPrivate, unbindPrivate } from './private.ts';

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

type Handlers = { readonly [K in KernelOpName]: (c: KCtx, op: KernelOpOf<K>) => KernelOpResult };

const HANDLERS: Handlers = {
  device: (c, op) => (addDevice(c, op), {}),
  domain: (c, op) => (addDomain(c, op), {}),
  attach: (c, op) => (attach(c, op.dev, op.domain), {}),
  map: (c, op) => {
    // A map with neither r nor w maps nothing and returns 0 (iommu_map: no prot, no pages).
    const pa = iommuMap(c, op.target, op.iova, op.size, op.prot, op.pa);
    return pa === undefined ? {} : { pa };
  },
  unmap: (c, op) => ({ bytes: iommuUnmap(c, op.target, op.iova, op.size) }),
  process: (c, op) => ({ pid: createProcess(c, op.name, op.pid) }),
  mmap: (c, op) => (mmap(c, op.proc, op.addr, op.size, op.prot, op.populate, op.name), {}),
  munmap: (c, op) => (munmap(c, op.proc, op.addr, op.size), {}),
  mprotect: (c, op) => (mprotect(c, op.proc, op.addr, op.size, op.prot), {}),
  touch: (c, op) => {
    const steps: Trace = [];
    return { pa: touch(c, op.proc, op.addr, op.access, steps), steps };
  },
  pin: (c, op) => ({ pages: pin(c, op.proc, op.addr, op.size) }),
  unpin: (c, op) => ({ pages: unpin(c, op.proc, op.addr, op.size) }),
  reclaim: (c, op) => ({ pages: reclaim(c, op.proc, op.addr, op.size) }),
  bind: (c, op) => {
    if (op.tables === 'private') return { pasid: bindPrivate(c, op.dev, op.proc) };
    const dev = c.k.devices.get(op.dev) ?? fail('-ENODEV', `no device named ${op.dev}`);
    return { pasid: eraOf(c.k.era).ops.bind(c, dev, op.proc) };
  },
  unbind: (c, op) => ({ pasid: unbind(c, op.dev, op.proc) }),
  exit: (c, op) => (exitProcess(c, op.proc), {}),
  dma: (c, op) => ({
    dma: dma(c, op.dev, op.pasid, op.addr, op.access, op.priv, op.count, op.stride),
  }),
};

/**
 * Runs a kernel-level op; throws KernelError when it fails. Check-phase failures change nothing;
 * running out of frames half-way (-ENOMEM) can leave partial changes, which the runner undoes
 * (scenario/atomic.ts, with allocBound telling it when that can happen).
 */
export function runKernelOp(c: KCtx, op: KernelOp): KernelOpResult {
  return runAs(c, op);
}

/** Looks the handler up by the op's own name, so the op and its handler's parameter agree. */
function runAs<K extends KernelOpName>(c: KCtx, op: KernelOpOf<K>): KernelOpResult {
  return HANDLERS[op.op](c, op);
}

/**
 * A driver's unbind of one of its binds (bond.ts): the era's unbind (rfc2017
 * iommu_process_unbind_device(dev, the PASID it holds); upstream iommu_sva_unbind_device(handle)).
 * A process not bound in the device's domain is -ESRCH (linux-sva §3.7 RFCv2 row).
 */
function unbind(c: KCtx, devName: string, procName: string): number {
  const dev = c.k.devices.get(devName) ?? fail('-ENODEV', `no device named ${devName}`);
  const bond =
    dev.bonds.get(procName) ??
    fail('-ESRCH', `${devName} holds no PASID for ${procName}: not bound in its domain`);
  if (bond.tables === 'private') unbindPrivate(c, dev, procName);
  else eraOf(c.k.era).ops.unbind(c, dev, procName, bond);
  return bond.pasid;
}
