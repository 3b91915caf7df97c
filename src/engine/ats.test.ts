// ATS through an endpoint with an ATC (smmuv3.md §7.3; spec-facts Q2): Translation Requests fill
// the ATC; translation faults complete "Success, R=W=0" and record nothing; configuration errors
// complete with CA and record nothing; only F_BAD_ATS_TREQ is recorded (UR).
import { describe, expect, it } from 'vitest';
import { atsAccess } from './endpoint.ts';
import { writeRegister } from './regwrite.ts';
import { cmd, issue } from './testkit.ts';
import {
  AF,
  AP_EL0,
  AP_RO,
  BLOCK,
  CDTAB,
  PAGE,
  S2AP_R,
  S2RW,
  Tables,
  env,
  eventAt,
  putCd,
  putSte,
  txn,
  UXN,
  type CdOpts,
  type SteOpts,
} from './tables.testkit.ts';

const VA = 0x0000_7fff_dead_b123n;

function world(ste: Partial<SteOpts> = {}, cd: CdOpts = {}, leaf = AF | AP_EL0) {
  const s = env();
  const t = new Tables(s.mem, 12);
  const root = t.alloc();
  putSte(s, 1, { config: 5, s1ctx: CDTAB, eats: 1, s1cdmax: 2, s1dss: 2, ...ste });
  putCd(s, CDTAB, { ttb0: root, ...cd });
  putCd(s, CDTAB + 64n, { ttb0: root, ...cd });
  t.map(root, 0, 48, VA, 3, 0x8765_4000n | leaf | PAGE);
  return s;
}

describe('Translation Requests and the ATC', () => {
  it('a miss sends a Translation Request and fills the ATC; the next access hits', () => {
    const s = world();
    const first = atsAccess(s, txn(1, VA));
    expect(first).toMatchObject({ kind: 'translated', pa: 0x8765_4123n, atcHit: false });
    // AP=01, UXN=0, unprivileged request: read, write and execute granted.
    expect(s.atc.entries()).toEqual([
      {
        sid: 1,
        ssid: undefined,
        ia: 0x7fff_dead_b000n,
        sizeShift: 12,
        pa: 0x8765_4000n,
        read: true,
        write: true,
        exec: true,
        priv: false,
        // The four descriptors of the walk that answered (stale.test.ts checks them).
        src: expect.any(Array) as unknown,
      },
    ]);
    expect(s.atc.entries()[0]!.src).toHaveLength(4);
    const tlbLookups = s.tlb.hits + s.tlb.misses;
    expect(atsAccess(s, txn(1, VA + 8n))).toEqual({
      kind: 'translated',
      pa: 0x8765_412bn,
      atcHit: true,
    });
    expect(s.tlb.hits + s.tlb.misses).toBe(tlbLookups); // the SMMU saw nothing
  });

  // The ATC caches a completion's span, from 4 KB up to 2 MB in this model: a 1 GB block fills
  // a 2 MB entry aligned to 2 MB; a 2 MB block a 2 MB entry.
  it.each([
    [1, 30, 21],
    [2, 21, 21],
  ])('a level-%i block (2^%i bytes) fills a 2^%i-byte ATC entry', (level, _block, entry) => {
    const s = env();
    const t = new Tables(s.mem, 12);
    const root = t.alloc();
    putSte(s, 1, { config: 5, s1ctx: CDTAB, eats: 1 });
    putCd(s, CDTAB, { ttb0: root });
    const base = 0x40_0000_0000n; // 1 GB aligned
    const pa = 0x1_0000_0000n;
    t.map(root, 0, 48, base, level, pa | AF | AP_EL0 | BLOCK);
    const va = base + 0x12_3456n;
    expect(atsAccess(s, txn(1, va))).toMatchObject({ kind: 'translated', pa: pa + 0x12_3456n });
    const mask = (1n << BigInt(entry)) - 1n;
    expect(s.atc.entries()).toMatchObject([
      { sizeShift: entry, ia: va & ~mask, pa: (pa + 0x12_3456n) & ~mask },
    ]);
  });

  // An instruction fetch needs execute and read permission; UXN=1 takes execute away from an
  // unprivileged request, and the ATC entry then serves reads but not fetches.
  it('an execute-never page: a fetch is denied, a read is served from the same entry', () => {
    const s = world({}, {}, AF | AP_EL0 | UXN);
    expect(atsAccess(s, txn(1, VA, 'x'))).toMatchObject({
      kind: 'denied',
      why: 'completion grants RW only at 0x7fffdeadb123',
    });
    expect(atsAccess(s, txn(1, VA, 'x'))).toMatchObject({ kind: 'denied' });
    expect(atsAccess(s, txn(1, VA, 'r'))).toMatchObject({ kind: 'translated', atcHit: true });
    const x = world();
    atsAccess(x, txn(1, VA, 'r'));
    expect(atsAccess(x, txn(1, VA, 'x'))).toMatchObject({ kind: 'translated', atcHit: true });
  });

  it('a translation fault completes as a denial, with the fault as the reason', () => {
    const s = world();
    const r = atsAccess(s, txn(1, 0x1000n));
    expect(r).toMatchObject({ kind: 'denied' });
    expect(r.kind === 'denied' ? r.why : '').toMatch(/^F_TRANSLATION: /);
  });

  it('PASID-tagged requests fill separate ATC entries', () => {
    const s = world();
    atsAccess(s, txn(1, VA, 'r', { ssid: 1 }));
    expect(s.atc.entries().map((e) => e.ssid)).toEqual([1]);
    expect(atsAccess(s, txn(1, VA))).toMatchObject({ atcHit: false });
  });

  it('a read-only page: the write is denied, the R-only entry is cached and serves reads', () => {
    const s = world({}, {}, AF | AP_EL0 | AP_RO);
    expect(atsAccess(s, txn(1, VA, 'w'))).toMatchObject({
      kind: 'denied',
      // AP=11 (RO at EL0), UXN=0: read and execute granted, not write.
      why: 'completion grants RX only at 0x7fffdeadb123',
    });
    expect(s.atc.entries()[0]).toMatchObject({ read: true, write: false });
    expect(atsAccess(s, txn(1, VA))).toMatchObject({ kind: 'translated', atcHit: true });
    expect(s.regs.EVENTQ_PROD).toBe(0n);
  });

  it('stage 2 limits the completion: S2AP read-only gives an R-only entry (Config 6 and 7)', () => {
    for (const config of [6, 7]) {
      const s = env();
      const t1 = new Tables(s.mem, 12);
      const root1 = t1.alloc();
      const t2 = new Tables(s.mem, 12, 0x4200_0000n);
      const root2 = t2.alloc(0x2000n);
      putSte(s, 1, { config, eats: 1, s1ctx: CDTAB, s2t0sz: 24, s2sl0: 1, s2ttb: root2 });
      putCd(s, CDTAB, { ttb0: root1 });
      // Stage 1 (Config 7 only) maps VA → IPA 0x2000_0000; stage 2 is identity for the CD and
      // the stage-1 tables and maps IPA 0x2000_0000 (or the Config 6 input) read-only.
      const s1 = t1.map(root1, 0, 48, VA, 3, 0x2000_0000n | AF | AP_EL0 | PAGE);
      for (const ipa of [CDTAB, ...s1.map((a) => a & ~0xfffn)])
        t2.map(root2, 1, 40, ipa, 3, ipa | S2RW | PAGE);
      const ipa = config === 7 ? 0x2000_0000n : 0x3000_0000n;
      t2.map(root2, 1, 40, ipa, 3, 0x8800_0000n | AF | S2AP_R | PAGE);
      const r = atsAccess(s, txn(1, config === 7 ? VA : 0x3000_0123n, 'w'));
      expect(r).toMatchObject({ kind: 'denied' });
      expect(s.atc.entries()[0]).toMatchObject({ pa: 0x8800_0000n, read: true, write: false });
      expect(s.regs.EVENTQ_PROD).toBe(0n);
    }
  });

  it('S1DSS=0b01 without a PasID: identity Success, R=W=1', () => {
    const s = world({ s1dss: 1 });
    expect(atsAccess(s, txn(1, 0x1234_5000n, 'w'))).toMatchObject({
      kind: 'translated',
      pa: 0x1234_5000n,
    });
  });
});

describe('faults on Translation Requests (spec-facts Q2)', () => {
  it.each<[string, CdOpts]>([
    ['CD.A=1 R=1', {}],
    ['CD.S=1 (no stall for a TR)', { s: true }],
    ['CD.A=0 (RAZ/WI config)', { a: false }],
  ])('a translation fault with %s: denied, no event, no stall, nothing cached', (_, cd) => {
    const s = world({}, cd);
    const r = atsAccess(s, txn(1, VA + 0x10_0000n));
    expect(r).toMatchObject({ kind: 'denied' });
    expect(r.kind === 'denied' && r.translation.outcome).toMatchObject({
      type: 'aborted',
      event: { name: 'F_TRANSLATION' },
    });
    expect(s.regs.EVENTQ_PROD).toBe(0n);
    expect(s.stalls.size).toBe(0);
    expect(s.atc.entries()).toEqual([]);
  });

  it('configuration errors (C_BAD_STE, C_BAD_CD, F_STREAM_DISABLED) give CA with no event', () => {
    const bad = [world({ v: false }), world({}, { v: false }), world({ s1dss: 0 })];
    for (const s of bad) {
      expect(atsAccess(s, txn(1, VA))).toMatchObject({ kind: 'error' });
      expect(s.regs.EVENTQ_PROD).toBe(0n);
    }
  });

  it('Config=0b000: UR with no event', () => {
    const s = world({ config: 0 });
    expect(atsAccess(s, txn(1, VA))).toMatchObject({ kind: 'error' });
    expect(s.regs.EVENTQ_PROD).toBe(0n);
  });

  // F_BAD_ATS_TREQ dw0 = 0x05 | SSV[11] | SubstreamID[31:12] | StreamID[63:32]. The dw1/dw2
  // fields (R/W/X/PRIV, Span, InputAddr) are images in the spec copies and are not checked.
  it('EATS=0b00: F_BAD_ATS_TREQ (0x05) recorded', () => {
    const s = world({ eats: 0 });
    expect(atsAccess(s, txn(1, VA, 'r', { ssid: 1 }))).toMatchObject({ kind: 'error' });
    expect(eventAt(s, 0)[0]).toBe(0x0000_0001_0000_1805n);
  });

  it('EATS=0b11 without SMMU_IDR3.DPT is Reserved, behaves as 0b00: UR and F_BAD_ATS_TREQ', () => {
    // §5.2 EATS: "If SMMU_IDR3.DPT == 0, then this encoding is Reserved for Non-secure STEs and
    // behaves as 0b00"; 0b00 returns UR and records F_BAD_ATS_TREQ. Nothing enters the ATC.
    const s = world({ eats: 3 });
    expect((s.regs.IDR3 >> 15n) & 1n).toBe(0n);
    expect(atsAccess(s, txn(1, VA))).toMatchObject({ kind: 'error' });
    expect(eventAt(s, 0)[0]).toBe(0x0000_0001_0000_0005n);
    expect(s.atc.entries()).toEqual([]);
  });

  it('Config=0b100 (bypass) and SMMUEN=0 also refuse with F_BAD_ATS_TREQ', () => {
    const b = world({ config: 4 });
    expect(atsAccess(b, txn(1, VA))).toMatchObject({ kind: 'error' });
    expect(eventAt(b, 0)[0]).toBe(0x0000_0001_0000_0005n);
    const off = world();
    writeRegister(off, 'CR0', 0b1110n);
    expect(atsAccess(off, txn(1, VA))).toMatchObject({ kind: 'error' });
    expect(eventAt(off, 0)[0]).toBe(0x0000_0001_0000_0005n);
  });
});

describe('ATS Translated transactions: CR0.ATSCHK and F_TRANSL_FORBIDDEN (§3.9.1.3, §7.3.8)', () => {
  // A first access fills the ATC (Translation Request, EATS=0b01); the STE is then changed and
  // invalidated (CFGI_STE + SYNC) while the ATC keeps its entry, as a missing ATC_INV leaves it.
  // The next access is a Translated transaction to PA 0x8765_4123.
  const PA = 0x8765_4123n;
  function cached(ste: Partial<SteOpts>, atschk: boolean) {
    const s = world();
    if (atschk) writeRegister(s, 'CR0', 0b11111n); // ATSCHK [4] | CMDQEN | EVENTQEN | PRIQEN | SMMUEN
    expect(atsAccess(s, txn(1, VA))).toMatchObject({ kind: 'translated', atcHit: false });
    putSte(s, 1, { config: 5, s1ctx: CDTAB, eats: 1, s1cdmax: 2, s1dss: 2, ...ste });
    issue(s, [cmd('CMD_CFGI_STE', { StreamID: 1, Leaf: 1 }), cmd('CMD_SYNC', {})]);
    return s;
  }
  // F_TRANSL_FORBIDDEN: dw0 = 0x07 | SID [63:32] (no SSV: PASIDTT=0); dw1 = RnW [35]; dw2 =
  // InputAddr, the translated address.
  const forbidden = [0x0000_0001_0000_0007n, 1n << 35n, PA, 0n];

  it('ATSCHK=0: the Translated access passes without the SMMU reading anything', () => {
    const s = cached({ eats: 0 }, false);
    // No `translation`: the SMMU did not look at it (no STE fetched, nothing in the trace).
    expect(atsAccess(s, txn(1, VA))).toEqual({ kind: 'translated', pa: PA, atcHit: true });
    expect(s.cfg.size).toBe(0);
    expect(s.regs.EVENTQ_PROD).toBe(0n);
  });

  it('ATSCHK=1 with EATS=0b01: the STE is checked and the access allowed', () => {
    const s = cached({}, true);
    const r = atsAccess(s, txn(1, VA));
    expect(r).toMatchObject({ kind: 'translated', pa: PA, atcHit: true });
    expect(r.kind === 'translated' ? r.translation?.steps.map((x) => x.kind) : []).toContain('ste');
    expect(s.regs.EVENTQ_PROD).toBe(0n);
  });

  it('ATSCHK=1 with EATS=0b00: F_TRANSL_FORBIDDEN recorded, the access aborted', () => {
    const s = cached({ eats: 0 }, true);
    // A recorded fault is named by its event; an unrecorded abort by its reason.
    expect(atsAccess(s, txn(1, VA))).toMatchObject({ kind: 'error', why: 'F_TRANSL_FORBIDDEN' });
    expect(eventAt(s, 0)).toEqual(forbidden);
  });

  it('ATSCHK=1 with EATS=0b11 (no DPT: behaves as 0b00): F_TRANSL_FORBIDDEN', () => {
    const s = cached({ eats: 3 }, true);
    expect(atsAccess(s, txn(1, VA))).toMatchObject({ kind: 'error' });
    expect(eventAt(s, 0)).toEqual(forbidden);
  });

  it('ATSCHK=1 with Config=0b100 (bypass): F_TRANSL_FORBIDDEN', () => {
    const s = cached({ config: 4 }, true);
    expect(atsAccess(s, txn(1, VA))).toMatchObject({ kind: 'error' });
    expect(eventAt(s, 0)).toEqual(forbidden);
  });

  it('ATSCHK=1 with Config=0b000, or an invalid STE: aborted, no event', () => {
    for (const ste of [{ config: 0 }, { v: false }]) {
      const s = cached(ste, true);
      const r = atsAccess(s, txn(1, VA));
      expect(r).toMatchObject({ kind: 'error' });
      // An unrecorded abort is named by its reason.
      expect(r.kind === 'error' ? r.why : '').toMatch(
        'v' in ste ? /^C_BAD_STE: / : /^STE\.Config = abort$/,
      );
      expect(s.regs.EVENTQ_PROD).toBe(0n);
    }
  });

  it('SMMUEN=0: every Translated transaction is F_TRANSL_FORBIDDEN, whatever ATSCHK says', () => {
    const s = cached({}, false);
    writeRegister(s, 'CR0', 0b1110n);
    expect(atsAccess(s, txn(1, VA, 'w'))).toMatchObject({ kind: 'error' });
    expect(eventAt(s, 0)).toEqual([0x0000_0001_0000_0007n, 0n, PA, 0n]); // a write: RnW=0
  });
});
