// v5.18: the PASID becomes a property of the mm (docs/research/eras.md §2).
import type { KernelEra } from './types.ts';
import { sharedCdLabels, sharedCdOps, UPSTREAM } from './upstream.ts';

export const v5_18: KernelEra = {
  id: 'v5.18',
  from: 'v5.18',
  to: 'v6.6',
  title: 'The PASID lives with the mm',
  summary:
    'As v5.14, but the mm keeps its PASID after the last unbind, until the mm itself is freed (at exit, or at the last unbind after exit); the notifier’s range is exact.',
  changes: [
    {
      what: 'The mm keeps its PASID after the last unbind',
      where:
        'v5.18 — 701fac40384f “iommu/sva: Assign a PASID to mm on PASID allocation and free it on mm exit”',
    },
    {
      what: 'The PASID is freed with the mm_struct, not the address space: it outlives exit while bound',
      where:
        'v5.18-rc6 — 2667ed10d9f0 “mm: Fix PASID use-after-free issue” (mm_pasid_drop in __mmdrop)',
    },
    {
      what: 'The notifier’s size is end − start (was one byte too long)',
      where: 'v5.18-rc — “Fix size calculation in arm_smmu_mm_invalidate_range()”',
    },
  ],
  labels: sharedCdLabels('v5.18'),
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
    pasidLife: 'mm',
    exhausted: '-ENOMEM',
    notPaging: '-EINVAL',
    replicate: false,
    sizeOffByOne: false,
    capOps: false,
    noPasidErrno: '-ENODEV',
    stallNeedsHandle: false,
  }),
};
