// What each kernel profile models, in a sentence: the header's Kernel selector describes the
// chosen one (and each option) with it, and the help overlay lists them all. The details, their
// sources and what the model infers are in each op's kernel notes (the timeline's ▸ toggles).
import type { KernelProfile } from '../../scenario/index.ts';

export interface KernelProfileInfo {
  readonly id: KernelProfile;
  /** The option's text in the selector. */
  readonly label: string;
  /** What the profile models. */
  readonly summary: string;
}

export const KERNEL_PROFILES: readonly KernelProfileInfo[] = [
  {
    id: 'rfc2017',
    label: 'rfc2017 (RFCv2 series)',
    summary:
      'The 2017 RFCv2 series: one iommu_process per bound process, its PASID from a cyclic IDR and freed at exit (the exit handler clears the CD; the late unbind gets -ESRCH); the CD shares the CPU’s ASID, pinned, invalidated by broadcast TLBI when the SMMU has BTM; PRI and stalled faults serviced.',
  },
  {
    id: 'mainline',
    label: 'mainline',
    summary:
      'Today’s SVA code (around v6.11 and later): the mm’s PASID from the global IDA (lowest free), held until the mm is freed; one SVA domain per mm with its own SMMU ASID and explicit TLBI commands (no BTM); at exit the CD stays valid with EPD0=1 until the driver’s late unbind; stalled faults serviced, PRI requests denied.',
  },
];

export const KERNEL_NOTES_HINT =
  'The details, their sources and what the model infers are in the kernel notes of each op (the ▸ beside it in the timeline).';

export const profileInfo = (id: KernelProfile): KernelProfileInfo =>
  KERNEL_PROFILES.find((p) => p.id === id) ?? KERNEL_PROFILES[0]!;
