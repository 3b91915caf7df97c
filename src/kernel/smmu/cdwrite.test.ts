// The mainline CD writer against arm-smmu-v3.c arm_smmu_write_entry / arm_smmu_get_cd_used
// (linux-sva §3.6): which words are written in which order, and how many sync rounds
// (CFGI_CD per StreamID + CMD_SYNC) each update takes. Expected orders derived by hand from the
// algorithm: one used qword changing → hitless (ignored words, the critical word, then the now
// unused ones); two or more → V=0, words 1–7, word 0.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SMMU, PhysMem, Smmu, WriteJournal } from '../../engine/index.ts';
import type { KCtx } from '../ctx.ts';
import { runKernelOp } from '../handlers.ts';
import { bootKernel } from '../index.ts';
import { DEFAULT_CPU } from '../vocab.ts';
import { cdSlot, masterSite } from './cdtable.ts';
import { cdUsed, writeCdEntry } from './cdwrite.ts';

const V = 1n << 31n;
const EPD0 = 1n << 14n;
const TCR = 0x3510n; // T0SZ 16, TG0 4 KB, IR0/OR0 WBWA, SH0 ISH
const dw0 = (asid: number, extra = 0n): bigint => V | (1n << 30n) | (BigInt(asid) << 48n) | extra;

/** A v6.11 world (version-1 "mainline") with one device in a DMA domain, and its CD 5 to write. */
function setup(): { c: KCtx; write: (words: bigint[]) => bigint[][] } {
  const mem = new PhysMem(DEFAULT_SMMU.ram);
  const smmu = new Smmu(DEFAULT_SMMU, mem);
  const k = bootKernel(smmu, mem, 'v6.11', DEFAULT_CPU, []);
  const c: KCtx = { k, smmu, mem, notes: [] };
  const dev = { bus: 'pci', pasidBits: 8, ats: false, pri: false, stall: false } as const;
  runKernelOp(c, { op: 'device', name: 'gpu', sid: 0x100, ...dev });
  runKernelOp(c, { op: 'domain', name: 'd', type: 'dma', granule: undefined });
  runKernelOp(c, { op: 'attach', dev: 'gpu', domain: 'd' });
  const d = masterSite(k.devices.get('gpu')!);
  const at = cdSlot(c, d, 5);
  /** Writes CD 5; returns the words written between syncs, as word indices per round. */
  const write = (words: bigint[]): bigint[][] => {
    const journal = new WriteJournal();
    mem.journal = journal;
    smmu.takeLog();
    writeCdEntry(c, d, 5, words);
    mem.journal = null;
    const log = smmu.takeLog();
    const q = smmu.regs.CMDQ_BASE & 0x000f_ffff_ffff_ffe0n;
    const rounds: bigint[][] = [[]];
    for (const x of journal.list) {
      if (x.pa >= at && x.pa < at + 64n) rounds.at(-1)!.push((x.pa - at) / 8n);
      else if (x.pa >= q && x.pa < q + 0x1000n && rounds.at(-1)!.length > 0) rounds.push([]);
    }
    const syncs = log.commands.filter((k) => k.command?.name === 'CMD_SYNC').length;
    const out = rounds.filter((r) => r.length > 0);
    expect(out).toHaveLength(syncs);
    return out;
  };
  return { c, write };
}

describe('arm_smmu_get_cd_used', () => {
  it('an invalid CD uses only V; a valid one everything but what EPD0 makes ignored', () => {
    expect(cdUsed([0n, 5n])).toEqual([V, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
    const all = (1n << 64n) - 1n;
    expect(cdUsed([V])[1]).toBe(all);
    const quiet = cdUsed([V | EPD0]);
    expect(quiet[0]).toBe(all & ~0x3fffn);
    expect(quiet[1]).toBe(all & ~(((1n << 52n) - 1n) & ~0xfn));
  });
});

describe('arm_smmu_write_entry for a CD', () => {
  const pgd = 0x4002_0000n;
  const MAIR = 0x0000_0004_0044_ffffn;
  const live = (asid: number, ttb = pgd): bigint[] => [dw0(asid, TCR), ttb, 0n, MAIR];

  it('install: words 1–7, sync, then word 0, sync', () => {
    const { write } = setup();
    expect(write(live(2))).toEqual([[1n, 3n], [0n]]);
  });

  it('the same CD again writes nothing', () => {
    const { write } = setup();
    write(live(2));
    expect(write(live(2))).toEqual([]);
  });

  it('EPD0 rewrite (mm exit): word 0 first, then the TTB0 it ignores', () => {
    const { write } = setup();
    write(live(2));
    expect(write([dw0(2, EPD0), 0n, 0n, MAIR])).toEqual([[0n], [1n]]);
  });

  it('a new ASID and a new TTB0 (two used words): V=0, then words 1–7, then word 0', () => {
    const { write } = setup();
    write(live(2));
    expect(write(live(3, 0x4003_0000n))).toEqual([[0n], [1n], [0n]]);
  });

  it('clear: word 0 (V=0), sync, then the rest zeroed, sync', () => {
    const { write, c } = setup();
    write(live(2));
    expect(write([])).toEqual([[0n], [1n, 3n]]);
    const d = masterSite(c.k.devices.get('gpu')!);
    expect(c.mem.readWords(cdSlot(c, d, 5), 8)).toEqual(Array<bigint>(8).fill(0n));
  });
});
