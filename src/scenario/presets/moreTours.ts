// More tours the page ships, each on the scenario it needs: a 4-level walk and a PRI fault on the
// seed story (ops 26 and 27), a stall fault on golden 10's scenario (stallStory, the same ops as
// src/scenario/golden/10-stall.json; tours.test.ts checks they stay equal), and the seed's story.
// A stop's `step` is the index of a step of its op in the Stepper (the flow of that op);
// moreTours.test.ts checks each one lands on the step its text talks about.
import type { ScenarioDoc } from '../format.ts';
import type { TourDoc } from '../notes.ts';
import { seedStory } from './seedStory.ts';
import { firstVisitTour, SEED_OPS } from './tours.ts';

const PRI_OP = 27; // dma accel PASID 3 write 0x7f00_0000_2000: the page is not there yet

export const walkTour: TourDoc = {
  title: 'A 4-level walk',
  stops: [
    {
      at: { op: SEED_OPS.dmaMl, step: 0 },
      focus: { device: 'accel' },
      text: 'The accelerator asks for the translation of VA `0x7f00_0000_0000` with PASID 3 (an [[ATS]] Translation Request). Open the **Stepper** tab below: each step is one memory read or one decision of the SMMU.',
    },
    {
      at: { op: SEED_OPS.dmaMl, step: 2 },
      focus: { device: 'accel' },
      text: "[[StreamID]] 0x100 selects an [[L1STD]], then the stream's [[STE]]: Config=0b101, stage 1 translates. Its S1ContextPtr leads to the CD table.",
    },
    {
      at: { op: SEED_OPS.dmaMl, step: 4 },
      focus: { device: 'accel', pasid: 3 },
      text: "PASID 3 picks an [[L1CD]], then CD 3. Its `TTB0` is the root of `ml`'s own page tables and its `T0SZ`=16 gives a 48-bit VA.",
    },
    {
      at: { op: SEED_OPS.dmaMl, step: 6 },
      focus: { process: 'ml' },
      text: 'The TLB has no entry for this page, so the walk begins. With a 4 KB granule and 48 bits it starts at level 0; every level takes 9 bits of the VA as its index.',
    },
    {
      at: { op: SEED_OPS.dmaMl, step: 7 },
      focus: { process: 'ml' },
      text: 'VA[47:39] indexes the level-0 table: a table descriptor, pointing at a level-1 table. Levels 1 and 2 do the same with VA[38:30] and VA[29:21].',
    },
    {
      at: { op: SEED_OPS.dmaMl, step: 10 },
      focus: { op: SEED_OPS.dmaMl },
      text: 'VA[20:12] picks the level-3 page descriptor: valid, and its output address is the 4 KB frame.',
    },
    {
      at: { op: SEED_OPS.dmaMl, step: 11 },
      focus: { op: SEED_OPS.dmaMl },
      text: "The PA is the frame plus VA[11:0]. The translation is kept in the TLB under the CD's [[ASID]]: the next access to this page needs no walk.",
    },
  ],
};

export const priTour: TourDoc = {
  title: 'A PRI fault',
  stops: [
    {
      at: { op: PRI_OP, step: 0 },
      focus: { device: 'accel', pasid: 3 },
      text: '`ml` mapped `0x7f00_0000_2000` (mmap) but never touched it: there is no frame behind it yet. The accelerator writes there.',
    },
    {
      at: { op: PRI_OP, step: 8 },
      focus: { process: 'ml' },
      text: 'The walk reaches the level-3 entry of that page: invalid, a translation fault.',
    },
    {
      at: { op: PRI_OP, step: 10 },
      focus: { op: PRI_OP },
      text: 'For an ATS Translation Request the SMMU records no event: it answers with no permission. The device has [[PRI]], so it asks the OS for the page.',
    },
    {
      at: { op: PRI_OP, step: 11 },
      focus: { op: PRI_OP },
      text: 'The page request lands in the PRI queue: StreamID, PASID 3, the address, write, in page request group 0.',
    },
    {
      at: { op: PRI_OP, step: 13 },
      focus: { process: 'ml' },
      text: 'The kernel handles it as a CPU page fault (`iommu_queue_iopf`, then `handle_mm_fault`): a new frame, and the level-3 entry written in the tables the CPU and the SMMU share.',
    },
    {
      at: { op: PRI_OP, step: 15 },
      focus: { op: PRI_OP },
      text: 'It answers the group with `CMD_PRI_RESP` Success.',
    },
    {
      at: { op: PRI_OP, step: 25 },
      focus: { op: PRI_OP },
      text: 'The device retries, and this time the walk finds the page: translated.',
    },
  ],
};

/** Golden 10 (a stalling platform device), as src/scenario/golden/10-stall.json has it. */
export const stallStory: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 1,
  kernel: 'rfc2017',
  title:
    'Golden 10: a stalling platform device — the fault stalls, CMD_RESUME retries it (or aborts it)',
  ops: [
    { op: 'device', name: 'dsp', sid: 1024, bus: 'platform', pasidBits: 8, stall: true },
    { op: 'domain', name: 'dsp-dom' },
    { op: 'attach', dev: 'dsp', domain: 'dsp-dom' },
    { op: 'process', name: 'app' },
    { op: 'mmap', proc: 'app', addr: '0x7fff_0000_0000', size: '0x1000', prot: 'rw' },
    { op: 'bind', dev: 'dsp', proc: 'app' },
    { op: 'dma', dev: 'dsp', pasid: 1, addr: '0x7fff_0000_0000', access: 'w' },
    { op: 'touch', proc: 'app', addr: '0x7fff_0000_0000', access: 'w' },
    { op: 'dma', dev: 'dsp', pasid: 1, addr: '0x7ffe_0000_0000', access: 'r' },
  ],
};

export const stallTour: TourDoc = {
  title: 'A stall fault',
  stops: [
    {
      at: { op: 6, step: 0 },
      focus: { device: 'dsp', pasid: 1 },
      text: '`dsp` is a platform device without PRI, but it can [[stall]]. It writes `0x7fff_0000_0000`, which `app` mapped but never touched.',
    },
    {
      at: { op: 6, step: 7 },
      focus: { device: 'dsp', pasid: 1 },
      text: 'The level-0 entry is invalid: F_TRANSLATION. The CD has S=1, so the event is recorded with Stall=1 and a [[STAG]] naming this access.',
    },
    {
      at: { op: 6, step: 8 },
      focus: { op: 6 },
      text: 'The SMMU holds the transaction: the device waits, nothing is lost.',
    },
    {
      at: { op: 6, step: 12 },
      focus: { process: 'app' },
      text: "The kernel reads the event and fixes the fault in `app`'s page tables, as a CPU fault would: a new page and the tables down to it.",
    },
    {
      at: { op: 6, step: 15 },
      focus: { op: 6 },
      text: '`CMD_RESUME` with the STAG and Retry: the SMMU translates the held transaction again.',
    },
    {
      at: { op: 6, step: 25 },
      focus: { op: 6 },
      text: 'The retried walk finds the page: translated.',
    },
    {
      at: { op: 8, step: 10 },
      focus: { op: 8 },
      text: '`0x7ffe_0000_0000` is in no VMA: the fault cannot be fixed, and the kernel ends the stalled access with `CMD_RESUME` Abort.',
    },
  ],
};

/** Where the seed's story goes on past the default scenario (seedTourStory's extra ops). */
export const SEED_TOUR_OPS = {
  bindGpuMl: SEED_OPS.last + 1,
  dmaGpuMl: SEED_OPS.last + 2,
  unbindGpuMl: SEED_OPS.last + 3,
  unbindAccelMl: SEED_OPS.last + 4,
} as const;

export const seedTour: TourDoc = {
  title: "The seed's story",
  stops: [
    {
      at: { op: SEED_OPS.mapMedia, step: 0 },
      focus: { domain: 'media' },
      text: 'The 2017 series "Process management for IOMMU + SVM for SMMUv3" starts from a phone-like platform. Display, video and camera sit in one DMA domain, `media`: **one global io-pgtable**, mapped with `map` and used without a PASID.',
    },
    {
      at: { op: 15, step: 0 },
      focus: { device: 'gpu', pasid: 1 },
      text: "`bind` (the series' process bind) gives `compositor` a PASID on the GPU and writes its [[CD]]. With `tables: private` the CD points at a **private io-pgtable** of its own.",
    },
    {
      at: { op: SEED_OPS.dmaGpu, step: 0 },
      focus: { device: 'gpu', pasid: 2 },
      text: '**A domain with several processes**: `gpu-dom` holds `compositor` (PASID 1) and `game` (PASID 2), each with its own tables, so the same IOVA reaches different frames.',
    },
    {
      at: { op: SEED_OPS.bindMl, step: 0 },
      focus: { device: 'accel', pasid: 3 },
      text: "Binding `ml` to the accelerator shares the process's own page tables (SVA): the CD's TTB0 is `ml`'s pgd and its [[ASID]] is the CPU's.",
    },
    {
      at: { op: 27, step: 0 },
      focus: { op: 27 },
      text: 'With [[PRI]] a device may touch pages that are not there yet: the OS faults them in on request. **PASID without PRI must pin**: a device that can neither issue page requests nor [[stall]] needs its pages present before it uses them (the `pin` op; Examples → pinning vs reclaim).',
    },
    {
      at: { op: SEED_OPS.last, step: 0 },
      focus: { process: 'ml' },
      text: 'The CPU touches the page the device faulted in: one set of tables, two walkers.',
    },
    {
      at: { op: SEED_TOUR_OPS.bindGpuMl, step: 0 },
      focus: { device: 'gpu', pasid: 3 },
      text: "**One process in several domains**: `ml` is bound to the GPU too. The GPU sits in `gpu-dom`, so that domain's CD table gets a CD 3 of its own: the same PASID (one per process), the same pgd and the same pinned [[ASID]] as the accelerator's CD 3.",
    },
    {
      at: { op: SEED_TOUR_OPS.dmaGpuMl, step: 3 },
      focus: { op: SEED_TOUR_OPS.dmaGpuMl },
      text: "The GPU reads the page the accelerator walked earlier, and hits in the TLB: stage-1 entries are tagged with the ASID (and VMID), not the StreamID, and both CDs carry `ml`'s ASID.",
    },
    {
      at: { op: SEED_TOUR_OPS.unbindGpuMl, step: 0 },
      focus: { device: 'gpu' },
      text: "`unbind` from the GPU: `gpu-dom`'s CD 3 is cleared, then [[CFGI]] and [[TLBI]] by ASID, each followed by [[SYNC]]. `ml` is still bound to the accelerator, so PASID 3 lives on.",
    },
    {
      at: { op: SEED_TOUR_OPS.unbindAccelMl, step: 0 },
      focus: { device: 'accel' },
      text: "The last unbind: the accelerator's CD 3 is cleared, the ASID's TLB entries and the device's [[ATC]] are invalidated, and `iommu_process_release` gives PASID 3 back.",
    },
  ],
};

/** The seed story, then what the review thread also discusses: `ml` bound into a second domain
 *  (the GPU's), used there, and unbound from both. */
export const seedTourStory: ScenarioDoc = {
  ...seedStory,
  title: "The seed's story, with one process in two domains and both unbinds",
  ops: [
    ...seedStory.ops,
    { op: 'bind', dev: 'gpu', proc: 'ml' },
    { op: 'dma', dev: 'gpu', pasid: 3, addr: '0x7f00_0000_0000', access: 'r' },
    { op: 'unbind', dev: 'gpu', proc: 'ml' },
    { op: 'unbind', dev: 'accel', proc: 'ml' },
  ],
};

/** A tour the page ships, with the scenario it stands on. */
export interface ShippedTour {
  readonly tour: TourDoc;
  readonly doc: ScenarioDoc;
}

/** Every shipped tour, in the order the Tours list shows them. */
export const SHIPPED: readonly ShippedTour[] = [
  { tour: firstVisitTour, doc: seedStory },
  { tour: seedTour, doc: seedTourStory },
  { tour: walkTour, doc: seedStory },
  { tour: priTour, doc: seedStory },
  { tour: stallTour, doc: stallStory },
];
