// Register docs (§6.3): each register's section and width, and every field of every modelled
// register.
import type { RegName } from '../../engine/index.ts';
import {
  CACHE_CR1,
  doc,
  ENABLED,
  PA_SIZES,
  SHARE,
  SUPPORTED,
  type DocTable,
  type FieldDoc,
} from './shared.ts';

export const REG_SECTION: Readonly<Record<RegName, string>> = {
  IDR0: '§6.3.1',
  IDR1: '§6.3.2',
  IDR3: '§6.3.4',
  IDR5: '§6.3.6',
  CR0: '§6.3.9',
  CR0ACK: '§6.3.10',
  CR1: '§6.3.11',
  CR2: '§6.3.12',
  GBPA: '§6.3.14',
  IRQ_CTRL: '§6.3.16',
  GERROR: '§6.3.19',
  GERRORN: '§6.3.20',
  STRTAB_BASE: '§6.3.24',
  STRTAB_BASE_CFG: '§6.3.25',
  CMDQ_BASE: '§6.3.26',
  CMDQ_PROD: '§6.3.27',
  CMDQ_CONS: '§6.3.28',
  EVENTQ_BASE: '§6.3.29',
  EVENTQ_PROD: '§6.3.95',
  EVENTQ_CONS: '§6.3.96',
  PRIQ_BASE: '§6.3.33',
  PRIQ_PROD: '§6.3.97',
  PRIQ_CONS: '§6.3.98',
};

/** Register widths: the table and queue bases are 64-bit, the rest 32-bit. */
export const REG_WIDTH: Readonly<Record<RegName, 32 | 64>> = {
  IDR0: 32,
  IDR1: 32,
  IDR3: 32,
  IDR5: 32,
  CR0: 32,
  CR0ACK: 32,
  CR1: 32,
  CR2: 32,
  GBPA: 32,
  IRQ_CTRL: 32,
  GERROR: 32,
  GERRORN: 32,
  STRTAB_BASE: 64,
  STRTAB_BASE_CFG: 32,
  CMDQ_BASE: 64,
  CMDQ_PROD: 32,
  CMDQ_CONS: 32,
  EVENTQ_BASE: 64,
  EVENTQ_PROD: 32,
  EVENTQ_CONS: 32,
  PRIQ_BASE: 64,
  PRIQ_PROD: 32,
  PRIQ_CONS: 32,
};

const r = (reg: RegName, meaning: string, extra?: Omit<FieldDoc, 'meaning' | 'section'>) =>
  doc(meaning, REG_SECTION[reg], extra);

const cr0 = (reg: 'CR0' | 'CR0ACK'): DocTable => {
  const ack = reg === 'CR0ACK' ? ' (acknowledged: now in effect)' : '';
  return {
    SMMUEN: r(reg, `SMMU translation enabled${ack}`, { values: ENABLED }),
    PRIQEN: r(reg, `PRI queue enabled${ack}`, { values: ENABLED }),
    EVENTQEN: r(reg, `Event queue enabled${ack}`, { values: ENABLED }),
    CMDQEN: r(reg, `Command queue processing enabled${ack}`, { values: ENABLED }),
    ATSCHK: r(reg, `ATS Translated traffic is checked against the STE${ack}`),
  };
};

const gerror = (reg: 'GERROR' | 'GERRORN'): DocTable => {
  const how =
    reg === 'GERROR'
      ? 'toggled by the SMMU; active while it differs from GERRORN'
      : 'software copies GERROR here to acknowledge';
  return {
    CMDQ_ERR: r(reg, `Command queue error (see CMDQ_CONS.ERR); ${how}`),
    EVENTQ_ABT_ERR: r(reg, `External abort writing the event queue; ${how}`),
    PRIQ_ABT_ERR: r(reg, `External abort writing the PRI queue; ${how}`),
    MSI_CMDQ_ABT_ERR: r(reg, `CMD_SYNC completion MSI aborted; ${how}`),
    MSI_EVENTQ_ABT_ERR: r(reg, `Event queue MSI aborted; ${how}`),
    MSI_PRIQ_ABT_ERR: r(reg, `PRI queue MSI aborted; ${how}`),
    MSI_GERROR_ABT_ERR: r(reg, `GERROR MSI aborted; ${how}`),
    SFM_ERR: r(reg, `The SMMU entered Service Failure Mode; ${how}`),
  };
};

const queueBase = (reg: 'CMDQ_BASE' | 'EVENTQ_BASE' | 'PRIQ_BASE', what: string): DocTable => ({
  LOG2SIZE: r(reg, `log2 of the number of ${what} slots`, {
    describe: (v) => `${2n ** v} slots`,
  }),
  ADDR: r(reg, `Base address of the ${what} ring (bits 55:5, aligned to its size)`, {
    address: true,
  }),
  ...(reg === 'CMDQ_BASE'
    ? { RA: r(reg, 'Read-allocate hint for command fetches') }
    : { WA: r(reg, `Write-allocate hint for ${what} writes`) }),
});

const ptr = (reg: RegName, who: string): FieldDoc =>
  r(reg, `${who}: slot index, with the wrap bit just above it`);

export const REG_DOCS: Readonly<Record<RegName, DocTable>> = {
  IDR0: {
    S2P: r('IDR0', 'Stage-2 translation implemented', { values: SUPPORTED }),
    S1P: r('IDR0', 'Stage-1 translation implemented', { values: SUPPORTED }),
    TTF: r('IDR0', 'Translation table formats supported', {
      values: { 0: 'reserved', 1: 'AArch32 LPAE', 2: 'AArch64', 3: 'AArch32 and AArch64' },
    }),
    COHACC: r('IDR0', 'Table and queue accesses are coherent with the CPUs'),
    BTM: r('IDR0', 'Can take part in CPU broadcast TLB maintenance', { values: SUPPORTED }),
    HTTU: r('IDR0', 'Hardware updates of Access flag / dirty state', {
      values: {
        0: 'none',
        1: 'Access flag',
        2: 'Access flag and dirty state',
        3: 'AF, dirty state and table AF',
      },
    }),
    DORMHINT: r('IDR0', 'Dormant hint supported'),
    HYP: r('IDR0', 'EL2 stream worlds (hypervisor stage-1 contexts) supported'),
    ATS: r('IDR0', 'PCIe ATS supported', { values: SUPPORTED }),
    NS1ATS: r('IDR0', 'Split-stage ATS is NOT supported when set'),
    ASID16: r('IDR0', '16-bit ASIDs supported'),
    MSI: r('IDR0', 'Message-signalled interrupts supported'),
    SEV: r('IDR0', 'Can send WFE wake-up events to the CPUs'),
    ATOS: r('IDR0', 'Address translation operation registers implemented'),
    PRI: r('IDR0', 'Page Request Interface (PRI queue) supported', { values: SUPPORTED }),
    VMW: r('IDR0', 'VMID wildcard matching for TLB invalidation'),
    VMID16: r('IDR0', '16-bit VMIDs supported'),
    CD2L: r('IDR0', 'Two-level CD tables supported', { values: SUPPORTED }),
    VATOS: r('IDR0', 'Virtual ATOS page implemented'),
    TTENDIAN: r('IDR0', 'Endianness of table walks supported', {
      values: { 0: 'mixed', 1: 'reserved', 2: 'little-endian only', 3: 'big-endian only' },
    }),
    ATSRECERR: r('IDR0', 'Records extra configuration errors for ATS and PRI requests'),
    STALL_MODEL: r('IDR0', 'Fault models available to CD.S / STE.S2S', {
      values: { 0: 'stall and terminate', 1: 'terminate only', 2: 'stall forced', 3: 'reserved' },
    }),
    TERM_MODEL: r('IDR0', 'Terminated transactions always abort (CD.A must be 1)', {
      values: { 0: 'abort or RAZ/WI', 1: 'abort only' },
    }),
    ST_LEVEL: r('IDR0', 'Stream table formats supported', {
      values: { 0: 'linear only', 1: 'linear and 2-level', 2: 'reserved', 3: 'reserved' },
    }),
  },
  IDR1: {
    SIDSIZE: r('IDR1', 'StreamID width in bits'),
    SSIDSIZE: r('IDR1', 'SubstreamID (PASID) width in bits; 0 = no substreams'),
    PRIQS: r('IDR1', 'log2 of the largest PRI queue'),
    EVENTQS: r('IDR1', 'log2 of the largest event queue'),
    CMDQS: r('IDR1', 'log2 of the largest command queue'),
    ATTR_PERMS_OVR: r('IDR1', 'STE can override incoming privilege and instruction attributes'),
    ATTR_TYPES_OVR: r('IDR1', 'STE can override incoming memory type and shareability'),
    REL: r('IDR1', 'Base registers hold offsets relative to the SMMU (embedded)'),
    QUEUES_PRESET: r('IDR1', 'Queue bases and sizes are fixed by the implementation'),
    TABLES_PRESET: r('IDR1', 'Stream table base and size are fixed by the implementation'),
    ECMDQ: r('IDR1', 'Enhanced command queue interfaces implemented'),
  },
  IDR3: {
    HAD: r('IDR3', 'CD.HAD0/HAD1 (hierarchical attribute disable) supported'),
    PBHA: r('IDR3', 'Page-based hardware attributes supported'),
    XNX: r('IDR3', 'Stage-2 XN distinguishes EL0 and EL1'),
    PPS: r('IDR3', 'Automatic PRI responses echo the request’s PASID'),
    STT: r('IDR3', 'Small translation tables (larger TxSZ) supported'),
    RIL: r('IDR3', 'Range TLB invalidation (TG/NUM/SCALE) supported'),
    BBML: r('IDR3', 'Break-before-make level supported'),
    E0PD: r('IDR3', 'CD.E0PD0/E0PD1 supported'),
    DPT: r('IDR3', 'Device Permission Table checks (STE.EATS=0b11) supported'),
  },
  IDR5: {
    OAS: r('IDR5', 'Output (physical) address size', { values: PA_SIZES }),
    GRAN4K: r('IDR5', '4 KB translation granule supported'),
    GRAN16K: r('IDR5', '16 KB translation granule supported'),
    GRAN64K: r('IDR5', '64 KB translation granule supported'),
    DS: r('IDR5', '52-bit addresses with 4 KB/16 KB granules (LPA2)'),
    VAX: r('IDR5', 'Largest virtual address size', {
      values: { 0: '48-bit', 1: '52-bit', 2: '56-bit', 3: 'reserved' },
    }),
    STALL_MAX: r('IDR5', 'Most stalled transactions the SMMU keeps at once'),
  },
  CR0: cr0('CR0'),
  CR0ACK: cr0('CR0ACK'),
  CR1: {
    QUEUE_IC: r('CR1', 'Inner cacheability of queue accesses', { values: CACHE_CR1 }),
    QUEUE_OC: r('CR1', 'Outer cacheability of queue accesses', { values: CACHE_CR1 }),
    QUEUE_SH: r('CR1', 'Shareability of queue accesses', { values: SHARE }),
    TABLE_IC: r('CR1', 'Inner cacheability of stream/CD table accesses', { values: CACHE_CR1 }),
    TABLE_OC: r('CR1', 'Outer cacheability of stream/CD table accesses', { values: CACHE_CR1 }),
    TABLE_SH: r('CR1', 'Shareability of stream/CD table accesses', { values: SHARE }),
  },
  CR2: {
    E2H: r('CR2', 'EL2 streams use the EL2-E2H regime (ASID-tagged)'),
    RECINVSID: r('CR2', 'Record C_BAD_STREAMID for out-of-range StreamIDs'),
    PTM: r('CR2', 'Private TLB maintenance: ignore CPU broadcast TLBIs', {
      values: { 0: 'snoop broadcast TLBI (BTM)', 1: 'explicit TLBI only' },
    }),
  },
  GBPA: {
    MemAttr: r('GBPA', 'Memory type for bypass traffic while SMMUEN=0 (MTCFG=1)'),
    MTCFG: r('GBPA', 'Override the memory type of bypass traffic'),
    ALLOCCFG: r('GBPA', 'Allocation hints for bypass traffic'),
    SHCFG: r('GBPA', 'Shareability of bypass traffic', {
      values: { 0: 'non-shareable', 1: 'use incoming', 2: 'outer shareable', 3: 'inner shareable' },
    }),
    PRIVCFG: r('GBPA', 'Privilege of bypass traffic'),
    INSTCFG: r('GBPA', 'Instruction/data attribute of bypass traffic'),
    ABORT: r('GBPA', 'While SMMUEN=0, abort all traffic instead of bypassing it', {
      values: { 0: 'bypass', 1: 'abort' },
    }),
    UPDATE: r('GBPA', 'Write 1 to apply the other fields; reads 0 when done'),
  },
  IRQ_CTRL: {
    GERROR_IRQEN: r('IRQ_CTRL', 'Global error interrupt enabled', { values: ENABLED }),
    PRIQ_IRQEN: r('IRQ_CTRL', 'PRI queue interrupt enabled', { values: ENABLED }),
    EVENTQ_IRQEN: r('IRQ_CTRL', 'Event queue interrupt enabled', { values: ENABLED }),
  },
  GERROR: gerror('GERROR'),
  GERRORN: gerror('GERRORN'),
  STRTAB_BASE: {
    ADDR: r('STRTAB_BASE', 'Base address of the stream table (bits 55:6)', { address: true }),
    RA: r('STRTAB_BASE', 'Read-allocate hint for stream table fetches'),
  },
  STRTAB_BASE_CFG: {
    LOG2SIZE: r('STRTAB_BASE_CFG', 'log2 of the number of StreamIDs (capped by SIDSIZE)', {
      describe: (v) => `${2n ** v} StreamIDs`,
    }),
    SPLIT: r('STRTAB_BASE_CFG', 'StreamID bits resolved by a level-2 table', {
      values: {
        6: '64 STEs per leaf (4 KB)',
        8: '256 STEs per leaf (16 KB)',
        10: '1024 STEs (64 KB)',
      },
    }),
    FMT: r('STRTAB_BASE_CFG', 'Stream table format', {
      values: { 0: 'linear', 1: '2-level', 2: 'reserved (linear)', 3: 'reserved (linear)' },
    }),
  },
  CMDQ_BASE: queueBase('CMDQ_BASE', 'command'),
  CMDQ_PROD: { WR: ptr('CMDQ_PROD', 'Where software writes the next command') },
  CMDQ_CONS: {
    RD: ptr('CMDQ_CONS', 'Next command the SMMU will consume'),
    ERR: r('CMDQ_CONS', 'Why command consumption stopped', {
      values: { 0: 'CERROR_NONE', 1: 'CERROR_ILL', 2: 'CERROR_ABT', 3: 'CERROR_ATC_INV_SYNC' },
    }),
  },
  EVENTQ_BASE: queueBase('EVENTQ_BASE', 'event'),
  EVENTQ_PROD: {
    WR: ptr('EVENTQ_PROD', 'Where the SMMU writes the next event'),
    OVFLG: r('EVENTQ_PROD', 'Toggled when events were lost to overflow'),
  },
  EVENTQ_CONS: {
    RD: ptr('EVENTQ_CONS', 'Next event software will read'),
    OVACKFLG: r('EVENTQ_CONS', 'Software’s copy of OVFLG: overflow acknowledged'),
  },
  PRIQ_BASE: queueBase('PRIQ_BASE', 'PRI'),
  PRIQ_PROD: {
    WR: ptr('PRIQ_PROD', 'Where the SMMU writes the next page request'),
    OVFLG: r('PRIQ_PROD', 'Toggled when page requests were lost to overflow'),
  },
  PRIQ_CONS: {
    RD: ptr('PRIQ_CONS', 'Next page request software will read'),
    OVACKFLG: r('PRIQ_CONS', 'Software’s copy of OVFLG: overflow acknowledged'),
  },
};

export const regFieldDoc = (reg: RegName, field: string): FieldDoc | undefined =>
  REG_DOCS[reg][field];
