// What the SMMU is: the platform description a scenario gives (scenario-format.md `platform.smmu`)
// and the ID registers it implies (§6.3.1–6.3.6).
import { encode } from './bits.ts';
import { paSizeEncoding } from './cd.ts';
import type { RamRegion } from './memory.ts';
import { REG_FIELDS } from './registers.ts';

export type StallSupport = 'none' | 'supported' | 'forced';
export type HttuSupport = 'none' | 'af' | 'af+dirty';

export interface SmmuPlatform {
  readonly sidBits: number;
  readonly ssidBits: number;
  readonly asidBits: 8 | 16;
  readonly vmidBits: 8 | 16;
  readonly oas: number;
  readonly streamTable: 'linear' | '2level';
  readonly cd2l: boolean;
  readonly ats: boolean;
  readonly pri: boolean;
  readonly stall: StallSupport;
  readonly btm: boolean;
  readonly httu: HttuSupport;
  readonly rangeInv: boolean;
  /** IDR1.ATTR_PERMS_OVR: STE.PRIVCFG / INSTCFG override the incoming attributes (§5.2). */
  readonly attrPermsOvr: boolean;
  /** IDR3.HAD: CD.HAD0 / HAD1 disable the hierarchical table limits (§5.4). */
  readonly had: boolean;
  /** IDR3.E0PD: CD.E0PD0 / E0PD1 fault unprivileged accesses (§5.4). */
  readonly e0pd: boolean;
  /** IDR3.PPS: PRI-queue overflow auto-responses carry the request's PASID (§8.1). */
  readonly pps: boolean;
  /** IDR5.STALL_MAX: at most this many stall records outstanding without a resume (§6.3.6). */
  readonly stallMax: number;
  readonly s1: boolean;
  readonly s2: boolean;
  readonly tlbEntries: number;
  readonly cfgCacheEntries: number;
  readonly atcEntries: number;
  readonly cmdqEntries: number;
  readonly evtqEntries: number;
  readonly priqEntries: number;
  readonly ram: readonly RamRegion[];
}

/** Defaults of scenario-format.md §Platform, plus the fields this model adds. */
export const DEFAULT_SMMU: SmmuPlatform = {
  sidBits: 16,
  ssidBits: 20,
  asidBits: 16,
  vmidBits: 16,
  oas: 48,
  streamTable: '2level',
  cd2l: true,
  ats: true,
  pri: true,
  stall: 'supported',
  btm: true,
  httu: 'none',
  rangeInv: false,
  // The three below act as they did before they were options (PRIVCFG/INSTCFG, HADx and E0PDx
  // were obeyed), so the ID registers now advertise them; a platform may turn each off.
  attrPermsOvr: true,
  had: true,
  e0pd: true,
  pps: true,
  stallMax: 64,
  s1: true,
  s2: true,
  tlbEntries: 128,
  cfgCacheEntries: 64,
  atcEntries: 32,
  cmdqEntries: 256,
  evtqEntries: 64,
  priqEntries: 64,
  // 3 GB of RAM at 0x4000_0000, like an Arm "virt" or Juno-style memory map.
  ram: [{ base: 0x4000_0000n, size: 0xc000_0000n }],
};

const log2 = (n: number): number => Math.round(Math.log2(n));

export function idRegisters(p: SmmuPlatform): {
  IDR0: bigint;
  IDR1: bigint;
  IDR3: bigint;
  IDR5: bigint;
} {
  const IDR0 = encode(REG_FIELDS.IDR0, 1, {
    S2P: p.s2,
    S1P: p.s1,
    TTF: 2, // AArch64 tables only
    COHACC: 1,
    BTM: p.btm,
    HTTU: p.httu === 'none' ? 0 : p.httu === 'af' ? 1 : 2,
    HYP: 1,
    ATS: p.ats,
    NS1ATS: 1, // split-stage ATS not supported
    ASID16: p.asidBits === 16,
    MSI: 1,
    SEV: 1,
    PRI: p.pri,
    VMID16: p.vmidBits === 16,
    CD2L: p.cd2l,
    TTENDIAN: 2, // little-endian only
    STALL_MODEL: p.stall === 'supported' ? 0 : p.stall === 'none' ? 1 : 2,
    TERM_MODEL: 0,
    ST_LEVEL: p.streamTable === '2level' ? 1 : 0,
  })[0]!;
  const IDR1 = encode(REG_FIELDS.IDR1, 1, {
    SIDSIZE: p.sidBits,
    SSIDSIZE: p.ssidBits,
    PRIQS: log2(p.priqEntries),
    EVENTQS: log2(p.evtqEntries),
    CMDQS: log2(p.cmdqEntries),
    ATTR_PERMS_OVR: p.attrPermsOvr,
  })[0]!;
  // DPT is not modelled: IDR3.DPT stays 0, so STE.EATS=0b11 behaves as 0b00 (§5.2 EATS).
  const IDR3 = encode(REG_FIELDS.IDR3, 1, {
    HAD: p.had,
    PPS: p.pps,
    RIL: p.rangeInv,
    E0PD: p.e0pd,
  })[0]!;
  const IDR5 = encode(REG_FIELDS.IDR5, 1, {
    OAS: paSizeEncoding(p.oas),
    GRAN4K: 1,
    GRAN16K: 1,
    GRAN64K: 1,
    // §6.3.6: RES0 when STALL_MODEL=0b01 (no stalls).
    STALL_MAX: p.stall === 'none' ? 0 : p.stallMax,
  })[0]!;
  return { IDR0, IDR1, IDR3, IDR5 };
}
