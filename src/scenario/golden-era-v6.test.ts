// Golden E1 under the eras v6.6 and v6.7: still the shared, pinned CPU ASID, but the SMMU now
// hears of a CPU-side change only from the arm64 TLB flush, and (v6.7) each master owns its CD
// table. Every expected value is derived by hand from the release's source, cited per test:
// - v6.6 Alistair Popple's series: arm64 __flush_tlb_range / flush_tlb_mm call
//   mmu_notifier_arch_invalidate_secondary_tlbs; tlb_flush_mmu_tlbonly and
//   mn_hlist_invalidate_end no longer call it; arm-smmu-v3-sva.c
//   arm_smmu_mm_arch_invalidate_secondary_tlbs (size = end − start; CMDQ_MAX_TLBI_OPS);
// - iommu-sva.c (v6.6): iommu_sva_bind_device → iommu_sva_alloc_pasid → iommu_alloc_global_pasid
//   (ida_alloc_range(1, max_pasids − 1): the lowest free); the PASID stays with the mm until
//   __mmdrop (mm_pasid_drop); iommu_sva_handle_iopf: mmget_not_zero fails after exit → INVALID;
// - arm-smmu-v3-sva.c __arm_smmu_sva_bind, arm_smmu_mmu_notifier_get/put, arm_smmu_mm_release,
//   arm_smmu_sva_remove_dev_pasid; arm-smmu-v3.c arm_smmu_write_ctx_desc (case 1/2 install = two
//   syncs, quiet = EPD0 + one sync, remove = word 0 := 0 + one sync), arm_smmu_handle_ppr;
// - v6.7: arm_smmu_write_ctx_desc(master, …) / arm_smmu_sync_cd(master, …) (Michael Shavit's
//   series); arm_smmu_mmu_notifier_get loops list_for_each_entry(master, &smmu_domain->devices)
//   and arm_smmu_update_ctx_desc_devices clears them all (removed by b5bf7778b722 in v6.8);
//   arm_smmu_attach_dev list_add()s each master at the head of the domain's list;
// - __arm_smmu_tlb_inv_range with 6833b8f2e199 (v6.5: TTL only for leaf) and eb6c97647be2 (v6.6:
//   a non-leaf page count with low 5 bits = 1 grows by one).
// Encodings: smmuv3.md §3.2, §5.1, §6.1 via golden.testkit.ts.
import { describe, expect, it } from 'vitest';
import type { OpDoc } from './format.ts';
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
import { eraTimeline } from './run.testkit.ts';

const sync = (sid: number, ssid: number): Dw2[] => [cmd.cfgiCd(sid, ssid), cmd.sync()];
const install = (sid: number, ssid: number): Dw2[] => [...sync(sid, ssid), ...sync(sid, ssid)];

for (const era of ['v6.6', 'v6.7'] as const) {
  // The mm keeps PASID 1 past the unbind (v5.18+), so other takes 2 and app binds the dsp with 1.
  const g = runE1(era, 1);
  const asid = () => g.after(OP.bindGpu).kernel!.processes.get('app')!.mm.asid;

  describe(`golden E1 under ${era}`, () => {
    it('bind: PASID 1 (lowest free); CD 1 shares the CPU ASID (ASET 0), T0SZ 16, TTB0 = pgd', () => {
      expect(g.rec(OP.bindGpu)).toMatchObject({ status: 'ok', pasid: 1 });
      const w = g.after(OP.bindGpu);
      const mm = w.kernel!.processes.get('app')!.mm;
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
      expect(mm.asidPinned).toBe(true);
    });

    it('a page request: PRI_RESP DENY (Resp 0), no CMD_SYNC', () => {
      const r = g.rec(OP.dmaPri);
      expect(raws(r)).toEqual([cmd.priResp(GPU, 1, r.pageRequests[0]!.request.prgIndex, 0)]);
    });

    it('munmap of two present pages: one invalidation, from the CPU flush, exact size', () => {
      // tlb_end_vma → tlb_flush → __flush_tlb_range(0x7fff00001000, 0x7fff00003000) →
      // arm_smmu_mm_arch_invalidate_secondary_tlbs: size 0x2000 < 512 pages → TLBI_NH_VA per page
      // (Leaf=0) + SYNC, then arm_smmu_atc_inv_domain: pages 1..2 → 4 from 0x7fff00000000, Size 2.
      expect(raws(g.rec(OP.munmapTouched))).toEqual([
        cmd.tlbiNhVa(asid(), PAGE0 + 0x1000n, false),
        cmd.tlbiNhVa(asid(), PAGE0 + 0x2000n, false),
        cmd.sync(),
        cmd.atcInv(GPU, 1, PAGE0, 2),
        cmd.sync(),
      ]);
    });

    it('munmap of a page never touched: no PTE cleared, no CPU flush, nothing to the SMMU', () => {
      const r = g.rec(OP.munmapUntouched);
      expect([r.commands, r.broadcasts]).toEqual([[], []]);
    });

    it('unbind: CD word 0 cleared, TLBI by ASID, ATC_INV of the PASID; the mm keeps PASID 1', () => {
      expect(raws(g.rec(OP.unbindGpu))).toEqual([
        ...sync(GPU, 1),
        cmd.tlbiNhAsid(asid()),
        cmd.sync(),
        cmd.atcInv(GPU, 1, 0n, 52),
        cmd.sync(),
      ]);
      expect(cd(g.after(OP.unbindGpu), GPU, 1)[0]).toBe(0n);
      expect(g.after(OP.unbindGpu).kernel!.idr.used.get(1)).toEqual({
        kind: 'process',
        proc: 'app',
      });
      expect(g.rec(OP.bindOther)).toMatchObject({ status: 'ok', pasid: 2 });
      expect(g.rec(OP.bindDsp)).toMatchObject({ status: 'ok', pasid: 1 });
      expect(raws(g.rec(OP.bindDsp))).toEqual(install(DSP, 1));
      expect(cdFields(cd(g.after(OP.bindDsp), DSP, 1))).toMatchObject({
        S: 1,
        ASET: 0,
        ASID: asid(),
      });
    });

    it('a stalled fault through the dsp’s own SVA domain: RESUME retry', () => {
      const r = g.rec(OP.dmaStall);
      const stag = r.events[0]!.event.stag;
      const ev = { id: 0x10, sid: DSP, ssid: 1, stall: true, stag, read: false, cls: 2 };
      expect(r.events.map((e) => e.raw)).toEqual([eventRaw({ ...ev, addr: PAGE0 })]);
      expect(raws(r)).toEqual([cmd.resume(DSP, stag, true)]);
      expect(r.dma?.outcome).toBe('translated');
    });

    it('exit: quiet_cd (EPD0; S and R stay until v6.8’s b41932f54458), TLBI by ASID', () => {
      const before = cd(g.after(OP.exit - 1), DSP, 1);
      const after = cd(g.after(OP.exit), DSP, 1);
      expect(after).toEqual([before[0]! | EPD0, ...before.slice(1)]);
      expect(cdFields(after)).toMatchObject({ V: 1, EPD0: 1, S: 1, R: 1 });
      expect(raws(g.rec(OP.exit))).toEqual([...sync(DSP, 1), cmd.tlbiNhAsid(asid()), cmd.sync()]);
    });

    it('a late access stalls and is aborted (RESUME abort); the late unbind clears word 0', () => {
      const r = g.rec(OP.dmaAfterExit);
      const stag = r.events[0]!.event.stag;
      const ev = { id: 0x10, sid: DSP, ssid: 1, stall: true, stag, read: true, cls: 2 };
      expect(r.events.map((e) => e.raw)).toEqual([eventRaw({ ...ev, addr: PAGE0 })]);
      expect(raws(r)).toEqual([cmd.resume(DSP, stag, false)]);
      expect(raws(g.rec(OP.unbindLate))).toEqual(sync(DSP, 1));
      expect(g.after(OP.unbindLate).kernel!.idr.used.has(1)).toBe(false);
    });
  });
}

describe('golden E1 under v6.6 with range invalidation: TTL 0 for the notifier’s non-leaf TLBI', () => {
  const g = runE1('v6.6', 1, { smmu: { rangeInv: true } });
  it('two pages: one range TLBI (TG 4K, NUM 0, SCALE 1, TTL 0, Leaf 0)', () => {
    const asid = g.after(OP.bindGpu).kernel!.processes.get('app')!.mm.asid;
    expect(raws(g.rec(OP.munmapTouched))).toEqual([
      tlbiNhVaRange(asid, PAGE0 + 0x1000n, { num: 0, scale: 1, ttl: 0, tg: 1, leaf: false }),
      cmd.sync(),
      cmd.atcInv(GPU, 1, PAGE0, 2),
      cmd.sync(),
    ]);
  });
});

describe('golden v6.7: the SVA CD is replicated into every master of the RID domain', () => {
  const NIC = 0x101;
  const ops: OpDoc[] = [
    { op: 'device', name: 'gpu', sid: GPU, bus: 'pci', pasidBits: 20, ats: true },
    { op: 'device', name: 'nic', sid: NIC, bus: 'pci', pasidBits: 20, ats: true },
    { op: 'domain', name: 'd' },
    { op: 'attach', dev: 'gpu', domain: 'd' },
    { op: 'attach', dev: 'nic', domain: 'd' },
    { op: 'process', name: 'app' },
    { op: 'mmap', proc: 'app', addr: '0x7fff_0000_0000', size: '0x1000', prot: 'rw' },
    { op: 'touch', proc: 'app', addr: '0x7fff_0000_0000', access: 'w' },
    { op: 'bind', dev: 'gpu', proc: 'app' },
    { op: 'dma', dev: 'nic', pasid: 1, addr: '0x7fff_0000_0000', access: 'r' },
    { op: 'unbind', dev: 'gpu', proc: 'app' },
  ];
  const t = eraTimeline('v6.7', ops);

  it('binding gpu writes CD 1 into nic’s table and gpu’s (list order: newest first)', () => {
    expect(raws(t.records[8]!)).toEqual([...install(NIC, 1), ...install(GPU, 1)]);
    const w = t.stateAt(9);
    expect(cd(w, NIC, 1)).toEqual(cd(w, GPU, 1));
  });

  it('so nic, never bound, reaches the process through PASID 1 (fixed in v6.8)', () => {
    expect(t.records[9]!.dma).toMatchObject({ outcome: 'translated', pa: t.records[7]!.pa });
  });

  it('the unbind clears both, then one TLBI and an ATC_INV per ATS master of the domain', () => {
    const asid = t.stateAt(9).kernel!.processes.get('app')!.mm.asid;
    expect(raws(t.records[10]!)).toEqual([
      ...sync(NIC, 1),
      ...sync(GPU, 1),
      cmd.tlbiNhAsid(asid),
      cmd.sync(),
      cmd.atcInv(NIC, 1, 0n, 52),
      cmd.atcInv(GPU, 1, 0n, 52),
      cmd.sync(),
    ]);
  });
});
