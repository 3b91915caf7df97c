// v6.6: the SMMU is invalidated from the arm64 TLB flush (docs/research/eras.md §3).
import type { KernelEra } from './types.ts';
import { sharedCdLabels, sharedCdOps, UPSTREAM } from './upstream.ts';

export const v6_6: KernelEra = {
  id: 'v6.6',
  from: 'v6.6',
  to: 'v6.7',
  title: 'Invalidation from the arm64 TLB flush',
  summary:
    'As v5.18, but the SMMU hears of a CPU-side change only when and where the CPU flushes its TLB (arch_invalidate_secondary_tlbs): unmapping pages never touched sends nothing; a large range becomes one TLBI by ASID; I/O page faults go through the device’s own SVA domain.',
  changes: [
    {
      what: 'Secondary TLBs invalidated from the arch TLB flush, not from mmu_notifier_invalidate_range_end',
      where:
        'v6.6 — “mmu_notifiers: call invalidate_range() when invalidating TLBs”, “rename invalidate_range notifier” (arm_smmu_mm_arch_invalidate_secondary_tlbs)',
    },
    {
      what: 'A range of CMDQ_MAX_TLBI_OPS pages or more (or flush_tlb_mm’s 0…−1UL) becomes TLBI_NH_ASID',
      where: '“arm64/smmu: use TLBI ASID when invalidating entire range”; “Fix soft lockup …”',
    },
    {
      what: 'SVA domains per (device, mm); a stalled fault needs the device’s own PASID domain',
      where: 'v6.2 — 136467962e49 “Add IOMMU SVA domain support”; iommu_report_device_fault',
    },
  ],
  labels: sharedCdLabels('v6.6'),
  config: {
    ...UPSTREAM,
    cdTables: 'domain',
    cdWriter: 'ctxdesc',
    cd0Sync: true,
    attachChecks: 'exact',
    partialBlockUnmap: 'split',
    unmapInvalidation: 'gather',
    rangeTtl: 'leaf',
    notify: 'flushed',
  },
  ops: sharedCdOps({
    pasidLife: 'mm',
    exhausted: '-ENOSPC',
    notPaging: '-ENODEV',
    replicate: false,
    sizeOffByOne: false,
    capOps: true,
    noPasidErrno: '-EINVAL',
    stallNeedsHandle: true,
  }),
};
