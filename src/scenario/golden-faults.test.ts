// Golden scenarios 8–12 (issue 3): CPU-side invalidation with and without BTM, PRI, stall, an
// unrecoverable fault, and pinning vs reclaim — rfc2017 profile. Expected words are computed by
// hand: commands smmuv3.md §6.1/E14, events §5.1/E10, PRI records §7.1/E15, sequences from
// linux-facts.md §6–§8 and linux-sva.md §3.4/§3.10.
import { describe, expect, it } from 'vitest';
import {
  cd,
  cdDw0,
  cdTtb0,
  cmd,
  eventRaw,
  loadGolden,
  MAIR_V414,
  priRaw,
  raws,
  ste,
  type Dw2,
} from './golden.testkit.ts';

const GPU = 0x100;
const PAGE1 = 0x7fff_0000_1000n;
const PAGE2 = 0x7fff_0000_2000n;

/** ATC_INV span for [PAGE1, PAGE2 + 4K) (smmuv3.md §7.3): pages 0x7fff00001..0x7fff00002,
 * XOR = 3 → log2span = 2; Address = first page with 2 low bits cleared = 0x7fff_0000_0000. */
const ATC_SPAN = { addr: 0x7fff_0000_0000n, size: 2 };

describe('golden 8a: munmap with BTM (platform default)', () => {
  const g = loadGolden('08-munmap-btm');

  it('probe leaves CR2.PTM = 0 so CPU TLBIs are snooped; RECINVSID set', () => {
    // linux-facts §8: jpb SVA trees set RECINVSID [1] and PTM [2] only without BTM; no E2H here.
    expect(g.t.stateAt(0).smmu.regs.CR2).toBe(0b010n);
  });

  it('the broadcast TLBI cleans the SMMU TLB; the driver sends only ATC_INV + SYNC', () => {
    expect(g.rec(8).dma).toMatchObject({ outcome: 'translated', pa: g.rec(5).pa });
    expect(g.rec(9).dma).toMatchObject({ outcome: 'translated', pa: g.rec(6).pa });
    const r = g.rec(10);
    // 2 pages ≤ MAX_TLB_RANGE: TLBI VAE1IS; the two translations just cached (ASET=0) go.
    expect(r.broadcasts).toMatchObject([{ op: 'TLBI VAE1IS', invalidated: 2, snooped: true }]);
    // linux-facts §7: mm_invalidate issues only arm_smmu_atc_inv_master_range (SSV=1, SSID=PASID).
    expect(raws(r)).toEqual([cmd.atcInv(GPU, 1, ATC_SPAN.addr, ATC_SPAN.size), cmd.sync()]);
  });

  it('the next access finds nothing: the page request is answered InvalidRequest', () => {
    expect(g.rec(11).dma?.outcome).toBe('aborted');
    expect(raws(g.rec(11))).toEqual([cmd.priResp(GPU, 1, 0, 1)]); // first page request: PRG 0
  });
});

describe('golden 8b: munmap without BTM (platform.smmu.btm = false)', () => {
  const g = loadGolden('08-munmap-no-btm');

  it('probe sets CR2.PTM = 1 (private TLB maintenance)', () => {
    expect(g.t.stateAt(0).smmu.regs.CR2).toBe(0b110n);
  });

  it('TLBI_NH_VA per page (Leaf=0) + SYNC, then ATC_INV + SYNC', () => {
    const asid = g.k(7).processes.get('app')!.mm.asid;
    const r = g.rec(10);
    expect(r.broadcasts).toMatchObject([{ op: 'TLBI VAE1IS', invalidated: 0, snooped: false }]);
    // linux-sva §3.4 step 2 (2 pages < 512, no RIL) and step 3, TLBI completing before ATC_INV.
    expect(raws(r)).toEqual([
      cmd.tlbiNhVa(asid, PAGE1, false),
      cmd.tlbiNhVa(asid, PAGE2, false),
      cmd.sync(),
      cmd.atcInv(GPU, 1, ATC_SPAN.addr, ATC_SPAN.size),
      cmd.sync(),
    ]);
    expect(g.rec(11).dma?.outcome).toBe('aborted');
  });
});

describe('golden 8c: munmap of one page without BTM, with range invalidation', () => {
  const g = loadGolden('08-munmap-no-btm-ril');

  it('one range TLBI_NH_VA: Leaf=0 keeps TTL=0, so the 1-page count is bumped to 2', () => {
    const asid = g.k(7).processes.get('app')!.mm.asid;
    // smmuv3.md §6.2: TG = (12−10)/2 = 1 [11:10]; non-leaf TTL 0; a count with low 5 bits = 1 is
    // bumped (TG≠0 with NUM=SCALE=TTL=0 is reserved). 2 pages: SCALE = lowest set bit = 1
    // [25:20], NUM = ((2 >> 1) & 31) − 1 = 0 [16:12] (as E14's 8 pages → NUM 0, SCALE 3).
    const tlbi: Dw2 = [0x12n | (1n << 20n) | (BigInt(asid) << 48n), PAGE1 | (1n << 10n)];
    // ATC span of one page (§7.3): Address = the page, Size 0.
    const atc = cmd.atcInv(GPU, 1, PAGE1, 0);
    expect(raws(g.rec(10))).toEqual([tlbi, cmd.sync(), atc, cmd.sync()]);
    expect(g.rec(10).commands.every((c) => c.error === undefined)).toBe(true);
    // The SMMU TLB really lost the entry: the next access misses and ends in a page request.
    expect(g.rec(11).dma?.outcome).toBe('aborted');
  });
});

describe('golden 9: PRI', () => {
  const g = loadGolden('09-pri');

  it('success: page request → handle_mm_fault → PRI_RESP Success → the retry translates', () => {
    const r = g.rec(7);
    // §7.1/E15: SID | SSID<<32 | W [61] | Last [62] | SSV [63]; dw1 = page | PRG index.
    expect(r.pageRequests.map((p) => p.raw)).toEqual([priRaw(GPU, 1, true, 0, 0x7fff_0000_0000n)]);
    // linux-facts §6.2: SUCCESS → Resp 2, no CMD_SYNC after PRI_RESP.
    expect(raws(r)).toEqual([cmd.priResp(GPU, 1, 0, 2)]);
    // A translation fault on an ATS Translation Request records no event (spec-facts Q2).
    expect(r.events).toEqual([]);
    const d = r.dma!;
    expect(d.outcome).toBe('translated');
    expect(d.attempts.map((a) => [a.outcome.type, a.then?.response])).toEqual([
      ['denied', 'SUCCESS'],
      ['translated', undefined],
    ]);
    // The CPU then finds the very page the fault handler put in (touch takes no fault).
    expect(d.pa).toBe(g.rec(8).pa);
  });

  it('no VMA: Resp 1 (InvalidRequest) and the access fails', () => {
    const r = g.rec(9);
    expect(r.pageRequests.map((p) => p.raw)).toEqual([
      priRaw(GPU, 1, false, 1, 0x7ffe_0000_0000n), // R [60]
    ]);
    expect(raws(r)).toEqual([cmd.priResp(GPU, 1, 1, 1)]);
    expect(r.dma?.outcome).toBe('aborted');
  });

  it('write to a read-only VMA: access ⊄ vm_flags → Resp 1, aborted', () => {
    const r = g.rec(10);
    expect(r.pageRequests.map((p) => p.raw)).toEqual([priRaw(GPU, 1, true, 2, 0x7fff_1000_0000n)]);
    expect(raws(r)).toEqual([cmd.priResp(GPU, 1, 2, 1)]);
    expect(r.dma?.outcome).toBe('aborted');
  });
});

describe('golden 10: stall and CMD_RESUME on a platform device', () => {
  const g = loadGolden('10-stall');
  const DSP = 0x400;

  it('STE without S1STALLD or EATS; CD 1 with S=1', () => {
    const w = g.after(5);
    // 8 PASID bits ≤ 10: linear table (S1Fmt 0), S1CDMax 8; dw1 = S1DSS/CIR/COR/CSH only (0xd6).
    const [dw0, dw1] = ste(w, DSP);
    expect([(dw0! >> 4n) & 3n, dw0! >> 59n, dw1]).toEqual([0n, 8n, 0xd6n]);
    const mm = w.kernel!.processes.get('app')!.mm;
    expect(cd(w, DSP, 1)).toEqual([
      cdDw0({ asid: mm.asid, aset: 0, stall: true }),
      cdTtb0(mm.pgd),
      0n,
      MAIR_V414,
    ]);
  });

  it('a stalled F_TRANSLATION, CMD_RESUME(Ac=1) without SYNC, the retry translates', () => {
    const r = g.rec(6);
    expect(r.events).toHaveLength(1);
    const stag = r.events[0]!.event.stag;
    // E10 layout: write (RnW=0), Stall [31], STAG [15:0], CLASS=IN.
    const want = { id: 0x10, sid: DSP, ssid: 1, stall: true, stag, read: false, cls: 2 };
    expect(r.events[0]!.raw).toEqual(eventRaw({ ...want, addr: 0x7fff_0000_0000n }));
    expect(r.events[0]!.written).toBe(true);
    expect(raws(r)).toEqual([cmd.resume(DSP, stag, true)]);
    expect(r.dma).toMatchObject({ outcome: 'translated', pa: g.rec(7).pa });
  });

  it('no VMA: CMD_RESUME with Ab=1 and the access is aborted', () => {
    const r = g.rec(8);
    const stag = r.events[0]!.event.stag;
    const want = { id: 0x10, sid: DSP, ssid: 1, stall: true, stag, read: true, cls: 2 };
    expect(r.events.map((e) => e.raw)).toEqual([eventRaw({ ...want, addr: 0x7ffe_0000_0000n })]);
    expect(raws(r)).toEqual([cmd.resume(DSP, stag, false)]);
    expect(r.dma?.outcome).toBe('aborted');
  });

  it('the device takes both answers: no resumed message is left waiting', () => {
    expect(g.after(6).smmu.inbox).toEqual([]);
    expect(g.after(8).smmu.inbox).toEqual([]);
  });
});

describe('golden 11: neither PRI nor stall', () => {
  const g = loadGolden('11-no-pri-no-stall');

  it('four bind/unbind rounds move the cyclic IDR to PASID 5', () => {
    expect([6, 8, 10, 12, 14].map((i) => g.rec(i).pasid)).toEqual([1, 2, 3, 4, 5]);
  });

  it('S1STALLD=1 and CD.S=0, R=1: the fault is recorded and terminated', () => {
    const w = g.after(14);
    expect((ste(w, GPU)[1]! >> 27n) & 1n).toBe(1n);
    const dw0 = cd(w, GPU, 5)[0]!;
    expect([(dw0 >> 44n) & 1n, (dw0 >> 45n) & 1n]).toEqual([0n, 1n]);
  });

  it('the F_TRANSLATION record equals smmuv3.md E10 word for word', () => {
    const r = g.rec(15);
    const e10 = [0x0000_0100_0000_5810n, 0x0000_0208_0000_0000n, 0x0000_7fff_dead_b000n, 0n];
    const byHand = eventRaw({ id: 0x10, sid: 0x100, ssid: 5, read: true, cls: 2, addr: e10[2]! });
    expect(byHand).toEqual(e10);
    expect(r.events.map((e) => e.raw)).toEqual([e10]);
    expect(r.dma?.outcome).toBe('fault');
    expect(r.commands).toEqual([]);
    // v4.14 prints unhandled events raw (smmuv3.md §5.3).
    const dump = r.notes.filter((n) => /event 0x10 received:|\t0x[0-9a-f]{16}$/.test(n));
    expect(dump.map((n) => n.split(': ').pop())).toEqual([
      'event 0x10 received:',
      ...e10.map((v) => `\t0x${v.toString(16).padStart(16, '0')}`),
    ]);
  });
});

describe('golden 12: pin vs reclaim for a device that cannot fault', () => {
  const g = loadGolden('12-pin-reclaim');
  const PINNED = 0x7fff_0000_0000n;

  it('reclaim keeps the pinned page: DMA still reaches it; the other page faults', () => {
    expect(g.rec(5).pages).toBe(1);
    const pinned = g.k(5).processes.get('app')!.mm.pins.get(PINNED)!.pa;
    expect(g.rec(8).dma).toMatchObject({ outcome: 'translated', pa: pinned });
    expect(g.rec(9).dma).toMatchObject({ outcome: 'translated', pa: g.rec(6).pa });
    const r = g.rec(10);
    expect(r.pages).toBe(1); // only the unpinned page is evicted
    expect(r.broadcasts.every((x) => x.snooped)).toBe(true);
    expect(r.commands).toEqual([]); // BTM covers the TLB; no ATS → no ATC_INV (linux-facts §7)
    expect(g.rec(11).dma).toMatchObject({ outcome: 'translated', pa: pinned });
    const f = g.rec(12);
    expect(f.dma?.outcome).toBe('fault');
    expect(f.events.map((e) => e.raw)).toEqual([
      eventRaw({ id: 0x10, sid: GPU, ssid: 1, read: false, cls: 2, addr: 0x7fff_0000_1000n }),
    ]);
  });
});
