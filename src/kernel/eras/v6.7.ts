// v6.7: the CD table belongs to the master (docs/research/eras.md §4).
import type { KernelEra } from './types.ts';
import { sharedCdLabels, sharedCdOps, UPSTREAM } from './upstream.ts';

export const v6_7: KernelEra = {
  id: 'v6.7',
  from: 'v6.7',
  to: 'v6.11',
  title: 'CD table per master',
  summary:
    'Each master has its own CD table (CD 0 = its domain’s io-pgtable). As released, SVA still writes the mm’s CD into every master of the RID domain and clears it from all at the last unbind; masters of different SSID widths may share a domain, and a bind whose PASID does not fit one of them fails (-E2BIG).',
  changes: [
    {
      what: 'The CD table moves from the domain into arm_smmu_master; CFGI_CD per master',
      where:
        'v6.7 — Michael Shavit’s series: arm_smmu_write_ctx_desc(master, …), arm_smmu_sync_cd(master, …)',
    },
    {
      what: 'No SSID-width or stall check at attach: each master’s table is sized for it',
      where: 'arm_smmu_attach_dev, arm_smmu_alloc_cd_tables(master)',
    },
    {
      what: 'SVA still replicates the CD over the RID domain’s masters (fixed in v6.8)',
      where:
        'arm_smmu_mmu_notifier_get / arm_smmu_update_ctx_desc_devices; b5bf7778b722 removed the loop',
    },
  ],
  labels: sharedCdLabels('v6.7'),
  config: {
    ...UPSTREAM,
    cdTables: 'master',
    svaCdReplicated: true,
    cdWriter: 'ctxdesc',
    cd0Sync: true,
    attachChecks: 'none',
    partialBlockUnmap: 'split',
    unmapInvalidation: 'gather',
    rangeTtl: 'leaf',
    notify: 'flushed',
  },
  ops: sharedCdOps({
    pasidLife: 'mm',
    exhausted: '-ENOSPC',
    notPaging: '-ENODEV',
    replicate: true,
    sizeOffByOne: false,
    capOps: true,
    noPasidErrno: '-EINVAL',
    stallNeedsHandle: true,
  }),
};
