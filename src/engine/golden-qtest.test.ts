// smmuv3.md §11.3: QEMU's SMMUv3 qtest (tests/qtest/iommu-smmuv3-test.c with libqos
// qos-smmuv3.c/.h). The three cases — stage 1 only, stage 2 only, nested — DMA 4 bytes to IOVA
// 0x80_8060_4567 and expect PA 0x4ECB_A567. The tables are built here the way libqos builds them
// (qsmmu_build_translation, qsmmu_setup_translation_tables, qsmmu_setup_s2_walk_for_ipa): the
// same constants, the same "value + NS offset" arithmetic, and stage 1 and stage 2 sharing one
// set of table pages at VTTB. Nothing here uses the engine's encoders.
import { describe, expect, it } from 'vitest';
import type { PhysMem } from './memory.ts';
import { writeRegister } from './regwrite.ts';
import type { Smmu } from './smmu.ts';
import { stepFields, stepStructure } from './structures.ts';
import { makeSmmu } from './testkit.ts';
import { translate } from './translate.ts';

// qos-smmuv3.h. Every physical address gets QSMMU_SPACE_OFFS_NS (the virt machine's RAM base).
const OFFS = 0x4000_0000n;
const IOVA = 0x0000_0080_8060_4567n;
const VTTB = 0x0e4d_0000n;
const STR_TAB = 0x0e17_9000n;
const CD_GPA = STR_TAB - 0x40n;
const L_PTE = [0x0e4d_1000n, 0x0e4d_2000n, 0x0e4d_3000n, 0x0ecb_a000n];
const NON_LEAF = 0x8000_0000_0000_0003n; // NSTable | table
const LEAF_RO = 0x0400_0000_0000_07e3n; // as stage 2: S2AP=11, MemAttr 0b1000, SH=IS, AF
const LEAF_RW = 0x0400_0000_0000_0763n; // as stage 1: AP=01, NS, SH=IS, AF; as stage 2: S2AP=01
const PTE_MASK = 0x0000_ffff_ffff_f000n;
const SID = 8; // the test device's devfn: STE at STR_TAB + 8 × 64 = …9200

type Mode = 's1' | 's2' | 'nested';

/** qsmmu_get_table_index / qsmmu_get_table_addr: 4 KB granule, 9 index bits per level. */
const index = (a: bigint, level: number): bigint => (a >> BigInt(39 - 9 * level)) & 0x1ffn;
const tableAddr = (base: bigint, level: number, a: bigint): bigint =>
  (base & PTE_MASK) + index(a, level) * 8n;
/** The shared L0–L2 table descriptor values: (L{n}_PTE_VAL | NON_LEAF) + offset. */
const TABLES = [0, 1, 2].map((n) => (L_PTE[n]! | NON_LEAF) + OFFS);

/** qsmmu_setup_s2_walk_for_ipa: a 4-level stage-2 walk for `ipa`, identity at the leaf. */
function s2WalkForIpa(mem: PhysMem, ipa: bigint, isFinal: boolean): void {
  let base = VTTB + OFFS;
  for (let level = 0; level < 3; level++) {
    mem.write64(tableAddr(base, level, ipa), TABLES[level]!);
    base = TABLES[level]!;
  }
  // Nested stage-1 table pages get the LEAF_RW attributes; the final IPA the LEAF_RO ones.
  mem.write64(tableAddr(base, 3, ipa), (ipa & PTE_MASK) | (isFinal ? LEAF_RO : LEAF_RW));
}

/** qsmmu_setup_translation_tables(iova, is_cd, mode). */
function setupTables(mem: PhysMem, iova: bigint, isCd: boolean, mode: Mode): void {
  let leaf: bigint;
  if (!isCd) {
    let base = VTTB + OFFS;
    for (let level = 0; level < 3; level++) {
      const at = tableAddr(base, level, iova);
      s2WalkForIpa(mem, at, false);
      mem.write64(at, TABLES[level]!);
      base = TABLES[level]!;
    }
    const at = tableAddr(base, 3, iova);
    leaf = (L_PTE[3]! | (mode === 's2' ? LEAF_RO : LEAF_RW)) + OFFS;
    s2WalkForIpa(mem, at, false);
    mem.write64(at, leaf);
  } else {
    leaf = iova | NON_LEAF;
  }
  s2WalkForIpa(mem, leaf, !isCd);
}

/** qsmmu_build_translation + qsmmu_program_bank for one mode. */
function qtest(mode: Mode): Smmu {
  // QEMU's SMMU: OAS 44 bits, no stalls (smmuv3_init_regs; smmuv3.md §10).
  const s = makeSmmu({ oas: 44, stall: 'none' });
  const mem = s.mem;
  // STE: V | Config << 1 | S1ContextPtr (0x4E17_8FC0; set in every mode);
  // dw2 = S2T0SZ 20 << 32 | S2SL0 2 << 38 | S2TG 0 | S2PS 5 << 48 | S2AA64 << 51; dw3 = S2TTB.
  const config = { s1: 5n, s2: 6n, nested: 7n }[mode];
  const ste = [(CD_GPA + OFFS) | (config << 1n) | 1n, 0n, 0x000d_0094_0000_0000n, VTTB + OFFS];
  mem.writeWords(STR_TAB + OFFS + BigInt(SID) * 64n, [...ste, 0n, 0n, 0n, 0n]);
  if (mode !== 's2') {
    // CD (smmuv3.md §11.3): T0SZ 16, TG0 4 KB, EPD1, V, IPS 44-bit, AA64, R, A, ASID 0x1E20;
    // dw1 = NSCFG0 | TTB0 0x4E4D_0000; dw2 = NSCFG1.
    const cd = [0x1e20_6204_c000_0010n, 0x0000_0000_4e4d_0001n, 1n, 0n, 0n, 0n, 0n, 0n];
    mem.writeWords(CD_GPA + OFFS, cd);
  }
  setupTables(mem, IOVA, false, mode);
  if (mode === 'nested') setupTables(mem, CD_GPA + OFFS, true, mode);
  const w = (n: Parameters<typeof writeRegister>[1], v: bigint) => void writeRegister(s, n, v);
  w('GBPA', 0x8000_0000n);
  w('CR0', 0n);
  w('CR1', 0x0d75n);
  w('CMDQ_BASE', 0x4e16_b000n | 0x0an);
  w('EVENTQ_BASE', 0x4e17_0000n | 0x0an);
  w('STRTAB_BASE_CFG', 5n); // linear, LOG2SIZE 5
  w('STRTAB_BASE', STR_TAB + OFFS);
  w('CR0', 0xdn); // SMMUEN | EVENTQEN | CMDQEN
  return s;
}

const dma = (s: Smmu) => translate(s, { sid: SID, addr: IOVA, access: 'w', priv: false });

describe('§11.3 QEMU qtest translations: IOVA 0x80_8060_4567 → PA 0x4ECB_A567', () => {
  it('the IOVA indexes L0 1, L1 2, L2 3, L3 4, offset 0x567 (smmuv3.md E2)', () => {
    expect([0, 1, 2, 3].map((l) => index(IOVA, l))).toEqual([1n, 2n, 3n, 4n]);
  });

  it('builds the tables libqos builds (spot checks, addresses by hand)', () => {
    const { mem } = qtest('nested');
    // Stage-1 walk of the IOVA: VTTB + 1×8, L1 table + 2×8, L2 table + 3×8, L3 table + 4×8.
    expect(mem.read64(0x4e4d_0008n)).toBe(0x8000_0000_4e4d_1003n);
    expect(mem.read64(0x4e4d_1010n)).toBe(0x8000_0000_4e4d_2003n);
    expect(mem.read64(0x4e4d_2018n)).toBe(0x8000_0000_4e4d_3003n);
    expect(mem.read64(0x4e4d_3020n)).toBe(0x0400_0000_4ecb_a763n);
    // Stage-2 leaf of the stage-1 table page 0x4E4D_0000: L3 index 0x4E4D0 & 0x1FF = 0xD0.
    expect(mem.read64(0x4e4d_3000n + 0xd0n * 8n)).toBe(0x0400_0000_4e4d_0763n);
    // Stage-2 leaf of the final IPA 0x4ECB_A567: L2 index 0x276 & 0x1FF = 0x76, L3 0xBA.
    expect(mem.read64(0x4e4d_2000n + 0x76n * 8n)).toBe(0x8000_0000_4e4d_3003n);
    expect(mem.read64(0x4e4d_3000n + 0xban * 8n)).toBe(0x0400_0000_4ecb_a7e3n);
    // Stage-2 leaf of the CD page 0x4E17_8000: L3 index 0x4E178 & 0x1FF = 0x178.
    expect(mem.read64(0x4e4d_3000n + 0x178n * 8n)).toBe(0x0400_0000_4e17_8763n);
  });

  it('stage 1 only (Config 0b101): four stage-1 reads, PA 0x4ECB_A567', () => {
    const t = dma(qtest('s1'));
    expect(t.outcome).toMatchObject({ type: 'translated', pa: 0x4ecb_a567n, stages: 's1' });
    const reads = t.steps.filter((x) => x.kind === 'tt').map((x) => [x.stage, x.pa]);
    expect(reads).toEqual([
      [1, 0x4e4d_0008n],
      [1, 0x4e4d_1010n],
      [1, 0x4e4d_2018n],
      [1, 0x4e4d_3020n],
    ]);
  });

  it('stage 2 only (Config 0b110): a 44-bit IPA walked from level 0 (S2SL0 2) reads the same four entries', () => {
    // IPA[43:39] = 1 with S2T0SZ 20, so the stage-2 indices equal the stage-1 ones; the leaf
    // libqos wrote for S2_ONLY is 0x0400_0000_4ECB_A7E3 (S2AP=11): a write is allowed.
    const s = qtest('s2');
    expect(s.mem.read64(0x4e4d_3020n)).toBe(0x0400_0000_4ecb_a7e3n);
    const t = dma(s);
    expect(t.outcome).toMatchObject({ type: 'translated', pa: 0x4ecb_a567n, stages: 's2' });
    const reads = t.steps.filter((x) => x.kind === 'tt').map((x) => [x.stage, x.pa]);
    expect(reads).toEqual([
      [2, 0x4e4d_0008n],
      [2, 0x4e4d_1010n],
      [2, 0x4e4d_2018n],
      [2, 0x4e4d_3020n],
    ]);
  });

  it('nested (Config 0b111): the CD, each stage-1 table and the output IPA go through stage 2', () => {
    const t = dma(qtest('nested'));
    expect(t.outcome).toMatchObject({ type: 'translated', pa: 0x4ecb_a567n, stages: 's1+s2' });
    const cd = t.steps.find((x) => x.kind === 'cd');
    expect([cd?.ipa ?? cd?.pa, cd?.pa]).toEqual([0x4e17_8fc0n, 0x4e17_8fc0n]);
    const s1 = t.steps.flatMap((x) => (x.kind === 'tt' && x.stage === 1 ? [x.pa] : []));
    expect(s1).toEqual([0x4e4d_0008n, 0x4e4d_1010n, 0x4e4d_2018n, 0x4e4d_3020n]);
    // Stage-2 leaf reads (level 3), by purpose: the CD page (L3[0x178]), the four stage-1
    // table pages (L3[0xD0..0xD3]) and the final IPA page (L3[0xBA]).
    const s2Leaves = t.steps.flatMap((x) =>
      x.kind === 'tt' && x.stage === 2 && x.level === 3 ? [[x.nested, x.pa]] : [],
    );
    expect(s2Leaves).toEqual([
      ['CD', 0x4e4d_3000n + 0x178n * 8n],
      ['TT', 0x4e4d_3000n + 0xd0n * 8n],
      ['TT', 0x4e4d_3000n + 0xd1n * 8n],
      ['TT', 0x4e4d_3000n + 0xd2n * 8n],
      ['TT', 0x4e4d_3000n + 0xd3n * 8n],
      ['IN', 0x4e4d_3000n + 0xban * 8n],
    ]);
  });

  it('each memory-read step decodes, on demand, to the spec fields of what it read', () => {
    const steps = dma(qtest('s1')).steps;
    const read = steps.filter((x) => stepStructure(x) !== undefined);
    expect(read.map(stepStructure)).toEqual([
      'ste',
      'cd',
      's1-table',
      's1-table',
      's1-table',
      's1-leaf',
    ]);
    // STE: Config 5, S1ContextPtr = 0x4E17_8FC0 >> 6 = 0x138_5E3F; S2T0SZ 20 although ignored.
    expect(stepFields(read[0]!)).toMatchObject({
      V: 1n,
      Config: 5n,
      S1ContextPtr: 0x138_5e3fn,
      S2T0SZ: 20n,
    });
    expect(stepFields(read[1]!)).toMatchObject({
      V: 1n,
      T0SZ: 16n,
      IPS: 4n,
      ASID: 0x1e20n,
      EPD1: 1n,
    });
    // Level 0: NSTable, next table 0x4E4D_1000 >> 12; the leaf: AP=01, SH=IS, AF, OA 0x4ECBA.
    expect(stepFields(read[2]!)).toMatchObject({ NSTable: 1n, NextLevelTable: 0x4e4d1n });
    expect(stepFields(read[5]!)).toMatchObject({ AP: 1n, SH: 3n, AF: 1n, OutputAddress: 0x4ecban });
    const none = steps.filter((x) => x.kind === 'decision' || x.kind === 'result');
    expect(none.map(stepFields).every((f) => f === undefined)).toBe(true);
  });

  it('no event is recorded in any of the three cases', () => {
    for (const mode of ['s1', 's2', 'nested'] as const) {
      const s = qtest(mode);
      dma(s);
      expect(s.takeLog().events, mode).toEqual([]);
    }
  });
});
