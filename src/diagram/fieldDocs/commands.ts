// Command docs (§4): the section of each command, the meanings most commands share (the common
// dw0 fields and the TLBI fields, §4.4.1), and per-command meanings where a name means more.
import { COMMAND_BY_OPCODE } from '../../engine/index.ts';
import { doc, SHARE, type DocTable, type FieldDoc } from './shared.ts';

/** The section that defines each command. */
export const COMMAND_SECTION: Readonly<Record<string, string>> = {
  CMD_PREFETCH_CONFIG: '§4.2.1',
  CMD_PREFETCH_ADDR: '§4.2.2',
  CMD_CFGI_STE: '§4.3.1',
  CMD_CFGI_STE_RANGE: '§4.3.2',
  CMD_CFGI_CD: '§4.3.3',
  CMD_CFGI_CD_ALL: '§4.3.4',
  CMD_CFGI_ALL: '§4.3.6',
  CMD_TLBI_NH_ALL: '§4.4.2',
  CMD_TLBI_NH_ASID: '§4.4.2',
  CMD_TLBI_NH_VA: '§4.4.2',
  CMD_TLBI_NH_VAA: '§4.4.2',
  CMD_TLBI_EL3_ALL: '§4.4',
  CMD_TLBI_EL3_VA: '§4.4',
  CMD_TLBI_EL2_ALL: '§4.4.2',
  CMD_TLBI_EL2_ASID: '§4.4.2',
  CMD_TLBI_EL2_VA: '§4.4.2',
  CMD_TLBI_EL2_VAA: '§4.4.2',
  CMD_TLBI_S12_VMALL: '§4.4.3',
  CMD_TLBI_S2_IPA: '§4.4.3',
  CMD_TLBI_NSNH_ALL: '§4.4.4',
  CMD_ATC_INV: '§4.5.1',
  CMD_PRI_RESP: '§4.5.2',
  CMD_RESUME: '§4.7.1',
  CMD_STALL_TERM: '§4.7.2',
  CMD_SYNC: '§4.7.3',
  CMD_DPTI_ALL: '§4.6.1',
  CMD_DPTI_PA: '§4.6.2',
};

const TLBI_COMMON = '§4.4.1';
const COMMAND_COMMON: DocTable = {
  Opcode: doc('Command opcode', '§4.1.1', {
    describe: (v) => COMMAND_BY_OPCODE.get(Number(v))?.name ?? 'unknown opcode (CERROR_ILL)',
  }),
  SSV: doc('The SubstreamID field is valid', '§4.1.6'),
  SubstreamID: doc('SubstreamID (PASID) the command applies to', '§4.1.6'),
  StreamID: doc('StreamID the command applies to', '§4.1.6'),
  NUM: doc('Range invalidation: (NUM+1)·2^SCALE granules', TLBI_COMMON),
  SCALE: doc('Range invalidation: exponent of the granule count', TLBI_COMMON),
  Leaf: doc('Only last-level (leaf) entries need to go', TLBI_COMMON, {
    values: { 0: 'leaf and walk-cache entries', 1: 'leaf entries only' },
  }),
  TTL: doc('Level of the leaf entries being invalidated', TLBI_COMMON, {
    values: { 0: 'any level', 1: 'level 1', 2: 'level 2', 3: 'level 3' },
  }),
  TG: doc('Granule of the range (0 = no range, no TTL)', TLBI_COMMON, {
    values: { 0: 'any (no range)', 1: '4 KB', 2: '16 KB', 3: '64 KB' },
  }),
  Address: doc('Address to invalidate (bits 63:12)', TLBI_COMMON, { address: true }),
  VMID: doc('VMID whose entries are invalidated', TLBI_COMMON),
  ASID: doc('ASID whose entries are invalidated', TLBI_COMMON),
};

/** Per-command meanings where a field name means something else than in COMMAND_COMMON. */
const COMMAND_OVERRIDES: Readonly<Record<string, DocTable>> = {
  CMD_PREFETCH_ADDR: {
    Size: doc('log2 of the number of pages to prefetch', '§4.2.2'),
    Stride: doc('log2 of the distance between prefetched pages', '§4.2.2'),
    NS: doc('The address is Non-secure (Secure queue only)', '§4.2.2'),
    Address: doc('First address to prefetch (bits 63:12)', '§4.2.2', { address: true }),
  },
  CMD_CFGI_STE: {
    Leaf: doc('1: only the STE; 0: also the L1STD covering it', '§4.3.1', {
      values: { 0: 'STE and L1STD', 1: 'STE only' },
    }),
  },
  CMD_CFGI_STE_RANGE: {
    Range: doc('Invalidate 2^(Range+1) aligned StreamIDs; 31 = all (CFGI_ALL)', '§4.3.2', {
      describe: (v) => (v === 31n ? 'every StreamID' : `${2n ** (v + 1n)} StreamIDs`),
    }),
  },
  CMD_CFGI_CD: {
    Leaf: doc('1: only the CD; 0: also the L1CD covering it', '§4.3.3', {
      values: { 0: 'CD and L1CD', 1: 'CD only' },
    }),
  },
  CMD_TLBI_S2_IPA: {
    Address: doc('IPA to invalidate (bits 51:12)', '§4.4.3', { address: true }),
  },
  CMD_ATC_INV: {
    Global: doc('With SSV=1, also drop global ATC entries', '§4.5.1'),
    Size: doc('The span is 4 KB × 2^Size, aligned to its size (52 = all)', '§4.5.1', {
      describe: (v) => (v >= 52n ? 'everything' : `${4n << v} KB`),
    }),
    Address: doc('Start of the span (bits 63:12)', '§4.5.1', { address: true }),
  },
  CMD_PRI_RESP: {
    PRGIndex: doc('Page Request Group being answered', '§4.5.2'),
    Resp: doc('Response sent to the device', '§4.5.2', {
      values: {
        0: 'ResponseFailure (device stops PRI)',
        1: 'InvalidRequest',
        2: 'Success',
        3: 'reserved (CERROR_ILL)',
      },
    }),
  },
  CMD_RESUME: {
    Ac: doc('Action: retry the stalled transaction, or terminate it', '§4.7.1', {
      values: { 0: 'terminate', 1: 'retry' },
    }),
    Ab: doc('When terminating: abort (1) or RAZ/WI (0)', '§4.7.1', {
      values: { 0: 'RAZ/WI', 1: 'abort' },
    }),
    STAG: doc('Stall tag from the event record', '§4.7.1'),
  },
  CMD_SYNC: {
    CS: doc('How completion is signalled', '§4.7.3', {
      values: { 0: 'no signal', 1: 'MSI write', 2: 'SEV (wake WFE)', 3: 'reserved' },
    }),
    MSH: doc('Shareability of the completion MSI write', '§4.7.3', { values: SHARE }),
    MSIAttr: doc('Memory attributes of the completion MSI write', '§4.7.3'),
    MSIData: doc('Data written by the completion MSI', '§4.7.3'),
    MSIAddress: doc('Where the completion MSI is written (bits 55:2; 0 = no MSI)', '§4.7.3', {
      address: true,
    }),
  },
  CMD_DPTI_PA: {
    Leaf: doc('1: only the final level of the DPT lookup; 0: every level', '§4.6.2', {
      values: { 0: 'all levels of the walk', 1: 'final level only' },
    }),
    SIZE: doc('Length of the aligned physical region to invalidate', '§4.6.2', {
      values: {
        0: '4 KB',
        1: '16 KB',
        2: '64 KB',
        3: '2 MB',
        4: '32 MB',
        5: '512 MB',
        6: '1 GB',
        7: '16 GB',
        8: '64 GB',
        9: '512 GB',
      },
      describe: () => 'reserved (no entries need be invalidated)',
    }),
    Address: doc('Base of the region, aligned to SIZE (bits 55:12)', '§4.6.2', {
      address: true,
    }),
  },
};

/** A command field's doc; `command` is the spec name (CMD_…). */
export function commandFieldDoc(command: string, field: string): FieldDoc | undefined {
  const name = command === 'CMD_CFGI_ALL' ? 'CMD_CFGI_STE_RANGE' : command;
  return COMMAND_OVERRIDES[name]?.[field] ?? COMMAND_COMMON[field];
}
