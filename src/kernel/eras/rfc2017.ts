// The 2017 RFCv2 series "Process management for IOMMU + SVM for SMMUv3", never merged: the seed
// of this project and its default era (docs/research/linux-facts.md, linux-sva.md §1, §3.10).
import { invalidateRfc, bindShared, releaseRfc, unbindRfc } from '../process.ts';
import { IOPGTABLE_MAIR } from '../iopgtableMair.ts';
import { sharedMmCd } from '../smmu/cd.ts';
import type { KernelEra } from './types.ts';

export const rfc2017: KernelEra = {
  id: 'rfc2017',
  from: 'v4.14',
  to: 'v5.14',
  title: 'The 2017 RFCv2 series, never merged',
  summary:
    'The 2017 RFCv2 series: one iommu_process per bound process, its PASID from a cyclic IDR and freed at exit (the exit handler clears the CD; the late unbind gets -ESRCH); the CD shares the CPU’s ASID, pinned, invalidated by broadcast TLBI when the SMMU has BTM; PRI and stalled faults serviced.',
  changes: [
    {
      what: 'Process management moves into the IOMMU core: iommu_process, iommu_context, process_* ops',
      where: 'RFCv2 00/36, Oct 2017 — drivers/iommu/iommu-process.c',
    },
    {
      what: 'PASIDs from one cyclic IDR; freed when the process exits',
      where: 'iommu_process_alloc (idr_alloc_cyclic), iommu_notifier_release',
    },
    {
      what: 'The CD shares the CPU’s pinned ASID (ASET=0); broadcast TLB maintenance when the SMMU has BTM',
      where:
        '“Pin down ASIDs for sharing contexts with devices”, “Support broadcast TLB maintenance”',
    },
  ],
  labels: {
    name: 'rfc2017',
    allocator: 'cyclic (idr_alloc_cyclic)',
    record: 'iommu_process',
    bindCount: (n) => `the context holds ${n} refs`,
    domains: 'Domains and contexts',
    exitedCd: () => 'the exit handler cleared the CD',
  },
  config: {
    arm64: 'v4.14',
    iopgtableMair: IOPGTABLE_MAIR.v2018,
    smmuAsids: 'cyclic',
    privatePasids: 'cyclic',
    btm: true,
    svaCdReplicated: false,
    cdTables: 'domain',
    cdWriter: 'rfc2018',
    cd0Sync: false,
    domainOrder: 'attach',
    attachChecks: 'in-use',
    partialBlockUnmap: 'split',
    unmapInvalidation: 'per-leaf',
    rangeTtl: 'leaf',
    notify: 'whole',
  },
  ops: {
    bind: bindShared,
    unbind: unbindRfc,
    release: releaseRfc,
    cpuAsidFree: () => true,
    invalidate: invalidateRfc,
    sharedCd: (c, mm, asid, stall) =>
      sharedMmCd(c, mm, asid, stall, {
        aset: false,
        ha: c.smmu.platform.httu !== 'none',
        hd: c.smmu.platform.httu === 'af+dirty',
      }),
    iopf: { pri: 'serviced', stallNeedsHandle: false },
    staleBond: (dev, proc, pasid) =>
      `${dev}'s driver still holds PASID ${pasid} of the ${proc} that exited: it unbinds it first (that unbind returns -ESRCH and releases it)`,
    noPasidErrno: '-ENOSPC',
  },
};
