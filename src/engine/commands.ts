// Command queue entries (§4): 16 bytes, 2 dwords, little-endian. Opcodes and field names are
// the spec's (Linux CMDQ_OP_* / CMDQ_*; QEMU SMMUCommandType). Encoding and decoding go through
// one table per opcode; scenario aliases (sid, ssid, leaf, …) map onto the spec names.
import { f, type Field } from './bits.ts';

export const CMD_DWORDS = 2;
export const CMD_BYTES = 16n;

const COMMON = { Opcode: f(0, 7, 0) };
const SID = { StreamID: f(0, 63, 32) };
const SUBSTREAM = { SSV: f(0, 11), SubstreamID: f(0, 31, 12) };
const RANGE_TLBI = { NUM: f(0, 16, 12), SCALE: f(0, 25, 20) };
const TLBI_ADDR = { Leaf: f(1, 0), TTL: f(1, 9, 8), TG: f(1, 11, 10), Address: f(1, 63, 12) };
const VMID = { VMID: f(0, 47, 32) };
const ASID = { ASID: f(0, 63, 48) };

export interface CommandSpec {
  readonly name: string;
  readonly opcode: number;
  readonly fields: Readonly<Record<string, Field>>;
  readonly summary: string;
}

const spec = (
  name: string,
  opcode: number,
  fields: Record<string, Field>,
  summary: string,
): CommandSpec => ({ name, opcode, fields: { ...COMMON, ...fields }, summary });

/**
 * Every opcode §4.1.1 names. The model executes the Non-secure ones; the rest are named so a log
 * shows what software wrote, and the command processor rejects them (CERROR_ILL, cmdq.ts): the
 * EL3 and Secure (S_*) forms are Secure-queue only, and VMS_PIDM / DPTI need MPAM / DPT, which
 * this SMMU does not implement (IDR3.MPAM = IDR3.DPT = 0).
 */
export const COMMANDS: readonly CommandSpec[] = [
  spec(
    'CMD_PREFETCH_CONFIG',
    0x01,
    { ...SUBSTREAM, ...SID },
    'prefetch the STE (and CD) of a stream',
  ),
  spec(
    'CMD_PREFETCH_ADDR',
    0x02,
    {
      ...SUBSTREAM,
      ...SID,
      Size: f(1, 4, 0),
      Stride: f(1, 9, 5),
      NS: f(1, 10),
      Address: f(1, 63, 12),
    },
    'prefetch translations for an address range',
  ),
  spec('CMD_CFGI_STE', 0x03, { ...SID, Leaf: f(1, 0) }, 'invalidate the cached STE of one stream'),
  spec(
    'CMD_CFGI_STE_RANGE',
    0x04,
    { ...SID, Range: f(1, 4, 0) },
    'invalidate cached STEs of 2^(Range+1) streams (Range 31: all)',
  ),
  spec(
    'CMD_CFGI_CD',
    0x05,
    { SubstreamID: f(0, 31, 12), ...SID, Leaf: f(1, 0) },
    'invalidate one cached CD (Leaf=0: and its L1CD)',
  ),
  spec('CMD_CFGI_CD_ALL', 0x06, { ...SID }, 'invalidate every cached CD of a stream'),
  // §4.3.5: "The validity and usage of the VMID parameter is consistent with ... CMD_TLBI_*";
  // the figure is an image, so VMID at dw0[47:32] is taken from the TLBI layout.
  spec('CMD_CFGI_VMS_PIDM', 0x07, { ...VMID }, 'invalidate cached VMS.PARTID_MAP of a VMID (MPAM)'),
  spec('CMD_TLBI_NH_ALL', 0x10, { ...VMID }, 'invalidate all NS-EL1 stage-1 entries of a VMID'),
  spec(
    'CMD_TLBI_NH_ASID',
    0x11,
    { ...VMID, ...ASID },
    'invalidate the non-global entries of an ASID',
  ),
  spec(
    'CMD_TLBI_NH_VA',
    0x12,
    { ...RANGE_TLBI, ...VMID, ...ASID, ...TLBI_ADDR },
    'invalidate entries for a VA in an ASID (and global ones)',
  ),
  spec(
    'CMD_TLBI_NH_VAA',
    0x13,
    { ...RANGE_TLBI, ...VMID, ...TLBI_ADDR },
    'invalidate entries for a VA in every ASID',
  ),
  spec('CMD_TLBI_EL3_ALL', 0x18, {}, 'EL3 invalidation (Secure queue only)'),
  spec(
    'CMD_TLBI_EL3_VA',
    0x1a,
    { ...RANGE_TLBI, ...TLBI_ADDR },
    'EL3 invalidation (Secure queue only)',
  ),
  spec('CMD_TLBI_EL2_ALL', 0x20, {}, 'invalidate all EL2 entries'),
  spec('CMD_TLBI_EL2_ASID', 0x21, { ...ASID }, 'invalidate the EL2-E2H entries of an ASID'),
  spec(
    'CMD_TLBI_EL2_VA',
    0x22,
    { ...RANGE_TLBI, ...ASID, ...TLBI_ADDR },
    'invalidate EL2 entries for a VA',
  ),
  spec(
    'CMD_TLBI_EL2_VAA',
    0x23,
    { ...RANGE_TLBI, ...TLBI_ADDR },
    'invalidate EL2 entries for a VA in every ASID',
  ),
  spec(
    'CMD_TLBI_S12_VMALL',
    0x28,
    { ...VMID },
    'invalidate all stage-1 and stage-2 entries of a VMID',
  ),
  spec(
    'CMD_TLBI_S2_IPA',
    0x2a,
    {
      ...RANGE_TLBI,
      ...VMID,
      Leaf: f(1, 0),
      TTL: f(1, 9, 8),
      TG: f(1, 11, 10),
      Address: f(1, 51, 12),
    },
    'invalidate stage-2 entries for an IPA',
  ),
  spec('CMD_TLBI_NSNH_ALL', 0x30, {}, 'invalidate every non-secure non-hyp entry'),
  spec(
    'CMD_ATC_INV',
    0x40,
    { Global: f(0, 9), ...SUBSTREAM, ...SID, Size: f(1, 5, 0), Address: f(1, 63, 12) },
    'invalidate a device ATC range (4 KB × 2^Size)',
  ),
  spec(
    'CMD_PRI_RESP',
    0x41,
    { ...SUBSTREAM, ...SID, PRGIndex: f(1, 8, 0), Resp: f(1, 13, 12) },
    'answer a page request group',
  ),
  spec(
    'CMD_RESUME',
    0x44,
    { Ac: f(0, 12), Ab: f(0, 13), ...SID, STAG: f(1, 15, 0) },
    'retry or terminate a stalled transaction',
  ),
  spec('CMD_STALL_TERM', 0x45, { ...SID }, 'terminate every stalled transaction of a stream'),
  spec(
    'CMD_SYNC',
    0x46,
    {
      CS: f(0, 13, 12),
      MSH: f(0, 23, 22),
      MSIAttr: f(0, 27, 24),
      MSIData: f(0, 63, 32),
      // §4.7.3: MSIAddress[55:2] (Linux masks [51:2]; it never sets bits above 51).
      MSIAddress: f(1, 55, 2),
    },
    'complete when every earlier command has taken effect',
  ),
  // Secure twins of the EL2/stage-2/NSNH invalidations (§4.4.2.11–14, §4.4.3.3–4, §4.4.4.2),
  // "encoded similarly" to the Non-secure forms. S_S2_IPA's NS bit is in an image: not named.
  spec('CMD_TLBI_S_EL2_ALL', 0x50, {}, 'Secure EL2 invalidation (Secure queue only)'),
  spec('CMD_TLBI_S_EL2_ASID', 0x51, { ...ASID }, 'Secure EL2 invalidation (Secure queue only)'),
  spec(
    'CMD_TLBI_S_EL2_VA',
    0x52,
    { ...RANGE_TLBI, ...ASID, ...TLBI_ADDR },
    'Secure EL2 invalidation (Secure queue only)',
  ),
  spec(
    'CMD_TLBI_S_EL2_VAA',
    0x53,
    { ...RANGE_TLBI, ...TLBI_ADDR },
    'Secure EL2 invalidation (Secure queue only)',
  ),
  spec('CMD_TLBI_S_S12_VMALL', 0x58, { ...VMID }, 'Secure VMID invalidation (Secure queue only)'),
  spec(
    'CMD_TLBI_S_S2_IPA',
    0x5a,
    {
      ...RANGE_TLBI,
      ...VMID,
      Leaf: f(1, 0),
      TTL: f(1, 9, 8),
      TG: f(1, 11, 10),
      Address: f(1, 55, 12),
    },
    'Secure stage-2 invalidation (Secure queue only)',
  ),
  spec('CMD_TLBI_SNH_ALL', 0x60, {}, 'Secure non-hyp invalidation (Secure queue only)'),
  // DPT maintenance (§4.6). DPTI_PA: Leaf dw1[0], SIZE dw1[11:8], Address[55:12] (§4.6.2 table).
  spec('CMD_DPTI_ALL', 0x70, {}, 'invalidate cached Device Permission Table entries (DPT)'),
  spec(
    'CMD_DPTI_PA',
    0x73,
    { Leaf: f(1, 0), SIZE: f(1, 11, 8), Address: f(1, 55, 12) },
    'invalidate cached DPT entries of a physical region (DPT)',
  ),
];

export const COMMAND_BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));
export const COMMAND_BY_OPCODE = new Map(COMMANDS.map((c) => [c.opcode, c]));

/**
 * Opcodes valid only on the Secure command queue; on the Non-secure queue (the only one this
 * model has) they raise CERROR_ILL (§4.4.2.11–14, §4.4.3.3–4, §4.4.4.2; EL3: spec-facts Q7).
 */
export const SECURE_ONLY_OPCODES = new Set([0x18, 0x1a, 0x50, 0x51, 0x52, 0x53, 0x58, 0x5a, 0x60]);

/** Address fields hold a byte address whose low bits are implied: value = address >> shift. */
export const ADDRESS_SHIFT: Readonly<Record<string, number>> = { Address: 12, MSIAddress: 2 };

/** CMD_PRI_RESP.Resp (§8.3; PCIe PRG response): 0 ResponseFailure, 1 InvalidRequest, 2 Success. */
export const PRI_RESP = { FAILURE: 0, INVALID: 1, SUCCESS: 2 } as const;
/** CMD_SYNC.CS. */
export const SYNC_CS = { NONE: 0, IRQ: 1, SEV: 2 } as const;

export interface Command {
  readonly name: string;
  readonly opcode: number;
  /** Spec-named fields; addresses are byte addresses. */
  readonly fields: Readonly<Record<string, bigint>>;
  readonly raw: readonly [bigint, bigint];
}

export function lookupCommand(name: string): CommandSpec | undefined {
  const upper = name.toUpperCase();
  const full = upper.startsWith('CMD_') ? upper : `CMD_${upper}`;
  // CMD_CFGI_ALL is CMD_CFGI_STE_RANGE with Range = 31 (§4.3.3; Linux CMDQ_OP_CFGI_ALL).
  return COMMAND_BY_NAME.get(full === 'CMD_CFGI_ALL' ? 'CMD_CFGI_STE_RANGE' : full);
}

export {
  buildCommand,
  buildCommandSeries,
  commandSeries,
  decodeCommand,
  type CommandList,
} from './commandCodec.ts';

/** Lower-case aliases the scenario format uses for spec field names (§ scenario-format `cmd`). */
export const COMMAND_FIELD_ALIASES: Readonly<Record<string, string>> = {
  sid: 'StreamID',
  ssid: 'SubstreamID',
  ssv: 'SSV',
  leaf: 'Leaf',
  asid: 'ASID',
  vmid: 'VMID',
  addr: 'Address',
  size: 'Size',
  stag: 'STAG',
  resp: 'Resp',
  range: 'Range',
  num: 'NUM',
  scale: 'SCALE',
  ttl: 'TTL',
  tg: 'TG',
  global: 'Global',
  prgIndex: 'PRGIndex',
  prgindex: 'PRGIndex',
  ac: 'Ac',
  ab: 'Ab',
  cs: 'CS',
  msiAddr: 'MSIAddress',
  msiData: 'MSIData',
};
