// CERROR_ILL (§4.1.1, §4.1.3–4.1.7): which commands the command processor refuses, and the two
// field readers the processor's other parts share.
import { hex } from './bits.ts';
import { SECURE_ONLY_OPCODES, type Command } from './commands.ts';
import type { SmmuPlatform } from './platform.ts';

/** Bit 10 of a command's first dword: SSec (§4.1.2). */
const SSEC = 1n << 10n;

export const num = (c: Command, k: string): number => Number(c.fields[k] ?? 0n);
export const big = (c: Command, k: string): bigint => c.fields[k] ?? 0n;

/** Why an opcode the model does not decode is CERROR_ILL (§4.1.1, §4.1.3). */
export function unknownOpcode(op: number): string {
  return op >= 0x80 && op <= 0x8f
    ? `opcode ${hex(op)} is IMPLEMENTATION DEFINED and this SMMU defines none`
    : `opcode ${hex(op)} is reserved`;
}

/** CERROR_ILL conditions (§4.1.3–4.1.7; docs/research/spec-facts.md Q7). */
export function illegal(p: SmmuPlatform, c: Command): string | undefined {
  if ((c.raw[0] & SSEC) !== 0n) return 'SSec=1 on the Non-secure command queue';
  if (SECURE_ONLY_OPCODES.has(c.opcode))
    return `${c.name} is only valid on the Secure command queue`;
  const n = c.name;
  // §4.3.5: ILLEGAL when SMMU_IDR3.MPAM == 0; §4.6.1/4.6.2: ILLEGAL when SMMU_IDR3.DPT == 0.
  // Neither MPAM (so no VMS) nor DPT is modelled, and idRegisters() leaves both bits 0.
  if (n === 'CMD_CFGI_VMS_PIDM') return `${n} but SMMU_IDR3.MPAM=0 (no MPAM, no VMS)`;
  if (n === 'CMD_DPTI_ALL' || n === 'CMD_DPTI_PA') return `${n} but SMMU_IDR3.DPT=0 (no DPT)`;
  if (!p.s1 && (/^CMD_CFGI_CD/.test(n) || /^CMD_TLBI_(NH|EL2)_/.test(n)))
    return `${n} on an SMMU without stage 1`;
  if (!p.s2 && (n === 'CMD_TLBI_S2_IPA' || n === 'CMD_TLBI_S12_VMALL'))
    return `${n} on an SMMU without stage 2`;
  if ((n === 'CMD_RESUME' || n === 'CMD_STALL_TERM') && p.stall === 'none')
    return `${n} but IDR0.STALL_MODEL=0b01 (no stalls)`;
  if (n === 'CMD_PRI_RESP' && (!p.pri || big(c, 'Resp') === 3n))
    return p.pri ? 'PRI_RESP.Resp=0b11 is reserved' : 'CMD_PRI_RESP on an SMMU without PRI';
  if (n === 'CMD_ATC_INV' && !p.ats) return 'CMD_ATC_INV on an SMMU without ATS';
  // Fields compared as the bigints they are (no Number per command: one per TLBI of an unmap).
  if (n === 'CMD_SYNC' && big(c, 'CS') === 3n) return 'CMD_SYNC.CS=0b11 is reserved';
  if ('TG' in c.fields && big(c, 'TG') !== 0n) {
    if (!p.rangeInv) return `${n} with TG≠0 (range invalidation) but IDR3.RIL=0`;
    if (big(c, 'NUM') === 0n && big(c, 'SCALE') === 0n && big(c, 'TTL') === 0n)
      return `${n}: TG≠0 with NUM=SCALE=TTL=0 is reserved`;
  }
  return undefined;
}
