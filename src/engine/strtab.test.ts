// The stream table base and format as the SMMU derives them from SMMU_STRTAB_BASE and
// SMMU_STRTAB_BASE_CFG (SPEC §6.3.24, §6.3.25): the effective base is aligned by the SMMU, and
// FMT only means 2-level when the SMMU implements it (IDR0.ST_LEVEL = 0b01). Which addresses
// the SMMU reads are taken from the trace; every expected address is worked out by hand.
import { describe, expect, it } from 'vitest';
import type { SmmuPlatform } from './platform.ts';
import { writeRegister } from './regwrite.ts';
import type { Smmu } from './smmu.ts';
import { makeSmmu } from './testkit.ts';
import { translate } from './translate.ts';

/** Programs STRTAB_BASE / STRTAB_BASE_CFG raw and enables the SMMU (no queues needed). */
function smmu(base: bigint, cfg: bigint, platform: Partial<SmmuPlatform> = {}): Smmu {
  const s = makeSmmu(platform);
  writeRegister(s, 'STRTAB_BASE', base);
  writeRegister(s, 'STRTAB_BASE_CFG', cfg);
  writeRegister(s, 'CR2', 0b10n); // RECINVSID
  writeRegister(s, 'CR0', 1n); // SMMUEN
  return s;
}
/** The structure reads of a transaction from `sid`: [kind, PA]. */
const reads = (s: Smmu, sid: number) =>
  translate(s, { sid, addr: 0x1000n, access: 'r', priv: false })
    .steps.filter((x) => x.kind === 'l1std' || x.kind === 'ste')
    .map((x) => [x.kind, x.pa]);

describe('linear stream table: base aligned to the table size (ADDR[LOG2SIZE+5:0] = 0)', () => {
  it.each<[string, bigint, bigint, number, bigint]>([
    // LOG2SIZE 5: 32 STEs × 64 B = 2 KB; 0x4E17_9440 & ~0x7FF = 0x4E17_9000; SID 3 at +0xC0.
    ['LOG2SIZE 5, base 0x4E17_9440', 0x4e17_9440n, 5n, 3, 0x4e17_90c0n],
    // The QEMU qtest's table: already 2 KB aligned, so unchanged; SID 8 at +0x200.
    ['LOG2SIZE 5, base 0x4E17_9000 (QEMU qtest)', 0x4e17_9000n, 5n, 8, 0x4e17_9200n],
    // LOG2SIZE 8: 16 KB; 0x5000_2040 & ~0x3FFF = 0x5000_0000; SID 0x10 at +0x400.
    ['LOG2SIZE 8, base 0x5000_2040', 0x5000_2040n, 8n, 0x10, 0x5000_0400n],
  ])('%s', (_t, base, cfg, sid, ste) => {
    expect(reads(smmu(base, cfg), sid)).toEqual([['ste', ste]]);
  });

  it('aligns by the literal LOG2SIZE, not by the smaller SIDSIZE', () => {
    // SIDSIZE 4 caps the StreamID range at 16, but LOG2SIZE 8 still aligns to 16 KB:
    // 0x5000_2000 & ~0x3FFF = 0x5000_0000, so SID 2 is read at 0x5000_0080.
    const s = smmu(0x5000_2000n, 8n, { sidBits: 4 });
    expect(s.derived.sidBits).toBe(4);
    expect(reads(s, 2)).toEqual([['ste', 0x5000_0080n]]);
  });
});

describe('2-level stream table: base aligned to max(64 B, L1 table size)', () => {
  // FMT [17:16] = 1 → 0x1_0000; SPLIT [10:6] = 8 → 0x200.
  it('LOG2SIZE 16, SPLIT 8: 256 L1STDs = 2 KB; 0x5000_0440 → 0x5000_0000', () => {
    // ADDR[MAX(5, 16−8−1+3 = 10):0] = 0: 2 KB. SID 0x305: L1STD 3 at base + 0x18 (E12).
    const s = smmu(0x5000_0440n, 0x1_0000n | 0x200n | 16n);
    s.mem.write64(0x5000_0018n, 0x8001_0009n); // Span 9, L2Ptr 0x8001_0000
    expect(reads(s, 0x305)).toEqual([
      ['l1std', 0x5000_0018n],
      ['ste', 0x8001_0140n],
    ]);
  });

  it('LOG2SIZE 6, SPLIT 8: one L1STD, aligned to 64 bytes only', () => {
    // MAX(5, 6−8−1+3 = 0) = 5: ADDR[5:0] = 0, and 0x5000_0040 is already 64-byte aligned.
    const s = smmu(0x5000_0040n, 0x1_0000n | 0x200n | 6n);
    s.mem.write64(0x5000_0040n, 0x8001_0007n); // Span 7: 64 STEs
    expect(reads(s, 5)).toEqual([
      ['l1std', 0x5000_0040n],
      ['ste', 0x8001_0140n],
    ]);
  });
});

describe('STRTAB_BASE_CFG.FMT (§6.3.25)', () => {
  it('FMT=0b01 on an SMMU without 2-level tables (ST_LEVEL=0b00) is RES0: linear', () => {
    const s = smmu(0x5000_0000n, 0x1_0000n | 0x200n | 8n, { streamTable: 'linear' });
    expect(s.regs.IDR0 & (3n << 27n)).toBe(0n); // IDR0.ST_LEVEL [28:27] = 0b00
    expect(s.derived.strtabFmt).toBe('linear');
    expect(reads(s, 5)).toEqual([['ste', 0x5000_0140n]]);
  });

  it.each([2n, 3n])('FMT=%i is reserved and behaves as 0b00 (linear)', (fmt) => {
    const s = smmu(0x5000_0000n, (fmt << 16n) | 0x200n | 8n);
    expect(s.derived.strtabFmt).toBe('linear');
    expect(reads(s, 5)).toEqual([['ste', 0x5000_0140n]]);
  });
});
