// A booted mainline kernel on the default platform with one PCI device, for the iommufd tests.
import { DEFAULT_SMMU, PhysMem, Smmu } from '../../engine/index.ts';
import type { KCtx, VEvent } from '../ctx.ts';
import { runKernelOp } from '../handlers.ts';
import { bootKernel } from '../index.ts';
import { DEFAULT_CPU } from '../vocab.ts';

export function bootedCtx(sid: number, pasidBits: number): KCtx & { vevents: VEvent[] } {
  const mem = new PhysMem(DEFAULT_SMMU.ram);
  const smmu = new Smmu(DEFAULT_SMMU, mem);
  const k = bootKernel(smmu, mem, 'mainline', DEFAULT_CPU, []);
  smmu.takeLog();
  const c = { k, smmu, mem, notes: [] as string[], vevents: [] as VEvent[] };
  runKernelOp(c, {
    op: 'device',
    name: 'gpu',
    sid,
    bus: 'pci',
    pasidBits,
    ats: false,
    pri: false,
    stall: false,
  });
  return c;
}
