// Register writes and their side effects (§6.3): read-only registers, the SMMUEN guard on the
// stream table base registers (§6.3.24-25), each queue base guarded by its own enable (§6.3.26+),
// bits no field defines dropped, GBPA written only with Update=1 (§6.3.14.1), CR0ACK following
// CR0, and clearing SMMUEN aborting stalled transactions (§6.3.9.6).
import { describe, expect, it } from 'vitest';
import { writeRegister } from './regwrite.ts';
import { CDTAB, Tables, env, putCd, putSte, txn } from './tables.testkit.ts';
import { makeSmmu } from './testkit.ts';
import { translate } from './translate.ts';

describe('writeRegister', () => {
  it('a read-only register is not written', () => {
    const s = makeSmmu();
    const idr0 = s.regs.IDR0;
    expect(writeRegister(s, 'IDR0', 0n)).toBe('SMMU_IDR0 is read-only: write ignored');
    expect(s.regs.IDR0).toBe(idr0);
  });

  it('STRTAB_BASE is guarded by SMMUEN; written, it says the value kept', () => {
    const s = makeSmmu();
    expect(writeRegister(s, 'STRTAB_BASE', 0x4010_0000n)).toBe('SMMU_STRTAB_BASE = 0x40100000');
    writeRegister(s, 'CR0', 1n);
    expect(writeRegister(s, 'STRTAB_BASE', 0x4020_0000n)).toBe(
      'SMMU_STRTAB_BASE is guarded by CR0.SMMUEN=1: write ignored',
    );
    expect(writeRegister(s, 'STRTAB_BASE_CFG', 8n)).toBe(
      'SMMU_STRTAB_BASE_CFG is guarded by CR0.SMMUEN=1: write ignored',
    );
    expect(s.regs.STRTAB_BASE).toBe(0x4010_0000n);
    // A queue base is not guarded by SMMUEN, only by its own enable.
    expect(writeRegister(s, 'EVENTQ_BASE', 0x4001_0003n)).toBe('SMMU_EVENTQ_BASE = 0x40010003');
  });

  it.each([
    ['CMDQ_BASE', 0b1000n],
    ['EVENTQ_BASE', 0b0100n],
    ['PRIQ_BASE', 0b0010n],
  ] as const)('%s is guarded by its own queue enable only', (reg, en) => {
    const s = makeSmmu();
    writeRegister(s, 'CR0', 0b1110n & ~en);
    expect(writeRegister(s, reg, 0x4000_0003n)).toBe(`SMMU_${reg} = 0x40000003`);
    writeRegister(s, 'CR0', en);
    expect(writeRegister(s, reg, 0x4100_0003n)).toBe(
      `SMMU_${reg} is guarded by its queue enable: write ignored`,
    );
    expect(s.regs[reg]).toBe(0x4000_0003n);
  });

  it('bits no field defines are dropped; CR0ACK follows CR0', () => {
    const s = makeSmmu();
    expect(writeRegister(s, 'CR0', 0xffff_ffe0n | 0b10110n)).toBe('SMMU_CR0 = 0x16');
    expect([s.regs.CR0, s.regs.CR0ACK]).toEqual([0x16n, 0x16n]);
  });

  it('GBPA takes a write only with Update=1, and keeps Update clear', () => {
    const s = makeSmmu();
    const before = s.regs.GBPA;
    expect(writeRegister(s, 'GBPA', 1n << 20n)).toBe(
      'SMMU_GBPA write without Update=1: ignored (§6.3.14.1)',
    );
    expect(s.regs.GBPA).toBe(before);
    writeRegister(s, 'GBPA', (1n << 31n) | (1n << 20n)); // Update | ABORT
    expect(s.regs.GBPA).toBe(1n << 20n);
  });

  it('clearing SMMUEN terminates the stalled transactions', () => {
    const s = env();
    putSte(s, 1, { config: 5, s1ctx: CDTAB });
    putCd(s, CDTAB, { ttb0: new Tables(s.mem, 12).alloc(), s: true });
    expect(translate(s, txn(1, 0x1000n)).outcome.type).toBe('stalled');
    expect(s.stalls.size).toBe(1);
    expect(writeRegister(s, 'CR0', 0b1111n)).toBe('SMMU_CR0 = 0xf'); // still enabled
    expect(s.stalls.size).toBe(1);
    expect(writeRegister(s, 'CR0', 0b1110n)).toBe(
      'SMMU_CR0 = 0xe; SMMUEN cleared: stalled transactions aborted',
    );
    expect(s.stalls.size).toBe(0);
  });
});
