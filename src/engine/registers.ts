// SMMU programming-interface registers (§6.3): offsets and fields by their spec names
// (Linux ARM_SMMU_* offsets and masks; QEMU REG32/FIELD declarations).
import { f, getNum, type FieldTable } from './bits.ts';

/** Register offsets in page 0 (and page 1 for the event/PRI queue pointers). */
export const REG_OFFSET = {
  IDR0: 0x0,
  IDR1: 0x4,
  IDR3: 0xc,
  IDR5: 0x14,
  CR0: 0x20,
  CR0ACK: 0x24,
  CR1: 0x28,
  CR2: 0x2c,
  GBPA: 0x44,
  IRQ_CTRL: 0x50,
  GERROR: 0x60,
  GERRORN: 0x64,
  STRTAB_BASE: 0x80,
  STRTAB_BASE_CFG: 0x88,
  CMDQ_BASE: 0x90,
  CMDQ_PROD: 0x98,
  CMDQ_CONS: 0x9c,
  EVENTQ_BASE: 0xa0,
  EVENTQ_PROD: 0x100a8,
  EVENTQ_CONS: 0x100ac,
  PRIQ_BASE: 0xc0,
  PRIQ_PROD: 0x100c8,
  PRIQ_CONS: 0x100cc,
} as const;

export type RegName = keyof typeof REG_OFFSET;

export const REG_NAMES = Object.keys(REG_OFFSET) as RegName[];

/** Registers software may write (the ID and ACK registers are read-only). */
export const WRITABLE_REGS: readonly RegName[] = [
  'CR0',
  'CR1',
  'CR2',
  'GBPA',
  'IRQ_CTRL',
  'GERRORN',
  'STRTAB_BASE',
  'STRTAB_BASE_CFG',
  'CMDQ_BASE',
  'CMDQ_PROD',
  'CMDQ_CONS',
  'EVENTQ_BASE',
  'EVENTQ_PROD',
  'EVENTQ_CONS',
  'PRIQ_BASE',
  'PRIQ_PROD',
  'PRIQ_CONS',
];

/** `SMMU_CR0`, `smmu_cr0`, `CR0` → `CR0`; undefined for an unknown name. */
export function regName(name: string): RegName | undefined {
  const n = name.toUpperCase().replace(/^SMMU_/, '');
  return n in REG_OFFSET ? (n as RegName) : undefined;
}

const queuePtr = { WR: f(0, 19, 0), OVFLG: f(0, 31) };

export const REG_FIELDS: Readonly<Record<RegName, FieldTable>> = {
  IDR0: {
    S2P: f(0, 0),
    S1P: f(0, 1),
    TTF: f(0, 3, 2),
    COHACC: f(0, 4),
    BTM: f(0, 5),
    HTTU: f(0, 7, 6),
    DORMHINT: f(0, 8),
    HYP: f(0, 9),
    ATS: f(0, 10),
    NS1ATS: f(0, 11),
    ASID16: f(0, 12),
    MSI: f(0, 13),
    SEV: f(0, 14),
    ATOS: f(0, 15),
    PRI: f(0, 16),
    VMW: f(0, 17),
    VMID16: f(0, 18),
    CD2L: f(0, 19),
    VATOS: f(0, 20),
    TTENDIAN: f(0, 22, 21),
    ATSRECERR: f(0, 23),
    STALL_MODEL: f(0, 25, 24),
    TERM_MODEL: f(0, 26),
    ST_LEVEL: f(0, 28, 27),
  },
  IDR1: {
    SIDSIZE: f(0, 5, 0),
    SSIDSIZE: f(0, 10, 6),
    PRIQS: f(0, 15, 11),
    EVENTQS: f(0, 20, 16),
    CMDQS: f(0, 25, 21),
    ATTR_PERMS_OVR: f(0, 26),
    ATTR_TYPES_OVR: f(0, 27),
    REL: f(0, 28),
    QUEUES_PRESET: f(0, 29),
    TABLES_PRESET: f(0, 30),
    ECMDQ: f(0, 31),
  },
  IDR3: {
    HAD: f(0, 2),
    PBHA: f(0, 3),
    XNX: f(0, 4),
    PPS: f(0, 5),
    STT: f(0, 9),
    RIL: f(0, 10),
    BBML: f(0, 12, 11),
    E0PD: f(0, 13),
    DPT: f(0, 15),
  },
  IDR5: {
    OAS: f(0, 2, 0),
    GRAN4K: f(0, 4),
    GRAN16K: f(0, 5),
    GRAN64K: f(0, 6),
    DS: f(0, 7),
    VAX: f(0, 11, 10),
    STALL_MAX: f(0, 31, 16),
  },
  CR0: { SMMUEN: f(0, 0), PRIQEN: f(0, 1), EVENTQEN: f(0, 2), CMDQEN: f(0, 3), ATSCHK: f(0, 4) },
  CR0ACK: { SMMUEN: f(0, 0), PRIQEN: f(0, 1), EVENTQEN: f(0, 2), CMDQEN: f(0, 3), ATSCHK: f(0, 4) },
  CR1: {
    QUEUE_IC: f(0, 1, 0),
    QUEUE_OC: f(0, 3, 2),
    QUEUE_SH: f(0, 5, 4),
    TABLE_IC: f(0, 7, 6),
    TABLE_OC: f(0, 9, 8),
    TABLE_SH: f(0, 11, 10),
  },
  CR2: { E2H: f(0, 0), RECINVSID: f(0, 1), PTM: f(0, 2) },
  GBPA: {
    MemAttr: f(0, 3, 0),
    MTCFG: f(0, 4),
    ALLOCCFG: f(0, 11, 8),
    SHCFG: f(0, 13, 12),
    PRIVCFG: f(0, 17, 16),
    INSTCFG: f(0, 19, 18),
    ABORT: f(0, 20),
    UPDATE: f(0, 31),
  },
  IRQ_CTRL: { GERROR_IRQEN: f(0, 0), PRIQ_IRQEN: f(0, 1), EVENTQ_IRQEN: f(0, 2) },
  GERROR: {
    CMDQ_ERR: f(0, 0),
    EVENTQ_ABT_ERR: f(0, 2),
    PRIQ_ABT_ERR: f(0, 3),
    MSI_CMDQ_ABT_ERR: f(0, 4),
    MSI_EVENTQ_ABT_ERR: f(0, 5),
    MSI_PRIQ_ABT_ERR: f(0, 6),
    MSI_GERROR_ABT_ERR: f(0, 7),
    SFM_ERR: f(0, 8),
  },
  GERRORN: {
    CMDQ_ERR: f(0, 0),
    EVENTQ_ABT_ERR: f(0, 2),
    PRIQ_ABT_ERR: f(0, 3),
    MSI_CMDQ_ABT_ERR: f(0, 4),
    MSI_EVENTQ_ABT_ERR: f(0, 5),
    MSI_PRIQ_ABT_ERR: f(0, 6),
    MSI_GERROR_ABT_ERR: f(0, 7),
    SFM_ERR: f(0, 8),
  },
  STRTAB_BASE: { ADDR: f(0, 55, 6), RA: f(0, 62) },
  STRTAB_BASE_CFG: { LOG2SIZE: f(0, 5, 0), SPLIT: f(0, 10, 6), FMT: f(0, 17, 16) },
  CMDQ_BASE: { LOG2SIZE: f(0, 4, 0), ADDR: f(0, 55, 5), RA: f(0, 62) },
  CMDQ_PROD: { WR: f(0, 19, 0) },
  CMDQ_CONS: { RD: f(0, 19, 0), ERR: f(0, 30, 24) },
  EVENTQ_BASE: { LOG2SIZE: f(0, 4, 0), ADDR: f(0, 55, 5), WA: f(0, 62) },
  EVENTQ_PROD: queuePtr,
  EVENTQ_CONS: { RD: f(0, 19, 0), OVACKFLG: f(0, 31) },
  PRIQ_BASE: { LOG2SIZE: f(0, 4, 0), ADDR: f(0, 55, 5), WA: f(0, 62) },
  PRIQ_PROD: queuePtr,
  PRIQ_CONS: { RD: f(0, 19, 0), OVACKFLG: f(0, 31) },
};

/** Reads one named field of a register value. */
export const regField = (reg: RegName, field: string, value: bigint): number => {
  const fd = REG_FIELDS[reg][field];
  if (!fd) throw new Error(`${reg} has no field ${field}`);
  return getNum([value], fd);
};

/** SMMU_CMDQ_CONS.ERR codes (§6.3.27). */
export const CERROR = { NONE: 0, ILL: 1, ABT: 2, ATC_INV_SYNC: 3 } as const;
export const CERROR_NAMES: readonly string[] = [
  'CERROR_NONE',
  'CERROR_ILL',
  'CERROR_ABT',
  'CERROR_ATC_INV_SYNC',
];
