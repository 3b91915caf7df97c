// How the Platform dialog names each field of platform.smmu and platform.cpu: a label, where the
// value shows in the hardware (the ID register field, or what the model or Linux takes it from),
// and the group it is shown in. Fields and their rules come from the schema
// (scenario PLATFORM_FIELDS); this table only words them. A field missing here still shows, under
// its own name, in "Other" (a test lists the missing ones).
export type PlatformGroup = 'tables' | 'features' | 'ids' | 'sizes' | 'memory' | 'cpu' | 'other';

export const GROUPS: readonly { readonly id: PlatformGroup; readonly title: string }[] = [
  { id: 'tables', title: 'Stream and context tables' },
  { id: 'features', title: 'Features' },
  { id: 'ids', title: 'IDs and addresses' },
  { id: 'sizes', title: 'Caches and queues' },
  { id: 'memory', title: 'Memory' },
  { id: 'cpu', title: 'CPU (arm64)' },
  { id: 'other', title: 'Other' },
];

export interface FieldText {
  readonly label: string;
  /** Where it shows: an ID register field, or the source of the value. */
  readonly where: string;
  readonly group: PlatformGroup;
}

export const FIELD_TEXT: Readonly<Record<string, FieldText>> = {
  'smmu.streamTable': { label: 'Stream table', where: 'SMMU_IDR0.ST_LEVEL', group: 'tables' },
  'smmu.sidBits': { label: 'StreamID bits', where: 'SMMU_IDR1.SIDSIZE', group: 'tables' },
  'smmu.cd2l': { label: '2-level CD tables', where: 'SMMU_IDR0.CD2L', group: 'tables' },
  'smmu.ssidBits': { label: 'SubstreamID bits', where: 'SMMU_IDR1.SSIDSIZE', group: 'tables' },
  'smmu.ats': { label: 'ATS', where: 'SMMU_IDR0.ATS', group: 'features' },
  'smmu.pri': { label: 'PRI', where: 'SMMU_IDR0.PRI', group: 'features' },
  'smmu.stall': { label: 'Stall model', where: 'SMMU_IDR0.STALL_MODEL', group: 'features' },
  'smmu.s2': { label: 'Stage 2 (nesting)', where: 'SMMU_IDR0.S2P', group: 'features' },
  'smmu.btm': { label: 'Broadcast TLB maintenance', where: 'SMMU_IDR0.BTM', group: 'features' },
  'smmu.httu': { label: 'Hardware A/D updates', where: 'SMMU_IDR0.HTTU', group: 'features' },
  'smmu.rangeInv': { label: 'Range invalidation', where: 'SMMU_IDR3.RIL', group: 'features' },
  'smmu.attrPermsOvr': {
    label: 'Attribute/permission override',
    where: 'SMMU_IDR1.ATTR_PERMS_OVR',
    group: 'features',
  },
  'smmu.had': {
    label: 'Hierarchical attribute disable',
    where: 'SMMU_IDR3.HAD',
    group: 'features',
  },
  'smmu.e0pd': { label: 'E0PD', where: 'SMMU_IDR3.E0PD', group: 'features' },
  'smmu.pps': { label: 'PRI responses carry the PASID', where: 'SMMU_IDR3.PPS', group: 'features' },
  'smmu.stallMax': {
    label: 'Stalls outstanding at most',
    where: 'SMMU_IDR5.STALL_MAX',
    group: 'features',
  },
  'smmu.asidBits': { label: 'ASID bits', where: 'SMMU_IDR0.ASID16', group: 'ids' },
  'smmu.vmidBits': { label: 'VMID bits', where: 'SMMU_IDR0.VMID16', group: 'ids' },
  'smmu.oas': { label: 'Output address bits', where: 'SMMU_IDR5.OAS', group: 'ids' },
  'smmu.tlbEntries': {
    label: 'TLB entries',
    where: 'model (IMPLEMENTATION DEFINED)',
    group: 'sizes',
  },
  'smmu.cfgCacheEntries': {
    label: 'Configuration cache entries',
    where: 'model (IMPLEMENTATION DEFINED)',
    group: 'sizes',
  },
  'smmu.atcEntries': {
    label: 'ATC entries per device',
    where: 'model (the endpoint’s)',
    group: 'sizes',
  },
  'smmu.cmdqEntries': { label: 'Command queue entries', where: 'SMMU_IDR1.CMDQS', group: 'sizes' },
  'smmu.evtqEntries': { label: 'Event queue entries', where: 'SMMU_IDR1.EVENTQS', group: 'sizes' },
  'smmu.priqEntries': { label: 'PRI queue entries', where: 'SMMU_IDR1.PRIQS', group: 'sizes' },
  'smmu.ramBase': { label: 'RAM base', where: 'the memory map', group: 'memory' },
  'smmu.ramSize': { label: 'RAM size', where: 'the memory map', group: 'memory' },
  'cpu.granule': { label: 'Page size', where: 'TCR_EL1.TG0 (CONFIG_ARM64_*K_PAGES)', group: 'cpu' },
  'cpu.vaBits': { label: 'VA bits', where: 'CONFIG_ARM64_VA_BITS', group: 'cpu' },
  'cpu.asidBits': { label: 'ASID bits', where: 'ID_AA64MMFR0_EL1.ASIDBits', group: 'cpu' },
};

/** How a choice reads in its select (the document's value where it reads well as it is). */
export function optionText(key: string, v: string | number | boolean): string {
  if (key === 'smmu.streamTable') return v === '2level' ? '2-level' : 'linear';
  if (key === 'smmu.stall')
    return v === 'supported' ? 'supported (0b00)' : v === 'none' ? 'none (0b01)' : 'forced (0b10)';
  if (key === 'smmu.httu')
    return v === 'none' ? 'none' : v === 'af' ? 'access flag' : 'access and dirty';
  return String(v);
}
