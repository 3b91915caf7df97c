// The first upstream SMMUv3 SVA a device could use: v5.14 (docs/research/eras.md §1). The SVA
// code landed in v5.11 but needed BTM (never set) until v5.12 and IOPF (stall) until v5.14.
import type { KernelEra } from './types.ts';
import { sharedCdLabels, sharedCdOps, UPSTREAM } from './upstream.ts';

export const v5_14: KernelEra = {
  id: 'v5.14',
  from: 'v5.14',
  to: 'v5.18',
  title: 'First upstream SMMUv3 SVA',
  summary:
    'Upstream SVA as first usable: one PASID per mm (lowest free), refcounted by its bonds and freed at the last unbind; the CD in the domain’s shared table carries the CPU’s ASID, pinned (ASET=0); no BTM, so the mmu_notifier sends TLBI_NH_VA over the whole range of every CPU-side change (one byte too long); exit quiets the CD (EPD0) with no exit handler; stalled faults serviced, PRI denied.',
  changes: [
    {
      what: 'SMMUv3 SVA merged: arm_smmu_sva_bind, one notifier and shared CD per (domain, mm)',
      where: 'v5.11 — arm-smmu-v3-sva.c __arm_smmu_sva_bind, arm_smmu_mmu_notifier_get',
    },
    {
      what: 'BTM no longer required: without it the notifier sends explicit TLBIs (upstream never enables BTM)',
      where: 'v5.12 — 51d113c3be09 “Make BTM optional for SVA”; arm_smmu_mm_invalidate_range',
    },
    {
      what: 'Stalled faults of platform devices recoverable: the first usable SVA',
      where: 'v5.14 — “Add stall support for platform devices”, arm_smmu_master_iopf_supported',
    },
    {
      what: 'No exit handler: at exit the CD keeps V=1 with EPD0 (quiet_cd) until the driver unbinds',
      where: 'arm_smmu_mm_release, arm_smmu_write_ctx_desc case (4)',
    },
  ],
  labels: sharedCdLabels('v5.14'),
  config: {
    ...UPSTREAM,
    cdTables: 'domain',
    cdWriter: 'ctxdesc',
    cd0Sync: true,
    attachChecks: 'exact',
    partialBlockUnmap: 'split',
    unmapInvalidation: 'gather',
    rangeTtl: 'granule',
    notify: 'range',
  },
  ops: sharedCdOps({
    pasidLife: 'bonds',
    exhausted: '-ENOMEM',
    notPaging: '-EINVAL',
    replicate: false,
    sizeOffByOne: true,
    capOps: false,
    noPasidErrno: '-ENODEV',
    stallNeedsHandle: false,
  }),
};
