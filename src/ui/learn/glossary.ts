// Short definitions of the terms tours and notes link with [[TERM]], each citing where it is
// defined: a section of the SMMUv3 spec (Arm IHI 0070) or a Linux function. Looked up by the
// term or an alias, case-insensitively, as the table's own entries only.

export interface Gloss {
  readonly term: string;
  readonly text: string;
  readonly cite: string;
}

const ENTRIES: readonly (Gloss & { readonly aliases?: readonly string[] })[] = [
  {
    term: 'SMMU',
    text: 'System MMU: translates the addresses devices use into physical addresses, as the CPU MMU does for processes.',
    cite: 'SMMUv3 spec §1',
    aliases: ['SMMUv3'],
  },
  {
    term: 'StreamID',
    text: 'The number that identifies the device (stream) an access comes from; it indexes the Stream table.',
    cite: 'spec §3.2',
    aliases: ['SID'],
  },
  {
    term: 'STE',
    text: 'Stream Table Entry: 64 bytes per StreamID saying whether and how the stream is translated (stage 1, stage 2, bypass, abort) and where its CDs are.',
    cite: 'spec §5.2',
    aliases: ['Stream Table Entry'],
  },
  {
    term: 'CD',
    text: 'Context Descriptor: 64 bytes per SubstreamID holding the stage-1 translation table base (TTB0), its size (T0SZ) and ASID.',
    cite: 'spec §5.4',
    aliases: ['Context Descriptor'],
  },
  {
    term: 'L1STD',
    text: 'Level-1 Stream Table Descriptor: in a 2-level Stream table, points at one span of STEs.',
    cite: 'spec §5.1',
  },
  {
    term: 'L1CD',
    text: 'Level-1 Context Descriptor: in a 2-level CD table, points at one leaf table of CDs.',
    cite: 'spec §5.3',
  },
  {
    term: 'SSID',
    text: 'SubstreamID: tells apart the contexts (address spaces) within one stream; selects the CD. PCIe calls it the PASID.',
    cite: 'spec §3.2',
    aliases: ['SubstreamID'],
  },
  {
    term: 'PASID',
    text: 'Process Address Space ID: the PCIe name of the SubstreamID. Linux allocates one per bound mm.',
    cite: 'iommu_sva_bind_device(), spec §3.2',
  },
  {
    term: 'ASID',
    text: "Address Space ID: tags TLB entries of a stage-1 context; with SVA the CD uses the process's own ASID.",
    cite: 'spec §5.4, arm_smmu_share_asid()',
  },
  { term: 'VMID', text: 'Virtual Machine ID: tags TLB entries of stage 2.', cite: 'spec §5.2' },
  {
    term: 'PRI',
    text: 'Page Request Interface (PCIe): a device asks the OS to make pages present and retries the access after the answer.',
    cite: 'spec §8, iommu_queue_iopf()',
  },
  {
    term: 'stall',
    text: 'A faulting access is held in the SMMU while software fixes the page tables, then resumed or terminated.',
    cite: 'spec §3.12.2, CMD_RESUME',
  },
  {
    term: 'ATS',
    text: 'Address Translation Services (PCIe): the device asks the SMMU for translations and caches them in its ATC.',
    cite: 'spec §3.9',
  },
  {
    term: 'TLBI',
    text: 'TLB invalidation commands sent on the command queue after a page table changes.',
    cite: 'spec §4.4',
  },
  {
    term: 'CFGI',
    text: 'Configuration invalidation commands (CFGI_STE, CFGI_CD): drop cached STEs and CDs after they change.',
    cite: 'spec §4.3',
  },
];

const BY_NAME = new Map<string, Gloss>();
for (const e of ENTRIES)
  for (const n of [e.term, ...(e.aliases ?? [])]) BY_NAME.set(n.toLowerCase(), e);

export const glossary = (term: string): Gloss | undefined => BY_NAME.get(term.toLowerCase());
