// The stress scenario the page must stay smooth on (issue 4): 10 processes, 64 live PASIDs and
// 1,000 pages mapped in one global io-pgtable, plus a walk and a PRI fault to step through.
// Six GPU-like platform devices each bind all ten processes with private io-pgtables (60 PASIDs,
// one per (device, process) as bindPrivate allocates them); an ATS+PRI accelerator shares four
// processes' own page tables (4 PASIDs, one per iommu_process). Built by a function so the
// numbers read as what they are; the result is a plain document like any other preset.
import type { OpDoc, ScenarioDoc } from '../format.ts';

export const STRESS = { processes: 10, gpus: 6, sharedProcs: 4, globalPages: 1000 } as const;

const hex = (n: number): string => `0x${n.toString(16)}`;

function stressOps(): OpDoc[] {
  const ops: OpDoc[] = [];
  const procs = Array.from({ length: STRESS.processes }, (_, i) => `p${i}`);
  const gpus = Array.from({ length: STRESS.gpus }, (_, i) => `gpu${i}`);
  // Media: three streams on one global io-pgtable, 1,000 pages. The IOVA is 4 KB- but not
  // 2 MB-aligned, so io-pgtable-arm cannot use a block: every page is its own L3 descriptor.
  for (const [i, name] of ['display', 'video', 'camera'].entries())
    ops.push({ op: 'device', name, sid: 0x10 + i, bus: 'platform' });
  ops.push({ op: 'domain', name: 'media', type: 'dma' });
  for (const name of ['display', 'video', 'camera'])
    ops.push({ op: 'attach', dev: name, domain: 'media' });
  ops.push({
    op: 'map',
    domain: 'media',
    iova: '0x1000_1000',
    size: hex(STRESS.globalPages * 0x1000),
    prot: 'rw',
  });
  for (const [i, gpu] of gpus.entries()) {
    ops.push({
      op: 'device',
      name: gpu,
      sid: 0x20 + i,
      bus: 'platform',
      pasidBits: 10,
      stall: true,
    });
    ops.push({ op: 'domain', name: `${gpu}-dom`, type: 'dma' });
    ops.push({ op: 'attach', dev: gpu, domain: `${gpu}-dom` });
  }
  ops.push({
    op: 'device',
    name: 'accel',
    sid: 0x100,
    bus: 'pci',
    pasidBits: 20,
    ats: true,
    pri: true,
  });
  ops.push({ op: 'domain', name: 'accel-dom', type: 'dma' });
  ops.push({ op: 'attach', dev: 'accel', domain: 'accel-dom' });
  for (const p of procs) {
    ops.push({ op: 'process', name: p });
    ops.push({ op: 'mmap', proc: p, addr: '0x7f00_0000_0000', size: '0x10_0000', prot: 'rw' });
  }
  for (const gpu of gpus)
    for (const p of procs) {
      ops.push({ op: 'bind', dev: gpu, proc: p, tables: 'private' });
      ops.push({ op: 'map', dev: gpu, proc: p, iova: '0x10_0000', size: '0x2000', prot: 'rw' });
    }
  for (const p of procs.slice(0, STRESS.sharedProcs)) {
    ops.push({ op: 'touch', proc: p, addr: '0x7f00_0000_0000', access: 'w' });
    ops.push({ op: 'bind', dev: 'accel', proc: p });
  }
  // Something to step through: a full walk of the global table, a private walk, a shared-mm
  // hit and a PRI fault on a page the CPU never touched.
  ops.push({ op: 'dma', dev: 'video', addr: '0x1020_0040', access: 'r' });
  ops.push({
    op: 'dma',
    dev: 'gpu3',
    pasid: 3 * STRESS.processes + 6,
    addr: '0x10_1000',
    access: 'w',
  });
  ops.push({
    op: 'dma',
    dev: 'accel',
    pasid: STRESS.gpus * STRESS.processes + 1,
    addr: '0x7f00_0000_0000',
    access: 'r',
  });
  ops.push({
    op: 'dma',
    dev: 'accel',
    pasid: STRESS.gpus * STRESS.processes + 1,
    addr: '0x7f00_0000_8000',
    access: 'w',
  });
  return ops;
}

export const stressScenario: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 2,
  title: 'Stress: 10 processes, 64 PASIDs, 1,000 pages in one global io-pgtable',
  kernel: 'rfc2017',
  ops: stressOps(),
};
