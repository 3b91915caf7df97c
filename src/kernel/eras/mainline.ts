// Mainline as of v7.2 (2026): HA/HD in SVA CDs, per-domain invalidation arrays
// (docs/research/eras.md §6).
import type { KernelEra } from './types.ts';
import { svaLabels, svaOps, UPSTREAM } from './upstream.ts';

export const mainline: KernelEra = {
  id: 'mainline',
  from: 'v7.2',
  to: null,
  title: 'Hardware dirty bits, invalidation arrays',
  summary:
    'As v6.11, with hardware Access/Dirty updates in SVA CDs where the SMMU has HTTU, per-domain invalidation arrays that turn any large invalidation without range support into one TLBI by ASID, unmapping part of a block removing the whole block, and no device-feature API (a device without PASIDs fails in the core: -ENOSPC/-EOVERFLOW).',
  changes: [
    {
      what: 'SVA CDs set HA (and HD) where the SMMU supports HTTU',
      where:
        '74fa4c177ad0 “iommu/arm-smmu-v3-sva: Enable Hardware Access and Hardware Dirty bits” (2026)',
    },
    {
      what: 'Per-domain invalidation arrays; arm_smmu_inv_size_too_big caps every invalidation',
      where: 'v7.1 — 4202fddd01c7 “Perform per-domain invalidations using arm_smmu_invs”',
    },
    {
      what: 'Unmapping part of a block removes the whole block (no split)',
      where: 'v6.13 — 33729a5fc0ca (io-pgtable-arm)',
    },
    {
      what: 'IOMMU_DEV_FEAT_SVA/IOPF removed: the core decides (iommu_alloc_mm_data)',
      where: '≈v6.15 — ops->domain_alloc_sva, iommu_sva_bind_device',
    },
  ],
  labels: svaLabels('mainline'),
  config: {
    ...UPSTREAM,
    cdTables: 'master',
    cdWriter: 'entry',
    cd0Sync: false,
    attachChecks: 'none',
    partialBlockUnmap: 'remove',
    unmapInvalidation: 'gather-capped',
    rangeTtl: 'leaf',
    notify: 'flushed',
  },
  ops: svaOps({ featureEnable: false, httu: true, noPasidErrno: '-ENOSPC' }),
};
