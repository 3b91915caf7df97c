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
    term: 'Stream table',
    text: 'The table of STEs the SMMU indexes by StreamID: linear, or 2-level with L1STDs pointing at spans of STEs.',
    cite: 'spec §3.3, SMMU_STRTAB_BASE_CFG §6.3.25',
    aliases: ['Stream tables'],
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
    term: 'Config',
    text: 'STE.Config: what the stream does: 0b000 abort, 0b100 bypass, 0b101 stage 1 only, 0b110 stage 2 only, 0b111 both stages (nested).',
    cite: 'spec §5.2',
  },
  {
    term: 'S1ContextPtr',
    text: "STE.S1ContextPtr: the address of the stream's CD table (or of its single CD).",
    cite: 'spec §5.2',
  },
  {
    term: 'S1CDMax',
    text: 'STE.S1CDMax: the CD table holds 2^S1CDMax CDs; 0 means one CD and no SubstreamIDs.',
    cite: 'spec §5.2',
  },
  {
    term: 'TTB0',
    text: 'CD.TTB0: the address of the stage-1 translation table a walk of the lower VA range starts at.',
    cite: 'spec §5.4',
  },
  {
    term: 'T0SZ',
    text: 'CD.T0SZ: the lower VA range is 2^(64−T0SZ) bytes; a value outside 16..39 makes the CD ILLEGAL (C_BAD_CD).',
    cite: 'spec §5.4, CdIllegal()',
  },
  {
    term: 'ASET',
    text: "CD.ASET: 0 — the ASID is shared with the CPU, so broadcast TLB invalidations apply to it; 1 — the SMMU's own, untouched by them.",
    cite: 'spec §5.4',
  },
  {
    term: 'L1STD',
    text: 'Level-1 Stream Table Descriptor: in a 2-level Stream table, points at one span of STEs.',
    cite: 'spec §5.1',
    aliases: ['Level-1 Stream Table Descriptor'],
  },
  {
    term: 'L1CD',
    text: 'Level-1 Context Descriptor: in a 2-level CD table, points at one leaf table of CDs.',
    cite: 'spec §5.3',
    aliases: ['Level-1 Context Descriptor'],
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
  {
    term: 'VMID',
    text: 'Virtual Machine ID: tags TLB entries of stage 2.',
    cite: 'spec §5.2',
    aliases: ['S2VMID'],
  },
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
    term: 'io-pgtable',
    text: "A translation table Linux's DMA API builds for a device (not a process's own): private to one PASID or shared by a domain's streams.",
    cite: 'io-pgtable-arm.c, arm_64_lpae_alloc_pgtable_s1()',
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
  {
    term: 'S1DSS',
    text: 'STE.S1DSS: what an access without a SubstreamID does when the STE has several CDs: abort, bypass stage 1, or use CD 0.',
    cite: 'spec §5.2',
  },
  {
    term: 'EPD0',
    text: 'CD.EPD0: no walks through TTB0; a TLB miss in that range is a translation fault. Set while a CD is being torn down.',
    cite: 'spec §5.4',
  },
  {
    term: 'TBI',
    text: 'Top Byte Ignore (CD.TBI0/1): the top 8 bits of the address are not translated (tags).',
    cite: 'spec §5.4',
    aliases: ['TBI0', 'TBI1'],
  },
  {
    term: 'ATC',
    text: 'Address Translation Cache: the copy of translations a PCIe device keeps with ATS; invalidated by CMD_ATC_INV.',
    cite: 'spec §3.9',
  },
  {
    term: 'STAG',
    text: 'Stall tag: names one stalled access in its event record; CMD_RESUME quotes it to retry or abort that access.',
    cite: 'spec §3.12.2, §4.7',
  },
  {
    term: 'BTM',
    text: "Broadcast TLB Maintenance: the SMMU obeys the CPU's TLBI instructions, so Linux need not send its own for a shared ASID.",
    cite: 'SMMU_IDR0.BTM, spec §6.3.1',
  },
  {
    term: 'HTTU',
    text: 'Hardware Translation Table Update: the SMMU sets the Access flag (and dirty state) in descriptors itself.',
    cite: 'SMMU_IDR0.HTTU, spec §6.3.1',
  },
  {
    term: 'SYNC',
    text: 'CMD_SYNC: completes once every earlier command has taken effect; drivers wait on it after invalidations.',
    cite: 'spec §4.7.3, arm_smmu_cmdq_issue_sync()',
    aliases: ['CMD_SYNC'],
  },
];

const BY_NAME = new Map<string, Gloss>();
for (const e of ENTRIES)
  for (const n of [e.term, ...(e.aliases ?? [])]) BY_NAME.set(n.toLowerCase(), e);

/** Every entry, in the order the glossary lists them. */
export const GLOSSARY: readonly Gloss[] = ENTRIES;

export const glossary = (term: string): Gloss | undefined => BY_NAME.get(term.toLowerCase());
