// The stepper's pure helpers: address splits for 4K/16K/64K granules (expected fields written by
// hand from smmuv3.md §4.1), splits read off real traces (the seed story's 4-level walk, a nested
// walk's stage-2 steps, StreamID and SubstreamID), fault search across the seed story, and the
// comparison of two moments.
import { describe, expect, it } from 'vitest';
import { translate, type Trace } from '../../engine/index.ts';
import {
  AF,
  AP_EL0,
  PAGE,
  S2RW,
  TABLE,
  Tables,
  env,
  putCd,
  putSte,
  txn,
} from '../../engine/tables.testkit.ts';
import { seedStory } from '../../scenario/index.ts';
import type { FlowStep } from '../flow.ts';
import { findFault, flowAt, timelineOf, worldAt } from '../testkit.ts';
import { addressSplit, binary, granuleOf, levelFields, splitValue } from './bits.ts';
import { compareWorlds, type StructureChange } from './compare.ts';
import { faultIndexes, faultKind } from './faults.ts';

const seed = timelineOf(seedStory);

const ranges = (fs: { name: string; hi: number; lo: number }[]) =>
  fs.map((f) => `${f.name}[${f.hi}:${f.lo}]`).join(' ');

describe('levelFields: which input bits index which level', () => {
  it('4 KB granule, 48-bit input, start L0', () => {
    expect(ranges(levelFields(12, 47, 0))).toBe(
      'L0[47:39] L1[38:30] L2[29:21] L3[20:12] offset[11:0]',
    );
  });
  it('4 KB granule, 39-bit input (T0SZ 25), start L1', () => {
    expect(ranges(levelFields(12, 38, 1))).toBe('L1[38:30] L2[29:21] L3[20:12] offset[11:0]');
  });
  it('16 KB granule, 48-bit input: L0 indexes one bit', () => {
    expect(ranges(levelFields(14, 47, 0))).toBe(
      'L0[47:47] L1[46:36] L2[35:25] L3[24:14] offset[13:0]',
    );
  });
  it('64 KB granule, 48-bit input: start L1 with 6 bits', () => {
    expect(ranges(levelFields(16, 47, 1))).toBe('L1[47:42] L2[41:29] L3[28:16] offset[15:0]');
  });
  it('stage 2, 4 KB, 40-bit IPA from L1: two concatenated tables, IPA[39:30]', () => {
    expect(ranges(levelFields(12, 39, 1))).toBe('L1[39:30] L2[29:21] L3[20:12] offset[11:0]');
  });
  it('recovers the granule from any level’s index position', () => {
    expect([granuleOf(0, 39), granuleOf(3, 12), granuleOf(1, 36), granuleOf(1, 42)]).toEqual([
      12, 12, 14, 16,
    ]);
    expect([granuleOf(2, 21), granuleOf(2, 25), granuleOf(2, 29), granuleOf(0, 47)]).toEqual([
      12, 14, 16, 14,
    ]);
  });
  it('splits a value, with the bits above the input size as `upper`', () => {
    const va = 0x0000_7fff_dead_b123n;
    const f = splitValue(va, levelFields(12, 47, 0), 64);
    expect(f.map((x) => [x.name, x.value])).toEqual([
      ['upper', 0n],
      ['L0', 0xffn],
      ['L1', 0x1ffn],
      ['L2', 0xf5n],
      ['L3', 0xdbn],
      ['offset', 0x123n],
    ]);
    const g16 = splitValue(va, levelFields(16, 47, 1), 64);
    expect(g16.map((x) => x.value)).toEqual([
      0n,
      va >> 42n,
      (va >> 29n) & 0x1fffn,
      (va >> 16n) & 0x1fffn,
      va & 0xffffn,
    ]);
    expect(binary(0xfen, 9)).toBe('0_1111_1110');
  });
});

describe('addressSplit on real traces', () => {
  it('the seed story’s 4-level walk: the current level and its index, per step', () => {
    const steps = flowAt(seed, 26); // accel, PASID 3, VA 0x7f00_0000_0000
    const va = 0x7f00_0000_0000n;
    for (let level = 0; level <= 3; level++) {
      const i = steps.findIndex((s) => s.trace?.kind === 'tt' && s.trace.level === level);
      const split = addressSplit(steps, i)!;
      expect(split).toMatchObject({ input: 'VA', value: va, granule: 12, current: `L${level}` });
      const lo = 39 - 9 * level;
      const cur = split.fields.find((f) => f.name === `L${level}`)!;
      expect([cur.hi, cur.lo, cur.value]).toEqual([lo + 8, lo, (va >> BigInt(lo)) & 0x1ffn]);
      expect(split.fields.map((f) => f.name)).toEqual(['upper', 'L0', 'L1', 'L2', 'L3', 'offset']);
    }
  });

  it('StreamID and SubstreamID split between the L1 descriptor and the STE / CD', () => {
    const steps = flowAt(seed, 26);
    const at = (k: string) =>
      addressSplit(
        steps,
        steps.findIndex((s) => s.trace?.kind === k),
      )!;
    // 2-level stream table, SPLIT 8: SID 0x100 → L1STD[1], STE 0.
    expect(at('l1std')).toMatchObject({ input: 'SID', current: 'L1STD', value: 0x100n });
    expect(at('ste').fields.map((f) => [f.name, f.hi, f.lo, f.value])).toEqual([
      ['L1STD', 15, 8, 1n],
      ['STE', 7, 0, 0n],
    ]);
    // 2-level CD table, 1024 CDs per leaf: SSID 3 → L1CD[0], CD 3.
    expect(at('cd').fields.map((f) => [f.name, f.hi, f.lo, f.value])).toEqual([
      ['L1CD', 19, 10, 0n],
      ['CD', 9, 0, 3n],
    ]);
    expect(at('cd').current).toBe('CD');
    // Steps without an input (decisions, results) have no split.
    expect(addressSplit(steps, steps.length - 1)).toBeUndefined();
  });

  it('a nested walk: stage-2 steps split the IPA of the table they fetch', () => {
    // Stage 2: 4 KB, 40-bit IPA, start L1 (two concatenated tables); stage 1: 4 KB, 48-bit VA.
    const s = env({ bring: { log2size: 9 } });
    const S2TTB = 0x4200_0000n;
    const t2 = new Tables(s.mem, 12, S2TTB);
    const root = t2.alloc(0x2000n);
    putSte(s, 1, {
      config: 7,
      s2t0sz: 24,
      s2sl0: 1,
      s2tg: 0,
      s2ps: 5,
      s2vmid: 3,
      s1ctx: 0x1000_0000n,
      s2ttb: root,
    });
    const s2map = (ipa: bigint, pa: bigint) => t2.map(root, 1, 40, ipa, 3, pa | S2RW | PAGE);
    s2map(0x1000_0000n, 0x4300_0000n);
    putCd(s, 0x4300_0000n, { ttb0: 0x1001_0000n, asid: 9 });
    const tables = [0x1001_0000n, 0x1001_1000n, 0x1001_2000n, 0x1001_3000n];
    const offs = [0x7f8n, 0xff8n, 0x7a8n, 0x6d8n];
    tables.forEach((ipa, i) => {
      const pa = ipa - 0x1001_0000n + 0x4301_0000n;
      s2map(ipa, pa);
      s.mem.write64(
        pa + offs[i]!,
        i < 3 ? tables[i + 1]! | TABLE : 0x2000_0000n | AF | AP_EL0 | PAGE,
      );
    });
    s2map(0x2000_0000n, 0x4400_0000n);
    const trace: Trace = translate(s, txn(1, 0x0000_7fff_dead_b123n)).steps;
    const steps: FlowStep[] = trace.map((t) => ({
      lane: 'smmu',
      kind: 'read',
      title: t.kind,
      detail: t.note,
      trace: t,
      attempt: 0,
    }));
    // The stage-2 walk for the L1 table's IPA 0x1001_1000: L1 index = IPA[39:30] = 0.
    const i = steps.findIndex(
      (x) =>
        x.trace?.kind === 'tt' &&
        x.trace.nested === 'TT' &&
        x.trace.level === 2 &&
        x.trace.input.value === 0x1001_1ff8n,
    );
    expect(i).toBeGreaterThan(0);
    const split = addressSplit(steps, i)!;
    expect(split.input).toBe('IPA');
    expect(split.fields.map((f) => `${f.name}[${f.hi}:${f.lo}]=${f.value}`)).toEqual([
      'upper[63:40]=0',
      'L1[39:30]=0',
      `L2[29:21]=${(0x1001_1ff8n >> 21n) & 0x1ffn}`,
      `L3[20:12]=${(0x1001_1ff8n >> 12n) & 0x1ffn}`,
      'offset[11:0]=4088',
    ]);
    // The stage-1 L2 step between stage-2 walks still splits the VA from L0.
    const s1 = steps.findIndex(
      (x) => x.trace?.kind === 'tt' && x.trace.stage === 1 && x.trace.level === 2,
    );
    expect(addressSplit(steps, s1)).toMatchObject({ input: 'VA', current: 'L2' });
    expect(addressSplit(steps, s1)!.fields[1]).toMatchObject({
      name: 'L0',
      hi: 47,
      lo: 39,
      value: 0xffn,
    });
  });
});

describe('faults across the seed story', () => {
  it('op 27: the ATS request is denied, then a page request; op 26 has none', () => {
    const steps = flowAt(seed, 27);
    const idx = faultIndexes(steps);
    expect(idx.map((i) => faultKind(steps, i))).toEqual(['ats-denied', 'page-request']);
    expect(faultIndexes(flowAt(seed, 26))).toEqual([]);
  });

  it('next / previous fault from any moment', () => {
    const first = findFault(seed, { op: -1, step: 0 }, 1)!;
    expect(first).toMatchObject({ op: 27, kind: 'ats-denied' });
    const second = findFault(seed, first, 1)!;
    expect(second).toMatchObject({ op: 27, kind: 'page-request' });
    expect(second.step).toBeGreaterThan(first.step);
    expect(findFault(seed, second, 1)).toBeUndefined();
    expect(findFault(seed, second, -1)).toEqual(first);
    expect(findFault(seed, { op: 28, step: 0 }, -1)).toEqual(second);
    expect(findFault(seed, first, -1)).toBeUndefined();
  });
});

describe('compareWorlds', () => {
  const fields = (c: StructureChange) =>
    Object.fromEntries(c.fields.map((f) => [f.name, [f.before, f.after]]));
  const k = worldAt(seed, 28).kernel!;
  const ml = [...k.processes.values()].find((x) => x.name === 'ml')!;

  it('bind (op 25): CD 3 of the accel table becomes valid; only the fields set differ', () => {
    const c = compareWorlds(worldAt(seed, 24), worldAt(seed, 25));
    expect(c.structures.map((x) => [x.group, x.what])).toEqual([['CD tables', 'CD 3']]);
    const cd = c.structures[0]!;
    expect(cd.owner).toMatch(/^CD leaf 0 of domain accel-dom/);
    // Written: dw0 (V, ASID…), dw1 (TTB0), dw3 (MAIR); dw2 (TTB1) stays 0.
    expect(cd.words.map((w) => w.dw)).toEqual([0, 1, 3]);
    expect(c.wordCount).toBe(3);
    // A CD for the process's own tables (shared, SVA): valid, tagged with the CPU ASID, TTB0 =
    // the mm's pgd, a 48-bit VA range (T0SZ 16), TTB1 walks off (EPD1), AArch64, R=A=1.
    const f = fields(cd);
    expect(f).toMatchObject({
      V: [0n, 1n],
      ASID: [0n, BigInt(ml.mm.asid)],
      TTB0: [0n, ml.mm.pgd >> 4n],
      T0SZ: [0n, 16n],
      EPD1: [0n, 1n],
      AA64: [0n, 1n],
      R: [0n, 1n],
      A: [0n, 1n],
    });
    expect(cd.fields.find((x) => x.name === 'V')).toMatchObject({
      beforeMeaning: 'invalid',
      afterMeaning: 'valid',
    });
    expect(cd.fields.find((x) => x.name === 'TTB0')!.afterMeaning).toBe(
      `address 0x${ml.mm.pgd.toString(16)}`,
    );
    // Fields still zero are not listed.
    expect(f.TTB1).toBeUndefined();
    expect(f.ASET).toBeUndefined();
    expect(c.caches).toEqual([]);
  });

  it('a DMA fills the TLB, config cache and ATC; the reverse lists them as removed', () => {
    const fwd = compareWorlds(worldAt(seed, 25), worldAt(seed, 26));
    expect(fwd.structures).toEqual([]);
    expect(new Set(fwd.caches.map((c) => c.cache))).toEqual(
      new Set(['TLB', 'Config cache', 'ATC']),
    );
    expect(fwd.caches.every((c) => c.change === 'added')).toBe(true);
    const back = compareWorlds(worldAt(seed, 26), worldAt(seed, 25));
    expect(back.caches.map((c) => c.text)).toEqual(fwd.caches.map((c) => c.text));
    expect(back.caches.every((c) => c.change === 'removed')).toBe(true);
  });

  it('the PRI fault (op 27) made one L3 entry a valid page for the new frame', () => {
    const c = compareWorlds(worldAt(seed, 26), worldAt(seed, 27));
    expect(c.structures.map((x) => [x.group, x.what, x.owner])).toEqual([
      ['Page tables', 'L3 entry [2]', 'page table L3 (ASID 66)'],
    ]);
    // VA 0x7f00_0000_2000: L3 index VA[20:12] = 2. A page descriptor (bits[1:0] = 0b11), AF set
    // (the kernel maps it young), output address = the frame the DMA's retry reached.
    const page = seed.records[27]!.dma!.pa! & ~0xfffn;
    expect(fields(c.structures[0]!)).toMatchObject({
      Valid: [0n, 1n],
      Type: [0n, 1n],
      AF: [0n, 1n],
      OutputAddress: [0n, page >> 12n],
    });
  });

  it('an entry going from invalid to a table lists the table descriptor’s fields', () => {
    // Op 24: the CPU's first write to ml's mapping allocates the L1, L2 and L3 tables.
    const c = compareWorlds(worldAt(seed, 23), worldAt(seed, 24));
    const l0 = c.structures.find((x) => x.what === 'L0 entry [254]')!;
    expect(l0.owner).toBe('pgd of ml');
    expect(l0.fields.map((f) => f.name)).toEqual(['Valid', 'Type', 'NextLevelTable']);
  });
});
