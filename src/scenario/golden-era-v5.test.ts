// Golden E1 under the eras v5.14 and v5.18 (the shared, pinned CPU ASID; the CD table per domain;
// the mmu_notifier's invalidate_range). Every expected value is derived by hand from the Linux
// source of the release, cited at each test:
// - drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-sva.c (v5.14/v5.18): __arm_smmu_sva_bind,
//   arm_smmu_mmu_notifier_get/put, arm_smmu_alloc_shared_cd, arm_smmu_mm_invalidate_range,
//   arm_smmu_mm_release, arm_smmu_sva_unbind;
// - arm-smmu-v3.c: arm_smmu_write_ctx_desc (cases 1–5), arm_smmu_sync_cd (CFGI_CD per StreamID of
//   the domain's masters, then CMD_SYNC), __arm_smmu_tlb_inv_range, arm_smmu_atc_inv_to_cmd,
//   arm_smmu_atc_inv_domain, arm_smmu_handle_ppr (PRI_RESP_DENY), arm_smmu_page_response (RESUME,
//   no SYNC: "it doesn't do anything for RESUME or PRI_RESP"), arm_smmu_handle_evt;
// - iommu-sva-lib.c iommu_sva_alloc_pasid (ioasid_alloc: the lowest free) / iommu_sva_free_pasid
//   (v5.14); v5.18's 701fac40384f and 2667ed10d9f0 (the PASID stays with the mm until __mmdrop);
// - io-pgfault.c iopf_handle_group: iommu_sva_find fails for an exited mm → RESP_INVALID;
// - mm: include/asm-generic/tlb.h tlb_flush_mmu_tlbonly (mmu_notifier_invalidate_range after the
//   CPU flush, ≤ v6.5), mm/memory.c unmap_vmas / unmap_page_range (tlb_end_vma flushes before
//   mmu_notifier_invalidate_range_end), mm/mmu_notifier.c mn_hlist_invalidate_end (calls
//   ->invalidate_range over the whole range).
// Encodings: smmuv3.md §3.2, §5.1, §6.1 via golden.testkit.ts.
import { describe, expect, it } from 'vitest';
import { cd, cdDw0, cdTtb0, cmd, eventRaw, MAIR_NOW, raws, type Dw2 } from './golden.testkit.ts';
import {
  cdFields,
  DSP,
  EPD0,
  GPU,
  OP,
  PAGE0,
  runE1,
  tlbiNhVaRange,
} from './golden-eras.testkit.ts';

/** One arm_smmu_sync_cd on a domain with one master: CFGI_CD(leaf) + CMD_SYNC. */
const sync = (sid: number, ssid: number): Dw2[] => [cmd.cfgiCd(sid, ssid), cmd.sync()];
/** arm_smmu_write_ctx_desc case (1)/(2): words 1–3, sync, word 0 with V=1, sync. */
const install = (sid: number, ssid: number): Dw2[] => [...sync(sid, ssid), ...sync(sid, ssid)];
/** TLBI_NH_VA (Leaf=0: the notifier passes leaf=false) per 4 KB page from `va`. */
const perPage = (asid: number, va: bigint, n: number): Dw2[] =>
  Array.from({ length: n }, (_, i) => cmd.tlbiNhVa(asid, va + BigInt(i) * 0x1000n, false));

for (const era of ['v5.14', 'v5.18'] as const) {
  const v514 = era === 'v5.14';
  // v5.14: iommu_sva_free_pasid at the last unbind returns app's PASID 1, so other takes 1 and app
  // then gets 2. v5.18: app's mm keeps 1, other takes 2, app binds the dsp with 1 again.
  const [otherPasid, appPasid] = v514 ? [1, 2] : [2, 1];
  const g = runE1(era, appPasid);
  const app = () => g.after(OP.bindGpu).kernel!.processes.get('app')!.mm;

  describe(`golden E1 under ${era}: bind shares the CPU's ASID`, () => {
    it('precondition: the CPU ASID is no io-pgtable ASID, so arm_smmu_share_asid moves nothing', () => {
      const k = g.after(OP.bindGpu).kernel!;
      const ioAsids = ['gpu-dom', 'dsp-dom'].map((d) => k.domains.get(d)!.pgtable!.asid);
      expect(ioAsids).not.toContain(app().asid);
    });

    it('PASID 1; CD 1 field by field: V, T0SZ 16, EPD0 0, no HA/HD, ASET 0, the CPU ASID, TTB0 = pgd', () => {
      expect(g.rec(OP.bindGpu)).toMatchObject({ status: 'ok', pasid: 1 });
      const w = g.after(OP.bindGpu);
      const mm = app();
      // arm_smmu_alloc_shared_cd: T0SZ = 64 − vabits_actual (48), TG0 4K, WBWA, ISH, EPD1, IPS =
      // PARange, TTB0 = virt_to_phys(pgd), MAIR = mair_el1, asid = arm64_mm_context_get(mm);
      // write_ctx_desc adds R, A, AA64, ASID, V and ASET only when cd->mm is NULL.
      expect(cdFields(cd(w, GPU, 1))).toEqual({
        V: 1,
        T0SZ: 16,
        EPD0: 0,
        HD: 0,
        HA: 0,
        S: 0,
        R: 1,
        ASET: 0,
        ASID: mm.asid,
        TTB0: mm.pgd,
      });
      expect(cd(w, GPU, 1)).toEqual([
        cdDw0({ asid: mm.asid, aset: 0 }),
        cdTtb0(mm.pgd),
        0n,
        MAIR_NOW,
      ]);
      expect(raws(g.rec(OP.bindGpu))).toEqual(install(GPU, 1));
      // arm64_mm_context_get pins the ASID; xa_insert puts it in the SMMU's ASID space.
      expect(mm.asidPinned).toBe(true);
      expect(w.kernel!.driver.asids.used.has(mm.asid)).toBe(true);
      expect(g.rec(OP.dmaTouched).dma?.outcome).toBe('translated');
    });
  });

  describe(`golden E1 under ${era}: a page request is denied`, () => {
    it('arm_smmu_handle_ppr: PRI_RESP with PRI_RESP_DENY (Resp 0), no CMD_SYNC', () => {
      const r = g.rec(OP.dmaPri);
      const prg = r.pageRequests[0]!.request.prgIndex;
      expect(raws(r)).toEqual([cmd.priResp(GPU, 1, prg, 0)]);
      expect(r.dma?.outcome).toBe('aborted');
    });
  });

  describe(`golden E1 under ${era}: munmap`, () => {
    it('two present pages: the gathered flush and invalidate_range_end each invalidate', () => {
      const asid = app().asid;
      // start 0x7fff00001000, end 0x7fff00003000. v5.14: size = end − start + 1 = 0x2001, and
      // __arm_smmu_tlb_inv_range loops while iova < iova + size: 3 pages; v5.18: size 0x2000, 2.
      // ATC: pages 0x7fff00001..0x7fff00002 (v5.14: ..3, same span): fls(1 ^ 2 or 1 ^ 3) = 2 →
      // 4 pages from 0x7fff00000000, Size 2.
      const once = [
        ...perPage(asid, PAGE0 + 0x1000n, v514 ? 3 : 2),
        cmd.sync(),
        cmd.atcInv(GPU, 1, PAGE0, 2),
        cmd.sync(),
      ];
      // tlb_end_vma's tlb_flush_mmu_tlbonly (over the cleared PTEs), then
      // mmu_notifier_invalidate_range_end (over the munmap range): the same range twice here.
      expect(raws(g.rec(OP.munmapTouched))).toEqual([...once, ...once]);
    });

    it('a page never touched: no CPU flush, but invalidate_range_end still reaches the SMMU', () => {
      const asid = app().asid;
      // [0x7fff00003000, 0x7fff00004000): v5.14 size 0x1001 → pages 3 and 4; ATC pages 3..4:
      // fls(3 ^ 4 = 7) = 3 → 8 pages from 0x7fff00000000, Size 3. v5.18: one page, ATC Size 0.
      expect(raws(g.rec(OP.munmapUntouched))).toEqual([
        ...perPage(asid, PAGE0 + 0x3000n, v514 ? 2 : 1),
        cmd.sync(),
        v514 ? cmd.atcInv(GPU, 1, PAGE0, 3) : cmd.atcInv(GPU, 1, PAGE0 + 0x3000n, 0),
        cmd.sync(),
      ]);
      expect(g.rec(OP.munmapUntouched).broadcasts).toEqual([]);
    });
  });

  describe(`golden E1 under ${era}: unbind, and the PASID's lifetime`, () => {
    it('the last unbind: CD word 0 cleared (case 5), TLBI by the CPU ASID, ATC_INV of everything', () => {
      const before = cd(g.after(OP.unbindGpu - 1), GPU, 1);
      expect(raws(g.rec(OP.unbindGpu))).toEqual([
        ...sync(GPU, 1),
        cmd.tlbiNhAsid(app().asid),
        cmd.sync(),
        cmd.atcInv(GPU, 1, 0n, 52),
        cmd.sync(),
      ]);
      expect(cd(g.after(OP.unbindGpu), GPU, 1)).toEqual([0n, ...before.slice(1)]);
      // arm_smmu_free_shared_cd → arm64_mm_context_put.
      expect(g.after(OP.unbindGpu).kernel!.processes.get('app')!.mm.asidPinned).toBe(false);
    });

    it(`${v514 ? 'iommu_sva_free_pasid frees PASID 1' : 'the mm keeps PASID 1'}; other gets ${otherPasid}, app ${appPasid}`, () => {
      const held = g.after(OP.unbindGpu).kernel!.idr.used.get(1);
      if (v514) expect(held).toBeUndefined();
      else expect(held).toEqual({ kind: 'process', proc: 'app' });
      expect(g.rec(OP.bindOther)).toMatchObject({ status: 'ok', pasid: otherPasid });
      expect(g.rec(OP.bindDsp)).toMatchObject({ status: 'ok', pasid: appPasid });
    });

    it('the dsp binds app into dsp-dom: CD with S=1 (the domain is stall-enabled), same CPU ASID', () => {
      const w = g.after(OP.bindDsp);
      const mm = w.kernel!.processes.get('app')!.mm;
      expect(cd(w, DSP, appPasid)).toEqual([
        cdDw0({ asid: mm.asid, aset: 0, stall: true }),
        cdTtb0(mm.pgd),
        0n,
        MAIR_NOW,
      ]);
      expect(raws(g.rec(OP.bindDsp))).toEqual(install(DSP, appPasid));
    });
  });

  describe(`golden E1 under ${era}: a stalled fault, exit, a late fault, the late unbind`, () => {
    it('the stall is recoverable: F_TRANSLATION (stall), handle_mm_fault, RESUME retry', () => {
      const r = g.rec(OP.dmaStall);
      const stag = r.events[0]!.event.stag;
      const ev = { id: 0x10, sid: DSP, ssid: appPasid, stall: true, stag, read: false, cls: 2 };
      expect(r.events.map((e) => e.raw)).toEqual([eventRaw({ ...ev, addr: PAGE0 })]);
      expect(raws(r)).toEqual([cmd.resume(DSP, stag, true)]);
      expect(r.dma?.outcome).toBe('translated');
    });

    it('exit: quiet_cd ORs EPD0 into word 0 (S and R stay), TLBI by ASID, no ATC (no ATS master)', () => {
      const before = cd(g.after(OP.exit - 1), DSP, appPasid);
      const after = cd(g.after(OP.exit), DSP, appPasid);
      expect(after).toEqual([before[0]! | EPD0, ...before.slice(1)]);
      expect(cdFields(after)).toMatchObject({ V: 1, EPD0: 1, S: 1, R: 1 });
      expect(raws(g.rec(OP.exit))).toEqual([
        ...sync(DSP, appPasid),
        cmd.tlbiNhAsid(app().asid),
        cmd.sync(),
      ]);
    });

    it('a late access stalls on EPD0; the exited mm makes the IOPF answer INVALID → RESUME abort', () => {
      const r = g.rec(OP.dmaAfterExit);
      const stag = r.events[0]!.event.stag;
      const ev = { id: 0x10, sid: DSP, ssid: appPasid, stall: true, stag, read: true, cls: 2 };
      expect(r.events.map((e) => e.raw)).toEqual([eventRaw({ ...ev, addr: PAGE0 })]);
      expect(raws(r)).toEqual([cmd.resume(DSP, stag, false)]);
      expect(r.dma?.outcome).toBe('aborted');
    });

    it('the late unbind clears word 0 only (the notifier was cleared: no TLBI), frees the PASID', () => {
      expect(raws(g.rec(OP.unbindLate))).toEqual(sync(DSP, appPasid));
      expect(cd(g.after(OP.unbindLate), DSP, appPasid)[0]).toBe(0n);
      const k = g.after(OP.unbindLate).kernel!;
      expect(k.idr.used.has(appPasid)).toBe(false);
      expect(k.idr.used.get(otherPasid)).toEqual({ kind: 'process', proc: 'other' });
    });
  });
}

describe('golden E1 under v5.18 with range invalidation (IDR3.RIL)', () => {
  const g = runE1('v5.18', 1, { smmu: { rangeInv: true } });
  const asid = g.after(OP.bindGpu).kernel!.processes.get('app')!.mm.asid;
  // __arm_smmu_tlb_inv_range (v5.18, before 6833b8f2e199 in v6.5): tg = __ffs(pgsize_bitmap) = 12
  // → TG = (12 − 10) / 2 = 1; TTL = 4 − (ilog2(PAGE_SIZE) − 3) / (12 − 3) = 3 whether leaf or not;
  // num_pages = size >> 12; per command SCALE = __ffs(num_pages), NUM = (num_pages >> SCALE) − 1.
  const range = (va: bigint, num: number, scale: number): Dw2 =>
    tlbiNhVaRange(asid, va, { num, scale, ttl: 3, tg: 1, leaf: false });

  it('two present pages: one range TLBI (NUM 0, SCALE 1, TTL 3) per notification', () => {
    const once = [
      range(PAGE0 + 0x1000n, 0, 1),
      cmd.sync(),
      cmd.atcInv(GPU, 1, PAGE0, 2),
      cmd.sync(),
    ];
    expect(raws(g.rec(OP.munmapTouched))).toEqual([...once, ...once]);
  });

  it('a page never touched: one range TLBI of one page (NUM 0, SCALE 0, TTL 3)', () => {
    expect(raws(g.rec(OP.munmapUntouched))).toEqual([
      range(PAGE0 + 0x3000n, 0, 0),
      cmd.sync(),
      cmd.atcInv(GPU, 1, PAGE0 + 0x3000n, 0),
      cmd.sync(),
    ]);
  });
});
