// Golden scenario 13 (issue 3): a GPU PASID with a private io-pgtable (its own SMMU ASID, ASET=1)
// next to display/video/camera sharing one DMA domain — one global io-pgtable, one CD 0, one
// CD table behind three STEs. PTE values from linux-facts.md §1.2–§1.3 (2018 io-pgtable-arm),
// CD fields from smmuv3.md §3.2–§3.3, the walk from §4.1/E1.
import { describe, expect, it } from 'vitest';
import {
  cd,
  cdDw0,
  cdTtb0,
  eventRaw,
  IOPGTABLE_MAIR_2018,
  ioPage,
  loadGolden,
  ste,
  walk4k,
} from './golden.testkit.ts';

const GPU = 0x100;
const MEDIA = { display: 0x500, video: 0x501, camera: 0x502 };

describe('golden 13: private io-pgtable per PASID vs one global io-pgtable', () => {
  const g = loadGolden('13-private-vs-global');

  it('hand PTE values match linux-facts §1.3 worked values', () => {
    // READ|WRITE|CACHE = PA | 0xF47, + NOEXEC 0x0060_0000_0000_0000; READ-only|CACHE = PA | 0xFC7.
    expect(ioPage(0x8000_0000n, true)).toBe(0x0060_0000_8000_0f47n);
    expect(ioPage(0x9000_1000n, false)).toBe(0x0060_0000_9000_1fc7n);
  });

  it('the private bind gets PASID 1 whose CD has its own ASID, ASET=1, TTB0 = the private table', () => {
    expect(g.rec(11)).toMatchObject({ status: 'ok', pasid: 1 });
    const w = g.after(11);
    const k = w.kernel!;
    const priv = k.privates.get('gpu/app')!.pgtable;
    // An io-pgtable CD (smmuv3.md §3.3): SMMU-private ASID, ASET=1, MAIR = io-pgtable's.
    expect(cd(w, GPU, 1)).toEqual([
      cdDw0({ asid: priv.asid, aset: 1 }),
      cdTtb0(priv.root),
      0n,
      IOPGTABLE_MAIR_2018,
    ]);
    // Its own ASID: not the process's CPU ASID, not any DMA domain's.
    const others = [
      k.processes.get('app')!.mm.asid,
      k.domains.get('gpu-dom')!.pgtable!.asid,
      k.domains.get('media')!.pgtable!.asid,
    ];
    expect(others).not.toContain(priv.asid);
    // CD 0 of the GPU is still its DMA domain's io-pgtable, not the private one.
    expect(cd(w, GPU, 0)[1]).toBe(cdTtb0(k.domains.get('gpu-dom')!.pgtable!.root));
  });

  it('map with dev + proc fills the private table; the GPU translates through PASID 1', () => {
    const w = g.after(12);
    const root = w.kernel!.privates.get('gpu/app')!.pgtable.root;
    const descs = walk4k(w, root, 0x1000_0000n);
    // IOVA 0x1000_0000: L0 0, L1 0, L2 0x80, L3 0 (E1 method); tables = PA | 3, no NSTABLE (§1.2).
    expect(descs).toHaveLength(4);
    for (const d of descs.slice(0, 3)) expect(d & 0xfff0_0000_0000_0fffn).toBe(3n);
    expect(descs[3]).toBe(ioPage(0x8000_0000n, true));
    expect(g.rec(13).dma).toMatchObject({ outcome: 'translated', pa: 0x8000_0000n });
  });

  it('display, video and camera share one CD table and one CD 0', () => {
    const w = g.after(15);
    const media = w.kernel!.domains.get('media')!;
    const stes = Object.values(MEDIA).map((sid) => ste(w, sid));
    // Same S1ContextPtr [51:6] in all three STEs; no PASIDs (S1CDMax 0) → a single CD.
    const ptrs = stes.map((s) => s[0]! & 0x000f_ffff_ffff_ffc0n);
    expect(new Set(ptrs).size).toBe(1);
    expect(ptrs[0]).toBe(media.cdtable!.base);
    for (const s of stes) expect(s[0]! >> 59n).toBe(0n);
    const cd0 = [
      cdDw0({ asid: media.pgtable!.asid, aset: 1 }),
      cdTtb0(media.pgtable!.root),
      0n,
      IOPGTABLE_MAIR_2018,
    ];
    for (const sid of Object.values(MEDIA)) expect(cd(w, sid, 0)).toEqual(cd0);
  });

  it('a map on the domain is one set of PTEs, visible to all three without a PASID', () => {
    const w = g.after(15);
    const root = w.kernel!.domains.get('media')!.pgtable!.root;
    expect(walk4k(w, root, 0x2000_0000n)[3]).toBe(ioPage(0x9000_0000n, true));
    expect(walk4k(w, root, 0x2000_1000n)[3]).toBe(ioPage(0x9000_1000n, false));
    for (const i of [16, 17, 18])
      expect(g.rec(i).dma).toMatchObject({ outcome: 'translated', pa: 0x9000_0000n });
  });

  it('a write to the read-only page is an F_PERMISSION without SubstreamID', () => {
    const r = g.rec(19);
    expect(r.dma?.outcome).toBe('fault');
    // id 0x13, SID 0x502, SSV=0, write (RnW=0), stage 1, CLASS=IN (smmuv3.md §5.1).
    const want = { id: 0x13, sid: MEDIA.camera, read: false, cls: 2, addr: 0x2000_1000n };
    expect(r.events.map((e) => e.raw)).toEqual([eventRaw(want)]);
  });
});
