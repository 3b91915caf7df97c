// v6.11: SVA domains become ordinary arm_smmu_domains with their own ASID (docs/research/eras.md
// §5). Documents and links of format version 1 that said "mainline" meant this era.
import type { KernelEra } from './types.ts';
import { svaLabels, svaOps, UPSTREAM } from './upstream.ts';

export const v6_11: KernelEra = {
  id: 'v6.11',
  from: 'v6.11',
  to: 'v7.2',
  title: 'SVA domain with its own ASID',
  summary:
    'One SVA domain per mm with its own SMMU ASID (ASET=1, no CPU ASID pinned) and explicit TLBIs; CDs written hitlessly (arm_smmu_write_entry) into the bound master’s own table only; a master whose RID domain is identity or blocked can bind (STE S1DSS=BYPASS/TERMINATE); at exit the CD stays valid with EPD0 and S=R=0. What documents of format version 1 called “mainline”.',
  changes: [
    {
      what: 'The SVA domain is a normal arm_smmu_domain with its own ASID; the CPU ASID is no longer shared',
      where: 'v6.11 — d7b2d2ba1b84 “Make SVA allocate a normal arm_smmu_domain”',
    },
    {
      what: 'BTM support removed (“ARM_SMMU_FEAT_BTM is never enabled”); the notifier lives in the domain',
      where: 'v6.11 — d38c28dbefee “Put the SVA mmu notifier in the smmu_domain”',
    },
    {
      what: 'A PASID may be set when the RID is IDENTITY/BLOCKED: CD-table STE with S1DSS=BYPASS/TERMINATE',
      where: 'v6.11 — 8ee9175c2582; arm_smmu_set_pasid, arm_smmu_update_ste',
    },
    {
      what: 'Only the bound master’s CD is written and cleared',
      where: 'v6.8 — b5bf7778b722; v6.11 arm_smmu_set_pasid / arm_smmu_remove_dev_pasid',
    },
    {
      what: 'CDs written by arm_smmu_write_entry (hitless); the exit CD clears S and R',
      where: 'v6.10 arm_smmu_write_cd_entry; v6.8 b41932f54458 “disable stall for quiet_cd”',
    },
  ],
  labels: svaLabels('v6.11'),
  config: {
    ...UPSTREAM,
    cdTables: 'master',
    cdWriter: 'entry',
    cd0Sync: false,
    attachChecks: 'none',
    partialBlockUnmap: 'split',
    unmapInvalidation: 'gather',
    rangeTtl: 'leaf',
    notify: 'flushed',
  },
  ops: svaOps({ featureEnable: true, httu: false, noPasidErrno: '-EINVAL' }),
};
