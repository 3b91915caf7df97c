// Golden scenarios M1–M3: bind, unbind, exit and the PASID allocator under era v6.11 (a version-1
// Expected values are derived by hand: PASIDs from the IDA rule (iommu_alloc_global_pasid →
// ida_alloc_range(1, max_pasids − 1), the lowest free ID; held by the mm until __mmdrop,
// linux-sva §2.4–§2.5), ASIDs from xa_alloc (lowest free in 1…2^16 − 1, the DMA domain's
// io-pgtable taking 1 at attach), the CD from arm_smmu_make_sva_cd (linux-sva §3.1; smmuv3.md
// §3.2 field positions) and the command sequences from the mainline code paths: set_dev_pasid
// (§3.1), arm_smmu_remove_dev_pasid + arm_smmu_sva_domain_free (§3.2), arm_smmu_mm_release
// (§3.3), with arm_smmu_write_entry's rounds (§3.6) — never copied from the program's output.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  cd,
  cdDw0,
  cdTtb0,
  cmd,
  goldenPath,
  loadGolden,
  MAIR_NOW,
  raws,
  type Dw2,
} from './golden.testkit.ts';
import { parseScenario } from './parse.ts';
import { Timeline } from './timeline.ts';
import type { World } from './world.ts';

const GPU = 0x100;
const TINY = 0x300;

/** One CD write round: CFGI_CD(leaf) per StreamID of the domain's masters, then CMD_SYNC. */
const round = (sids: number[], ssid: number): Dw2[] => [
  ...sids.map((s) => cmd.cfgiCd(s, ssid)),
  cmd.sync(),
];
/** arm_smmu_write_entry install or clear: two rounds (words 1–7 then 0; or 0 then 1–7). */
const twoRounds = (sids: number[], ssid: number): Dw2[] => [
  ...round(sids, ssid),
  ...round(sids, ssid),
];

/** The SVA CD (arm_smmu_make_sva_cd with an mm): the SVA domain's ASID, ASET=1, TTB0 = pgd. */
const svaCd = (w: World, proc: string, asid: number, stall = false): bigint[] => {
  const mm = w.kernel!.processes.get(proc)!.mm;
  return [cdDw0({ asid, aset: 1, stall }), cdTtb0(mm.pgd), 0n, MAIR_NOW];
};

/**
 * dw0 of arm_smmu_make_sva_cd(…, NULL, asid) when stalls are not forced: EPD0 [14], EPD1 [30],
 * V [31], IPS=101 [34:32], AA64 [41], A [46], ASET [47], ASID [63:48]; S and R cleared and no
 * T0SZ/TG0/IR0/OR0/SH0 (ignored with EPD0).
 */
const faultingDw0 = (asid: number): bigint =>
  (1n << 14n) |
  (1n << 30n) |
  (1n << 31n) |
  (5n << 32n) |
  (1n << 41n) |
  (1n << 46n) |
  (1n << 47n) |
  (BigInt(asid) << 48n);

describe('golden M1: v6.11 first bind', () => {
  const g = loadGolden('m1-first-bind');

  it('PASID 1 (lowest free), an SVA domain with ASID 2, CD 1 with ASET=1 and today’s MAIR', () => {
    expect(g.rec(6)).toMatchObject({ status: 'ok', pasid: 1 });
    const w = g.after(6);
    const k = w.kernel!;
    expect(k.domains.get('gpu-dom')!.pgtable!.asid).toBe(1);
    expect(k.iommuProcesses.get(1)!.sva).toEqual({ asid: 2, users: 1, masters: ['gpu'] });
    expect(k.domains.get('gpu-dom')!.contexts.get('app')!.asid).toBe(2);
    expect(cd(w, GPU, 1)).toEqual(svaCd(w, 'app', 2));
  });

  it('the CPU ASID is neither used nor pinned; no BTM, no cyclic IDR in the log', () => {
    const k = g.k(6);
    const mm = k.processes.get('app')!.mm;
    expect(mm.asidPinned).toBe(false);
    expect([...k.driver.asids.used].sort((a, b) => a - b)).toEqual([1, 2]);
    expect(k.driver.asids.used.has(mm.asid)).toBe(false);
    const notes = g.rec(6).notes.join('\n');
    expect(notes).toMatch(/iommu_alloc_global_pasid/);
    expect(notes).toMatch(/arm_smmu_sva_domain_alloc/);
    expect(notes).toMatch(/arm_smmu_make_sva_cd/);
    expect(notes).not.toMatch(/idr_alloc_cyclic|pins CPU ASID|process_attach/);
  });

  it('set_dev_pasid: CD install in two rounds, then attach_commit’s ATC_INV of the PASID', () => {
    expect(raws(g.rec(6))).toEqual([
      ...twoRounds([GPU], 1),
      cmd.atcInv(GPU, 1, 0n, 52),
      cmd.sync(),
    ]);
  });

  it('the device translates PASID 1 through the process page tables', () => {
    expect(g.rec(7).dma).toMatchObject({ outcome: 'translated', pa: g.rec(5).pa });
  });
});

describe('golden M2: the PASID outlives the last unbind; exit while bound', () => {
  const g = loadGolden('m2-unbind-keeps-pasid');
  const unbindLast = (asid: number): Dw2[] => [
    ...twoRounds([GPU], 1), // arm_smmu_clear_cd: V=0, then the rest
    cmd.atcInv(GPU, 1, 0n, 52), // arm_smmu_atc_inv_master(master, pasid)
    cmd.sync(),
    cmd.tlbiNhAsid(asid), // arm_smmu_sva_domain_free
    cmd.sync(),
  ];

  it('a second bind of the same device is one more handle user: nothing written', () => {
    const r = g.rec(7);
    expect(r).toMatchObject({ status: 'ok', pasid: 1 });
    expect([r.commands, r.writes]).toEqual([[], []]);
    expect(g.k(7).devices.get('gpu')!.bonds.get('app')!.count).toBe(2);
    expect(g.k(7).iommuProcesses.get(1)!.sva!.users).toBe(1);
  });

  it('the first unbind only drops that user; the second detaches and frees the SVA domain', () => {
    expect([g.rec(8).commands, g.rec(8).writes]).toEqual([[], []]);
    expect(g.k(8).devices.get('gpu')!.bonds.get('app')).toEqual({ pasid: 1, tables: 'shared' });
    expect(raws(g.rec(9))).toEqual(unbindLast(2));
    // Mainline clears the whole CD, not only dword 0 (linux-sva §3.6).
    expect(cd(g.after(9), GPU, 1)).toEqual([0n, 0n, 0n, 0n]);
    const k = g.k(9);
    expect([...k.driver.asids.used]).toEqual([1]);
    expect(k.devices.get('gpu')!.bonds.size).toBe(0);
  });

  it('after the last unbind the mm keeps PASID 1, and binding again reuses it', () => {
    const k = g.k(9);
    expect(k.idr.used.get(1)).toEqual({ kind: 'process', proc: 'app' });
    expect(k.iommuProcesses.get(1)!.sva).toBeUndefined();
    expect(g.rec(10)).toMatchObject({ status: 'ok', pasid: 1 });
    expect(raws(g.rec(10))).toEqual([
      ...twoRounds([GPU], 1),
      cmd.atcInv(GPU, 1, 0n, 52),
      cmd.sync(),
    ]);
    expect(cd(g.after(10), GPU, 1)).toEqual(svaCd(g.after(10), 'app', 2));
  });

  it('exit while bound: CD 1 stays valid with EPD0, S=R=0 and no TTB0; TLBI + ATC_INV', () => {
    // Word 0 is the one qword whose used bits change: hitless, word 0 then the ignored TTB0.
    expect(raws(g.rec(11))).toEqual([
      ...twoRounds([GPU], 1),
      cmd.tlbiNhAsid(2),
      cmd.sync(),
      cmd.atcInv(GPU, 1, 0n, 52),
      cmd.sync(),
    ]);
    expect(cd(g.after(11), GPU, 1)).toEqual([faultingDw0(2), 0n, 0n, MAIR_NOW]);
    const k = g.k(11);
    expect(k.idr.used.has(1)).toBe(true);
    expect(k.iommuProcesses.get(1)).toMatchObject({ exited: true, sva: { asid: 2, users: 1 } });
    expect(k.devices.get('gpu')!.bonds.get('app')).toEqual({ pasid: 1, tables: 'shared' });
  });

  it('a late access is aborted without an event (R=0); the late unbind succeeds and frees PASID 1', () => {
    const dma = g.rec(12);
    expect(dma.dma?.outcome).not.toBe('translated');
    expect([dma.events, dma.commands]).toEqual([[], []]);
    const r = g.rec(13);
    expect(r).toMatchObject({ status: 'ok', pasid: 1 });
    expect(raws(r)).toEqual(unbindLast(2));
    expect(r.notes.join('\n')).toMatch(/mm_pasid_drop/);
    const k = g.k(13);
    expect([k.idr.used.size, k.iommuProcesses.size, k.driver.asids.used.size]).toEqual([0, 0, 1]);
  });
});

describe('golden M3: lowest free PASID, held by the mm until it is freed', () => {
  const g = loadGolden('m3-pasid-lowest-free');
  const pasids = (from: number, to: number): (number | string)[] =>
    Array.from({ length: to - from + 1 }, (_, i) => {
      const r = g.rec(from + i);
      return r.status === 'ok' ? (r.pasid ?? 'ok') : r.error!;
    });

  it('hands out 1, 2, 3, then nothing: an unbound mm still holds its PASID', () => {
    expect(pasids(8, 13)).toEqual([1, 2, 3, '-ENOSPC', 2, '-ENOSPC']);
    expect(g.k(12).idr.used.get(2)).toEqual({ kind: 'process', proc: 'b' });
  });

  it('an unbound mm frees its PASID at exit; the lowest free one goes to the next bind', () => {
    expect(g.k(14).idr.used.has(2)).toBe(false);
    expect(g.rec(15)).toMatchObject({ status: 'ok', pasid: 2 });
    expect(raws(g.rec(15))).toEqual(twoRounds([TINY], 2));
  });

  it('a bound mm keeps its PASID past exit, until the late unbind drops the mm', () => {
    expect(g.k(16).idr.used.get(1)).toEqual({ kind: 'process', proc: 'a' });
    expect(g.rec(17)).toMatchObject({ status: 'error', error: '-ENOSPC' });
    expect(g.rec(18)).toMatchObject({ status: 'ok', pasid: 1 });
    expect(g.k(18).idr.used.has(1)).toBe(false);
    expect(g.rec(19)).toMatchObject({ status: 'ok', pasid: 1 });
  });
});

describe('golden 7 under both profiles', () => {
  const run = (kernel: 'rfc2017' | 'mainline'): (number | string)[] => {
    const doc = JSON.parse(readFileSync(goldenPath('07-pasid-wrap'), 'utf8')) as object;
    const p = parseScenario({ ...doc, kernel });
    if (!p.ok) throw new Error(p.error);
    return new Timeline(p.scenario).records
      .slice(8)
      .map((r) => (r.status === 'ok' ? (r.pasid ?? 'ok') : r.error!));
  };

  it('rfc2017: the cyclic IDR frees at unbind and wraps (linux-sva §1.5)', () => {
    expect(run('rfc2017')).toEqual([1, 1, 2, 3, 1, '-ENOSPC', 3, 3]);
  });

  it('mainline: unbound mms keep their PASIDs, so the 2-bit space runs out', () => {
    // a → 1 and keeps it after unbind; b → 2, c → 3; d and e find nothing free; c's unbind
    // returns its PASID to nobody (c's mm keeps 3).
    expect(run('mainline')).toEqual([1, 1, 2, 3, '-ENOSPC', '-ENOSPC', 3, '-ENOSPC']);
  });
});
