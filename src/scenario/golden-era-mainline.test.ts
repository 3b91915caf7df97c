// Golden E1 under era mainline (v7.2): SVA domains with their own ASID as in v6.11, plus HA/HD in
// SVA CDs where the SMMU has HTTU. Expected values are derived by hand from the v6.11 code paths
// that v7.2 keeps (docs/research/eras.md §5–§6), cited per test:
// - arm-smmu-v3-sva.c: arm_smmu_sva_domain_alloc (an ASID from arm_smmu_asid_xa, xa_alloc: the
//   lowest free; the two DMA domains hold 1 and 2), arm_smmu_make_sva_cd (ASET=1, S when the
//   master stalls; with mm == NULL: EPD0, no TTB0, and S = R = 0 unless STALL_FORCE),
//   arm_smmu_sva_set_dev_pasid, arm_smmu_mm_arch_invalidate_secondary_tlbs, arm_smmu_mm_release,
//   arm_smmu_sva_domain_free (TLBI by the domain's ASID);
// - arm-smmu-v3.c: arm_smmu_set_pasid → arm_smmu_write_cd_entry (arm_smmu_write_entry: an
//   install and a clear are two rounds of CFGI_CD + CMD_SYNC), arm_smmu_attach_commit (ATC_INV of
//   the SSID on an ATS master), arm_smmu_remove_dev_pasid, arm_smmu_handle_ppr (DENY);
// - iommu-sva.c: iommu_alloc_global_pasid (the lowest free), the PASID freed in __mmdrop;
//   iommu_sva_iopf_handler / iommu_sva_handle_mm (mmget_not_zero);
// - 74fa4c177ad0 "iommu/arm-smmu-v3-sva: Enable Hardware Access and Hardware Dirty bits": HA
//   [43] and HD [42] (smmuv3.md §3.2) by the SMMU's IDR0.HTTU. [I] The patch body was not in the
//   searchable sources; the bits follow the commit title (eras.md §6).
// Golden M1/M2/M4 derive the same v6.11 sequences in more detail.
import { describe, expect, it } from 'vitest';
import { cd, cdDw0, cdTtb0, cmd, eventRaw, MAIR_NOW, raws, type Dw2 } from './golden.testkit.ts';
import { cdFields, DSP, GPU, OP, PAGE0, runE1 } from './golden-eras.testkit.ts';

const round = (sid: number, ssid: number): Dw2[] => [cmd.cfgiCd(sid, ssid), cmd.sync()];
const twoRounds = (sid: number, ssid: number): Dw2[] => [...round(sid, ssid), ...round(sid, ssid)];

/** SVA domain ASIDs: gpu-dom 1, dsp-dom 2; app's first 3; other's 3 again; app's second 4. */
const APP_ASID = 3;
const APP_DSP_ASID = 4;

/** arm_smmu_make_sva_cd(…, NULL, asid) without STALL_FORCE (as golden M2 derives it). */
const faultingDw0 = (asid: number): bigint =>
  (1n << 14n) | // EPD0
  (1n << 30n) | // EPD1
  (1n << 31n) | // V
  (5n << 32n) | // IPS 48-bit
  (1n << 41n) | // AA64
  (1n << 46n) | // A
  (1n << 47n) | // ASET
  (BigInt(asid) << 48n);

describe('golden E1 under mainline', () => {
  const g = runE1('mainline', 1);

  it('bind: PASID 1; CD 1 field by field: own ASID 3, ASET 1, T0SZ 16, no HA/HD without HTTU', () => {
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
      ASET: 1,
      ASID: APP_ASID,
      TTB0: mm.pgd,
    });
    expect(cd(w, GPU, 1)).toEqual([
      cdDw0({ asid: APP_ASID, aset: 1 }),
      cdTtb0(mm.pgd),
      0n,
      MAIR_NOW,
    ]);
    expect(raws(g.rec(OP.bindGpu))).toEqual([
      ...twoRounds(GPU, 1),
      cmd.atcInv(GPU, 1, 0n, 52),
      cmd.sync(),
    ]);
    expect(mm.asidPinned).toBe(false);
  });

  it('a page request is denied: PRI_RESP Resp 0', () => {
    const r = g.rec(OP.dmaPri);
    expect(raws(r)).toEqual([cmd.priResp(GPU, 1, r.pageRequests[0]!.request.prgIndex, 0)]);
  });

  it('munmap: TLBI_NH_VA by the SVA ASID for the flushed pages; nothing for untouched ones', () => {
    expect(raws(g.rec(OP.munmapTouched))).toEqual([
      cmd.tlbiNhVa(APP_ASID, PAGE0 + 0x1000n, false),
      cmd.tlbiNhVa(APP_ASID, PAGE0 + 0x2000n, false),
      cmd.sync(),
      cmd.atcInv(GPU, 1, PAGE0, 2),
      cmd.sync(),
    ]);
    expect(g.rec(OP.munmapUntouched).commands).toEqual([]);
  });

  it('unbind: CD cleared in two rounds, ATC_INV of the PASID, then the SVA domain’s TLBI', () => {
    expect(raws(g.rec(OP.unbindGpu))).toEqual([
      ...twoRounds(GPU, 1),
      cmd.atcInv(GPU, 1, 0n, 52),
      cmd.sync(),
      cmd.tlbiNhAsid(APP_ASID),
      cmd.sync(),
    ]);
    expect(cd(g.after(OP.unbindGpu), GPU, 1)).toEqual([0n, 0n, 0n, 0n]);
    expect(g.rec(OP.bindOther)).toMatchObject({ status: 'ok', pasid: 2 });
    expect(g.rec(OP.bindDsp)).toMatchObject({ status: 'ok', pasid: 1 });
  });

  it('the dsp’s CD: S=1 (the master stalls), ASID 4; a stalled fault is retried', () => {
    expect(cdFields(cd(g.after(OP.bindDsp), DSP, 1))).toMatchObject({
      S: 1,
      R: 1,
      ASET: 1,
      ASID: APP_DSP_ASID,
    });
    expect(raws(g.rec(OP.bindDsp))).toEqual(twoRounds(DSP, 1));
    const r = g.rec(OP.dmaStall);
    const stag = r.events[0]!.event.stag;
    const ev = { id: 0x10, sid: DSP, ssid: 1, stall: true, stag, read: false, cls: 2 };
    expect(r.events.map((e) => e.raw)).toEqual([eventRaw({ ...ev, addr: PAGE0 })]);
    expect(raws(r)).toEqual([cmd.resume(DSP, stag, true)]);
  });

  it('exit: the CD stays valid with EPD0 and S = R = 0, no TTB0; TLBI by the SVA ASID', () => {
    expect(cd(g.after(OP.exit), DSP, 1)).toEqual([faultingDw0(APP_DSP_ASID), 0n, 0n, MAIR_NOW]);
    expect(raws(g.rec(OP.exit))).toEqual([
      ...twoRounds(DSP, 1),
      cmd.tlbiNhAsid(APP_DSP_ASID),
      cmd.sync(),
    ]);
  });

  it('a late access is aborted at once: no event (R=0), no stall (S=0), no RESUME', () => {
    const r = g.rec(OP.dmaAfterExit);
    expect([r.events, r.commands]).toEqual([[], []]);
    expect(r.dma?.outcome).toBe('aborted');
  });

  it('the late unbind clears the CD and frees the SVA domain (TLBI) and PASID 1', () => {
    expect(raws(g.rec(OP.unbindLate))).toEqual([
      ...twoRounds(DSP, 1),
      cmd.tlbiNhAsid(APP_DSP_ASID),
      cmd.sync(),
    ]);
    expect(g.after(OP.unbindLate).kernel!.idr.used.has(1)).toBe(false);
  });
});

describe('golden E1 under mainline on an SMMU with HTTU', () => {
  for (const [httu, HA, HD] of [
    ['af', 1, 0],
    ['af+dirty', 1, 1],
  ] as const)
    it(`IDR0.HTTU ${httu}: the SVA CD sets HA=${HA}, HD=${HD} (74fa4c177ad0)`, () => {
      const g = runE1('mainline', 1, { smmu: { httu } });
      const w = g.after(OP.bindGpu);
      const c = cd(w, GPU, 1);
      expect(cdFields(c)).toMatchObject({ HA, HD, ASET: 1, ASID: APP_ASID });
      const dw0 = cdDw0({ asid: APP_ASID, aset: 1 }) | (BigInt(HA) << 43n) | (BigInt(HD) << 42n);
      expect(c[0]).toBe(dw0);
    });

  it('v6.11 on the same SMMU sets neither: the bits are mainline’s', () => {
    const g = runE1('v6.11', 1, { smmu: { httu: 'af+dirty' } });
    expect(cdFields(cd(g.after(OP.bindGpu), GPU, 1))).toMatchObject({ HA: 0, HD: 0 });
  });
});
