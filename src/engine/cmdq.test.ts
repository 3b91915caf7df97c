// The command queue (smmuv3.md §6; spec-facts Q7, Q8): commands are written as raw dwords by hand
// (opcode dw0[7:0], SSec dw0[10], CS dw0[13:12], TG dw1[11:10], TTL dw1[9:8], Resp dw1[13:12]),
// errors stop consumption on the bad entry, GERRORN acknowledges, pointers wrap.
import { describe, expect, it } from 'vitest';
import { applyInvalidation } from './cmdq.ts';
import { decodeCommand, type Command } from './commands.ts';
import { writeRegister } from './regwrite.ts';
import type { Smmu } from './smmu.ts';
import { env } from './tables.testkit.ts';
import { CMDQ_PA } from './testkit.ts';
import { tlbTag } from './tlb.ts';

type Raw = readonly [bigint, bigint];
const SYNC: Raw = [0x46n, 0n];
const ERR_ILL = 1n << 24n; // CMDQ_CONS.ERR [30:24] = 1 (CERROR_ILL)

/** Writes raw commands at PROD (8-entry queue: index [2:0], wrap bit 3) and advances PROD. */
function push(s: Smmu, cmds: readonly Raw[]) {
  for (const c of cmds) {
    const prod = Number(s.regs.CMDQ_PROD & 0xfn);
    s.mem.writeWords(CMDQ_PA + BigInt(prod & 7) * 16n, c);
    writeRegister(s, 'CMDQ_PROD', BigInt((prod + 1) & 0xf));
  }
  return s.takeLog();
}

describe('CERROR_ILL', () => {
  it.each<[string, Raw, object]>([
    ['reserved opcode 0x00', [0x00n, 0n], {}],
    ['CMD_CFGI_VMS_PIDM (0x07) with IDR3.MPAM=0 (§4.3.5)', [0x0000_0007_0000_0007n, 0n], {}],
    ['CMD_DPTI_ALL (0x70) with IDR3.DPT=0 (§4.6.1)', [0x70n, 0n], {}],
    ['CMD_DPTI_PA (0x73) with IDR3.DPT=0 (§4.6.2)', [0x73n, 0x4020_0001n], {}],
    ['IMPLEMENTATION DEFINED opcode 0x80 (none defined)', [0x80n, 0n], {}],
    ['CMD_TLBI_S_EL2_ALL (Secure only, §4.4.2.11)', [0x50n, 0n], {}],
    ['CMD_TLBI_S_EL2_ASID (Secure only, §4.4.2.14)', [0x51n, 0n], {}],
    ['CMD_TLBI_S_EL2_VA (Secure only, §4.4.2.12)', [0x52n, 0n], {}],
    ['CMD_TLBI_S_EL2_VAA (Secure only, §4.4.2.13)', [0x53n, 0n], {}],
    ['CMD_TLBI_S_S12_VMALL (Secure only, §4.4.3.4)', [0x58n, 0n], {}],
    ['CMD_TLBI_S_S2_IPA (Secure only, §4.4.3.3)', [0x5an, 0n], {}],
    ['CMD_TLBI_SNH_ALL (Secure only, §4.4.4.2)', [0x60n, 0n], {}],
    ['SSec=1 on the Non-secure queue', [0x46n | (1n << 10n), 0n], {}],
    ['CMD_TLBI_EL3_ALL (Secure only)', [0x18n, 0n], {}],
    ['CMD_TLBI_EL3_VA (Secure only)', [0x1an, 0n], {}],
    ['CMD_CFGI_CD without stage 1', [0x05n, 1n], { s1: false }],
    ['CMD_CFGI_CD_ALL without stage 1', [0x06n, 0n], { s1: false }],
    ['CMD_TLBI_NH_ASID without stage 1', [0x11n, 0n], { s1: false }],
    ['CMD_TLBI_EL2_ALL without stage 1', [0x20n, 0n], { s1: false }],
    ['CMD_TLBI_S2_IPA without stage 2', [0x2an, 0n], { s2: false }],
    ['CMD_TLBI_S12_VMALL without stage 2', [0x28n, 0n], { s2: false }],
    ['CMD_RESUME with STALL_MODEL=0b01', [0x44n, 0n], { stall: 'none' }],
    ['CMD_STALL_TERM with STALL_MODEL=0b01', [0x45n, 0n], { stall: 'none' }],
    ['CMD_PRI_RESP with Resp=0b11', [0x41n, 0x3000n], {}],
    ['CMD_PRI_RESP without PRI', [0x41n, 0x2000n], { pri: false }],
    ['CMD_ATC_INV without ATS', [0x40n, 0n], { ats: false }],
    ['CMD_SYNC with CS=0b11', [0x3046n, 0n], {}],
    ['TLBI_NH_VA with TG=4K but IDR3.RIL=0', [0x12n, 0x1000_0701n], {}],
    ['TLBI_NH_VA with TG≠0 and NUM=SCALE=TTL=0', [0x12n, 0x1000_0401n], { rangeInv: true }],
  ])('%s', (_, bad, platform) => {
    const s = env({ platform });
    const log = push(s, [SYNC, bad, SYNC]);
    expect(log.commands.map((c) => c.error)).toEqual([undefined, 'CERROR_ILL']);
    expect(s.regs.CMDQ_CONS).toBe(ERR_ILL | 1n); // RD stays on the bad command (slot 1)
    expect(s.regs.GERROR & 1n).toBe(1n); // GERROR.CMDQ_ERR toggled
    expect(s.regs.CMDQ_PROD).toBe(3n);
  });

  it('names what it refused: a named opcode is decoded, an unknown one is not', () => {
    const s = env();
    // This SMMU implements neither MPAM (IDR3[7]) nor DPT (IDR3[15]) (§6.3.4).
    expect(s.regs.IDR3 & ((1n << 7n) | (1n << 15n))).toBe(0n);
    const pidm = push(s, [[0x0000_0007_0000_0007n, 0n]]).commands[0]!;
    expect(pidm.command?.name).toBe('CMD_CFGI_VMS_PIDM');
    expect(pidm.effect).toMatch(/MPAM=0/);
    const t = env();
    const impdef = push(t, [[0x80n, 0n]]).commands[0]!;
    expect(impdef.command).toBeUndefined();
    expect(impdef.effect).toMatch(/IMPLEMENTATION DEFINED/);
  });

  // §4.1.1: opcodes 0x80–0x8F are IMPLEMENTATION DEFINED (this SMMU defines none); any other
  // opcode the spec does not name is reserved. Both are CERROR_ILL.
  it.each([
    [0x7f, 'reserved'],
    [0x80, 'IMPLEMENTATION DEFINED'],
    [0x8f, 'IMPLEMENTATION DEFINED'],
    [0x90, 'reserved'],
  ])('unknown opcode %i is %s', (op, kind) => {
    const c = push(env(), [[BigInt(op), 0n]]).commands[0]!;
    expect(c.error).toBe('CERROR_ILL');
    expect(c.effect).toMatch(
      kind === 'reserved'
        ? /^CERROR_ILL: opcode 0x[0-9a-f]+ is reserved;/
        : /^CERROR_ILL: opcode 0x[0-9a-f]+ is IMPLEMENTATION DEFINED and this SMMU defines none;/,
    );
    expect(c.effect).toContain(`0x${op.toString(16)}`);
  });

  it('is valid on a full-featured SMMU: the same commands are consumed', () => {
    const s = env({ platform: { rangeInv: true } });
    const log = push(s, [
      [0x05n, 1n],
      [0x2an, 0n],
      [0x44n, 0n],
      [0x41n, 0x2000n],
      [0x40n, 0n],
      [0x12n, 0x1000_0701n],
      SYNC,
    ]);
    expect(log.commands.map((c) => c.error)).toEqual(Array(7).fill(undefined));
    expect(s.regs.CMDQ_CONS).toBe(7n);
  });
});

describe('error handling and acknowledgement', () => {
  it('nothing after the bad command runs; GERRORN ack after fixing the entry resumes at RD', () => {
    const s = env();
    let log = push(s, [SYNC, [0x18n, 0n], SYNC, SYNC]);
    expect(log.commands).toHaveLength(2);
    log = push(s, [SYNC]); // more commands: still stopped
    expect(log.commands).toHaveLength(0);
    expect(s.regs.CMDQ_CONS & 0xfn).toBe(1n);
    // Software overwrites the bad entry with a CMD_SYNC (Linux) and acknowledges.
    s.mem.writeWords(CMDQ_PA + 16n, SYNC);
    writeRegister(s, 'GERRORN', s.regs.GERROR);
    log = s.takeLog();
    expect(log.commands.map((c) => [c.index, c.error])).toEqual([
      [1, undefined],
      [2, undefined],
      [3, undefined],
      [4, undefined],
    ]);
    expect(s.regs.CMDQ_CONS & 0xfffffn).toBe(5n);
    expect(s.gerrorActive(0)).toBe(false);
  });

  it('acknowledging without fixing the entry stops again; CMDQ_ERR toggles back', () => {
    const s = env();
    push(s, [[0x00n, 0n]]);
    expect([s.regs.GERROR & 1n, s.regs.GERRORN & 1n]).toEqual([1n, 0n]);
    writeRegister(s, 'GERRORN', 1n);
    expect([s.regs.GERROR & 1n, s.regs.GERRORN & 1n]).toEqual([0n, 1n]);
    expect(s.gerrorActive(0)).toBe(true);
    expect(s.regs.CMDQ_CONS).toBe(ERR_ILL | 0n);
  });

  it('a command fetch outside RAM: CERROR_ABT (ERR = 2)', () => {
    const s = env({ bring: { cmdq: 0x3000_0000n } });
    writeRegister(s, 'CMDQ_PROD', 1n);
    expect(s.regs.CMDQ_CONS).toBe(2n << 24n);
    expect(s.takeLog().commands[0]?.error).toBe('CERROR_ABT');
  });

  it('the aborted fetch is logged at its slot with zeros, not as a command', () => {
    const s = env({ bring: { cmdq: 0x3000_0000n } });
    writeRegister(s, 'CMDQ_PROD', 1n);
    const c = s.takeLog().commands[0];
    expect(c).toMatchObject({ index: 0, pa: 0x3000_0000n, raw: [0n, 0n], error: 'CERROR_ABT' });
    expect(c?.command).toBeUndefined();
    expect(c?.effect).toMatch(/^CERROR_ABT: external abort fetching the command at 0x3000_?0000;/);
  });
});

describe('queue mechanics', () => {
  it('wraps: ten commands in an 8-entry queue end with CONS = wrap 1, index 2', () => {
    const s = env();
    const log = push(s, Array<Raw>(10).fill(SYNC));
    expect(log.commands.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 0, 1]);
    expect(log.commands[8]?.pa).toBe(CMDQ_PA);
    expect(s.regs.CMDQ_CONS).toBe(0b1010n);
    expect(s.regs.CMDQ_PROD).toBe(0b1010n);
  });

  it('E14: CMD_SYNC CS=IRQ writes the 32-bit MSIData at MSIAddress', () => {
    const s = env();
    s.mem.write64(0x8000_4000n, 0xffff_ffff_ffff_ffffn);
    push(s, [[0x0000_0000_0fc0_1046n, 0x0000_0000_8000_4000n]]); // Linux: MSIData 0
    expect(s.mem.read64(0x8000_4000n)).toBe(0xffff_ffff_0000_0000n);
    push(s, [[0x1234_5678_0fc0_1046n, 0x0000_0000_8000_4004n]]); // upper word
    expect(s.mem.read64(0x8000_4000n)).toBe(0x1234_5678_0000_0000n);
  });

  it('CS=SIG_IRQ with MSIAddress=0 writes nothing (§4.7.3: "if MSIAddress is non-zero")', () => {
    // RAM from PA 0, so a write to 0 would land: the word must stay as it was.
    const s = env({ platform: { ram: [{ base: 0n, size: 0x2_0000_0000n }] } });
    s.mem.write64(0n, 0xffff_ffff_ffff_ffffn);
    const log = push(s, [[0x1234_5678_0fc0_1046n, 0n]]);
    expect(s.mem.read64(0n)).toBe(0xffff_ffff_ffff_ffffn);
    expect(s.regs.GERROR).toBe(0n);
    expect(log.commands[0]?.effect).toMatch(/MSIAddress=0/);
  });

  it('MSIAddress is dw1[55:2] (§4.7.3), truncated to the OAS for the write', () => {
    const s = env({ platform: { oas: 44 } });
    s.mem.write64(0x8000_4000n, 0n);
    // Bits 55:44 set above a 44-bit OAS: the field keeps them, the write drops them.
    const log = push(s, [[0x0000_00aa_0fc0_1046n, 0x00ff_f000_8000_4000n]]);
    expect(log.commands[0]?.command?.fields['MSIAddress']).toBe(0x00ff_f000_8000_4000n);
    expect(s.mem.read64(0x8000_4000n)).toBe(0xaan);
  });

  it('an MSI write outside RAM aborts: GERROR.MSI_CMDQ_ABT_ERR (bit 4), the SYNC completes', () => {
    const s = env();
    const log = push(s, [[0x0000_0000_0fc0_1046n, 0x0000_0000_1000_0000n], SYNC]);
    expect(s.regs.GERROR ^ s.regs.GERRORN).toBe(0x10n);
    expect(log.commands).toHaveLength(2); // the command queue goes on: not a CMDQ error
  });

  it('E14 raw encodings decode to the named commands', () => {
    const s = env({ bring: { log2size: 9 } });
    const log = push(s, [
      [0x0000_0100_0000_0003n, 0x1n],
      [0x0000_0000_0000_0004n, 0x1fn],
      [0x0042_0000_0000_0011n, 0n],
      [0x0000_0007_0000_0028n, 0n],
      [0x0000_0100_0000_5840n, 0x4n],
      [0x0000_0000_0fc0_2046n, 0n],
    ]);
    expect(log.commands.map((c) => c.command?.name)).toEqual([
      'CMD_CFGI_STE',
      'CMD_CFGI_ALL',
      'CMD_TLBI_NH_ASID',
      'CMD_TLBI_S12_VMALL',
      'CMD_ATC_INV',
      'CMD_SYNC',
    ]);
    expect(log.commands[4]?.command?.fields).toMatchObject({
      StreamID: 0x100n,
      SSV: 1n,
      SubstreamID: 5n,
      Size: 4n,
    });
  });
});

describe('what an invalidation says it removed', () => {
  // Two 4K stage-1 entries of ASID 0x42 (NS-EL1, VMID 0), as a walk would have filled them.
  const fill = (s: Smmu, asid: number, ia: bigint) =>
    s.tlb.insert({
      stage: 's1',
      tag: tlbTag('s1', 'NS-EL1', 0, asid, false),
      vmid: 0,
      asid,
      aset: false,
      world: 'NS-EL1',
      ia,
      sizeShift: 12,
      oa: 0x8010_0000n + ia,
      s1: { ap: 0, pxn: false, uxn: false, dbm: false },
      leafPa: 0x8020_0000n,
      sid: 0,
      ssid: undefined,
      src: [],
    });
  // CMD_TLBI_NH_ASID (0x11), ASID in dw0[63:48], VMID 0.
  const byAsid = (asid: number): Command => decodeCommand([0x11n | (BigInt(asid) << 48n), 0n])!;

  it('one entry: "1 TLB entry removed"; two: "2 TLB entries removed" (not "entrys")', () => {
    const s = env();
    fill(s, 0x42, 0x1000n);
    expect(applyInvalidation(s, byAsid(0x42))).toBe('1 TLB entry removed');
    fill(s, 0x42, 0x1000n);
    fill(s, 0x42, 0x2000n);
    expect(applyInvalidation(s, byAsid(0x42))).toBe('2 TLB entries removed');
    expect(applyInvalidation(s, byAsid(0x42))).toBe('');
  });
});
