// The tours the page ships, on the seed story (seedStory.ts; op indices below are into its ops).
// "What am I looking at?" is offered on a first visit without a link. The text is ours; facts
// cite the SMMUv3 spec (IHI 0070) and the 2017 SVA series the seed models.
import type { TourDoc } from '../notes.ts';

/** Ops of the seed story the stops stand on (checked against seedStory in tours.test.ts). */
export const SEED_OPS = {
  dmaDisplay: 10,
  dmaGpu: 19,
  mapMedia: 9,
  mapGame: 18,
  bindMl: 25,
  dmaMl: 26,
  last: 28,
} as const;

export const firstVisitTour: TourDoc = {
  title: 'What am I looking at?',
  stops: [
    {
      at: { op: SEED_OPS.last, step: 0 },
      text: 'This page simulates one Arm [[SMMU|SMMUv3]] and the Linux driver that programs it, bit by bit. The left column lists the **ops** of a story; the middle draws the chain a device access follows; below are the queues and caches.\n\nNext walks the chain once, from a device to a frame of memory.',
    },
    {
      at: { op: SEED_OPS.dmaDisplay, step: 0 },
      focus: { device: 'display' },
      text: 'Every device reaches memory through a **stream**. Its [[StreamID]] indexes the Stream table and picks one [[STE]], a 64-byte entry (spec §5.2) that says how its accesses are translated.',
    },
    {
      at: { op: SEED_OPS.dmaGpu, step: 0 },
      focus: { device: 'gpu', pasid: 2 },
      text: "The GPU's STE points at a table of [[CD]]s (S1ContextPtr). The [[PASID]] an access carries (its [[SSID|SubstreamID]]) picks one CD (§5.4): here PASID 2, the `game` process.",
    },
    {
      at: { op: SEED_OPS.dmaMl, step: 0 },
      focus: { process: 'ml' },
      text: "A CD's `TTB0` points at stage-1 translation **tables**. For the accelerator (PASID 3) it is the `ml` process's own page tables: with SVA the CPU and the device walk the same tree, and the CD shares the process's [[ASID]].",
    },
    {
      at: { op: SEED_OPS.dmaMl, step: 0 },
      focus: { op: SEED_OPS.dmaMl },
      text: 'The walk ends at a leaf descriptor, whose output address is the **frame**: the physical page the access reaches. The Stepper below replays this access one step at a time.',
    },
    {
      at: { op: SEED_OPS.mapMedia, step: 0 },
      focus: { domain: 'media' },
      text: "The seed's story. Display, video and camera are attached to one DMA domain, `media`: one domain with several devices, sharing **one global io-pgtable** (the domain's, used without a PASID).",
    },
    {
      at: { op: SEED_OPS.mapGame, step: 0 },
      focus: { device: 'gpu' },
      text: 'The GPU gives each process its own PASID and a **private io-pgtable** (`bind … tables: private`): `compositor` and `game` map the same IOVA to different frames.',
    },
    {
      at: { op: SEED_OPS.bindMl, step: 0 },
      focus: { device: 'accel', pasid: 3 },
      text: "`bind` (the series' `iommu_sva_bind_device`) gives `ml` a PASID and writes its CD; `unbind` clears it again. The accelerator has [[PRI]], so a page missing at the time of the access can be faulted in; a device with neither PRI nor [[stall]] could not wait for that, so its pages must be present (pinned) when it uses them.",
    },
  ],
};

export const SHIPPED_TOURS: readonly TourDoc[] = [firstVisitTour];

/**
 * How many tours the page ships (moreTours.ts SHIPPED, loaded when the Tours list opens: the
 * first view needs only the first-visit offer). tours.test.ts holds it equal to SHIPPED.length.
 */
export const SHIPPED_COUNT = 5;
