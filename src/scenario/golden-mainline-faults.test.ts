// Golden scenarios M4–M5 under era v6.11 (the version-1 "mainline"): the SVA domain's mmu_notifier
// on munmap, and I/O page faults (PRI denied, stall recoverable). Expected values are derived by
// hand from arm-smmu-v3-sva.c arm_smmu_mm_arch_invalidate_secondary_tlbs (v6.6+, called from the
// arm64 TLB flush with the range the mmu_gather collected — the pages whose PTEs were cleared;
// linux-sva §3.4: CMDQ_MAX_TLBI_OPS = PAGE_SIZE / 8 = 512 pages; TLBI_NH_VA Leaf=0 per page +
// SYNC, then arm_smmu_atc_inv_domain + SYNC, the ATC span the smallest aligned power of two), arm_smmu_handle_ppr (§3.5: logged as
// unexpected, PRI_RESP DENY = Resp 0, ResponseFailure per smmuv3.md §7.2, no SYNC) and the stall
// path (§3.5: CMD_RESUME retry, no SYNC); encodings from smmuv3.md §5–§7 via golden.testkit.ts.
import { describe, expect, it } from 'vitest';
import {
  cd,
  cdDw0,
  cdTtb0,
  cmd,
  eventRaw,
  loadGolden,
  MAIR_NOW,
  priRaw,
  raws,
} from './golden.testkit.ts';

const GPU = 0x100;
const DSP = 0x400;

describe('golden M4: munmap under v6.11 — explicit invalidation for the SVA ASID', () => {
  const g = loadGolden('m4-munmap');

  it('the platform has BTM but mainline never lets the SMMU snoop: CR2.PTM = 1', () => {
    expect(g.after(0).smmu.regs.CR2 & 4n).toBe(4n);
    expect(g.rec(10).broadcasts.every((b) => !b.snooped)).toBe(true);
  });

  it('2 pages: TLBI_NH_VA (ASID 2, Leaf=0) per page + SYNC, then ATC_INV of PASID 1 + SYNC', () => {
    // Pages 0x7fff00001 and 0x7fff00002: first ^ last = 3, a 2-bit span → 4 pages from
    // 0x7fff00000000, Size 2.
    expect(raws(g.rec(10))).toEqual([
      cmd.tlbiNhVa(2, 0x7fff_0000_1000n, false),
      cmd.tlbiNhVa(2, 0x7fff_0000_2000n, false),
      cmd.sync(),
      cmd.atcInv(GPU, 1, 0x7fff_0000_0000n, 2),
      cmd.sync(),
    ]);
    expect(g.rec(9).dma?.outcome).toBe('translated');
    expect(g.rec(11).dma?.outcome).not.toBe('translated');
  });

  it('a 2 MB munmap with one page present: the CPU flushed one page, so one TLBI_NH_VA', () => {
    // tlb_remove_tlb_entry widened the gather to that page alone; the freed page tables add
    // [0x7ffe00000000, +4K) again (pte_free_tlb / pmd_free_tlb), the same page. ATC: Size 0.
    expect(raws(g.rec(14))).toEqual([
      cmd.tlbiNhVa(2, 0x7ffe_0000_0000n, false),
      cmd.sync(),
      cmd.atcInv(GPU, 1, 0x7ffe_0000_0000n, 0),
      cmd.sync(),
    ]);
  });

  it('512 present pages (2 MB) reach CMDQ_MAX_TLBI_OPS: one TLBI_NH_ASID, ATC_INV of everything', () => {
    expect(raws(g.rec(16))).toEqual([
      cmd.tlbiNhAsid(2),
      cmd.sync(),
      cmd.atcInv(GPU, 1, 0n, 52),
      cmd.sync(),
    ]);
    expect(g.rec(16).notes.join('\n')).toMatch(/arm_smmu_mm_arch_invalidate_secondary_tlbs/);
  });
});

describe('golden M5: page requests are denied, stalls are recoverable', () => {
  const g = loadGolden('m5-pri-denied');

  it('a PRI request is logged as unexpected and answered DENY (Resp 0) without SYNC', () => {
    const r = g.rec(6);
    expect(r.pageRequests.map((p) => p.raw)).toEqual([priRaw(GPU, 1, true, 0, 0x7fff_0000_0000n)]);
    expect(raws(r)).toEqual([cmd.priResp(GPU, 1, 0, 0)]);
    expect(r.notes.join('\n')).toMatch(/unexpected PRI request received/);
    expect(r.notes.join('\n')).not.toMatch(/handle_mm_fault/);
    // ResponseFailure: the device stops using PRI and the access fails.
    expect(r.dma?.outcome).toBe('aborted');
    expect(r.dma?.attempts[0]?.then).toEqual({ by: 'pri', response: 'FAILURE' });
    expect(g.k(6).devices.get('gpu')!.pri).toBe(false);
    expect(g.k(6).processes.get('app')!.mm.pages.size).toBe(0);
  });

  it('once the CPU has faulted the page in, the device translates it', () => {
    expect(g.rec(8).dma).toMatchObject({ outcome: 'translated', pa: g.rec(7).pa });
  });

  it('a second device binds the same mm: same PASID, the same SVA domain (ASID 2), S=1', () => {
    expect(g.rec(12)).toMatchObject({ status: 'ok', pasid: 1 });
    const w = g.after(12);
    // arm_smmu_attach_prepare list_add()s each master at the head of the domain's devices.
    expect(w.kernel!.iommuProcesses.get(1)!.sva).toEqual({
      asid: 2,
      users: 2,
      masters: ['dsp', 'gpu'],
    });
    const mm = w.kernel!.processes.get('app')!.mm;
    expect(cd(w, DSP, 1)).toEqual([
      cdDw0({ asid: 2, aset: 1, stall: true }),
      cdTtb0(mm.pgd),
      0n,
      MAIR_NOW,
    ]);
    expect(g.rec(12).notes.join('\n')).toMatch(/iopf_queue_add_device/);
  });

  it('the stalled fault goes to the IOPF handler: handle_mm_fault, CMD_RESUME retry', () => {
    const r = g.rec(13);
    const stag = r.events[0]!.event.stag;
    const want = { id: 0x10, sid: DSP, ssid: 1, stall: true, stag, read: false, cls: 2 };
    expect(r.events.map((e) => e.raw)).toEqual([eventRaw({ ...want, addr: 0x7fff_0000_1000n })]);
    expect(raws(r)).toEqual([cmd.resume(DSP, stag, true)]);
    expect(r.dma?.outcome).toBe('translated');
    expect(r.dma?.pa).toBe(g.k(13).processes.get('app')!.mm.pages.get(0x7fff_0000_1000n)!.pa);
  });
});
