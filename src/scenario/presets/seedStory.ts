// The default scenario: the review thread's story (../shared/seed). A Snapdragon-like GPU gives
// each process its own PASID with a private io-pgtable; display, video and camera share one
// global io-pgtable; and an accelerator shares a process's own page tables (SVA) — bound,
// faulting through PRI, and touched by the CPU at the same address.
import type { ScenarioDoc } from '../format.ts';

export const seedStory: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 2,
  title: 'GPU per-process PASIDs, one global io-pgtable for media, one process shared (SVA)',
  kernel: 'rfc2017',
  ops: [
    { op: 'device', name: 'display', sid: 0x10, bus: 'platform' },
    { op: 'device', name: 'video', sid: 0x11, bus: 'platform' },
    { op: 'device', name: 'camera', sid: 0x12, bus: 'platform' },
    { op: 'device', name: 'gpu', sid: 0x20, bus: 'platform', pasidBits: 10, stall: true },
    { op: 'device', name: 'accel', sid: 0x100, bus: 'pci', pasidBits: 20, ats: true, pri: true },
    { op: 'domain', name: 'media', type: 'dma' },
    { op: 'attach', dev: 'display', domain: 'media' },
    { op: 'attach', dev: 'video', domain: 'media' },
    { op: 'attach', dev: 'camera', domain: 'media' },
    { op: 'map', domain: 'media', iova: '0x1000_0000', size: '0x20_0000', prot: 'rw' },
    { op: 'dma', dev: 'display', addr: '0x1000_0040', access: 'r' },
    { op: 'domain', name: 'gpu-dom', type: 'dma' },
    { op: 'attach', dev: 'gpu', domain: 'gpu-dom' },
    { op: 'process', name: 'compositor' },
    { op: 'process', name: 'game' },
    { op: 'bind', dev: 'gpu', proc: 'compositor', tables: 'private' },
    { op: 'bind', dev: 'gpu', proc: 'game', tables: 'private' },
    { op: 'map', dev: 'gpu', proc: 'compositor', iova: '0x10_0000', size: '0x4000', prot: 'rw' },
    { op: 'map', dev: 'gpu', proc: 'game', iova: '0x10_0000', size: '0x4000', prot: 'rw' },
    { op: 'dma', dev: 'gpu', pasid: 2, addr: '0x10_0100', access: 'w' },
    { op: 'domain', name: 'accel-dom', type: 'dma' },
    { op: 'attach', dev: 'accel', domain: 'accel-dom' },
    { op: 'process', name: 'ml' },
    { op: 'mmap', proc: 'ml', addr: '0x7f00_0000_0000', size: '0x10000', prot: 'rw' },
    { op: 'touch', proc: 'ml', addr: '0x7f00_0000_0000', access: 'w' },
    { op: 'bind', dev: 'accel', proc: 'ml' },
    { op: 'dma', dev: 'accel', pasid: 3, addr: '0x7f00_0000_0000', access: 'r' },
    { op: 'dma', dev: 'accel', pasid: 3, addr: '0x7f00_0000_2000', access: 'w' },
    { op: 'touch', proc: 'ml', addr: '0x7f00_0000_2000', access: 'r' },
  ],
};
