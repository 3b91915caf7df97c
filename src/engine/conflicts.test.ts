// Conflict events (§3.20): a TLB lookup that matches more than one entry (F_TLB_CONFLICT, §7.3.17)
// and a configuration-cache lookup that matches more than one STE through STE.CONT
// (F_CFG_CONFLICT, §7.3.18). Both abort the transaction and are recorded whatever A/R/S say
// (§3.12: "All other faults (including F_WALK_EABT and F_TLB_CONFLICT) ... terminate the
// transaction with an abort"); for an ATS Translation Request, CA and no event (§3.9.1.2).
import { describe, expect, it } from 'vitest';
import { atsAccess } from './endpoint.ts';
import { cmd, issue } from './testkit.ts';
import {
  AF,
  AP_EL0,
  BLOCK,
  CDTAB,
  PAGE,
  Tables,
  env,
  eventAt,
  STRTAB,
  putCd,
  putSte,
  steWords,
  txn,
  type SteOpts,
} from './tables.testkit.ts';
import type { Smmu } from './smmu.ts';
import { translate } from './translate.ts';

describe('F_TLB_CONFLICT: a 4 KB entry and a 2 MB entry over one address', () => {
  // VA 0x7fff_dead_b000: L0 0xFF, L1 0x1FF, L2 0xF5, L3 0xDB (smmuv3.md E1).
  const VA = 0x0000_7fff_dead_b000n;
  const OTHER = 0x0000_7fff_dea0_0000n; // same 2 MB region (L2 index 0xF5), L3 index 0
  function conflicting(cd = {}) {
    const s = env();
    const t = new Tables(s.mem, 12);
    const root = t.alloc();
    putSte(s, 1, { config: 5, s1ctx: CDTAB, eats: 1 });
    putCd(s, CDTAB, { ttb0: root, asid: 3, ...cd });
    const at = t.map(root, 0, 48, VA, 3, 0x8765_4000n | AF | AP_EL0 | PAGE);
    expect(translate(s, txn(1, VA)).outcome.type).toBe('translated'); // 4 KB entry
    // Break-before-make skipped: the L2 entry becomes a 2 MB block at 0x9000_0000, no TLBI.
    s.mem.write64(at[2]!, 0x9000_0000n | AF | AP_EL0 | BLOCK);
    expect(translate(s, txn(1, OTHER)).outcome).toMatchObject({ pa: 0x9000_0000n }); // 2 MB entry
    expect(s.tlb.size).toBe(2);
    return s;
  }

  it('the lookup matches both: aborted, F_TLB_CONFLICT recorded', () => {
    const s = conflicting();
    const o = translate(s, txn(1, VA)).outcome;
    expect(o).toMatchObject({ type: 'fault', termination: 'abort', event: { id: 0x20 } });
    // dw0 = 0x20 | SID [63:32]; dw1 = RnW [35] (InD, PnU, S2 = 0; Reason 0); dw2 = InputAddr;
    // dw3 = 0 (S2=0: the IPA is UNKNOWN, written 0).
    expect(eventAt(s, 0)).toEqual([0x0000_0001_0000_0020n, 1n << 35n, VA, 0n]);
  });

  it('recorded and aborted even with CD.R=0 and A=0 (not a translation fault)', () => {
    const s = conflicting({ r: false, a: false });
    expect(translate(s, txn(1, VA)).outcome).toMatchObject({ type: 'fault', termination: 'abort' });
    expect(eventAt(s, 0)[0]).toBe(0x0000_0001_0000_0020n);
  });

  it('an ATS Translation Request that conflicts completes CA, nothing recorded', () => {
    const s = conflicting();
    expect(atsAccess(s, txn(1, VA))).toMatchObject({ kind: 'error' });
    expect(s.regs.EVENTQ_PROD).toBe(0n);
  });

  it('TLBI + SYNC clears the conflict: the block translates', () => {
    const s = conflicting();
    // Both entries are global (nG=0): TLBI_NH_ALL (VMID 0) removes them, NH_ASID would not.
    issue(s, [cmd('TLBI_NH_ALL', { VMID: 0 }), cmd('SYNC', {})]);
    // VA[20:0] = 0x0D_B000 within the block.
    expect(translate(s, txn(1, VA)).outcome).toMatchObject({ pa: 0x900d_b000n });
  });
});

describe('F_CFG_CONFLICT: STE.CONT spans in the configuration cache (§5.2 CONT, §3.20.2)', () => {
  // STE.CONT is dw1[16:13]: a hint that 2^CONT STEs from SID[CONT−1:0]=0 are identical, so one
  // cached STE may serve the whole span.
  const put = (s: Smmu, sid: number, o: SteOpts, cont = 0) => {
    const w = steWords(o);
    w[1] = w[1]! | (BigInt(cont) << 13n);
    s.mem.writeWords(STRTAB + BigInt(sid) * 64n, w);
  };
  const out = (s: Smmu, sid: number) => translate(s, txn(sid, 0x1234n)).outcome;

  it('an STE fetched with CONT=2 serves its neighbours: SID 5 uses the cached STE of SID 4', () => {
    const s = env();
    put(s, 4, { config: 4 }, 2); // bypass, span SIDs 4–7
    put(s, 5, { config: 0 }); // abort in memory: not what software promised with CONT
    expect(out(s, 4)).toMatchObject({ type: 'translated', pa: 0x1234n });
    const t = translate(s, txn(5, 0x1234n));
    expect(t.outcome).toMatchObject({ type: 'translated', pa: 0x1234n });
    expect(t.steps[0]).toMatchObject({ kind: 'cfg-hit', struct: 'ste' });
  });

  it('two cached STEs that differ both match SID 5: aborted, F_CFG_CONFLICT recorded', () => {
    const s = env();
    put(s, 5, { config: 4 });
    put(s, 4, { config: 4 }, 2);
    expect(out(s, 5).type).toBe('translated'); // SID 5's own STE, cached
    put(s, 5, { config: 0 }); // rewritten without CFGI: the cache keeps the old one
    put(s, 4, { config: 5, s1ctx: CDTAB }, 2);
    expect(out(s, 4).type).not.toBe('translated'); // SID 4's STE cached (no CD: C_BAD_CD)
    expect(out(s, 5)).toMatchObject({ type: 'fault', termination: 'abort', event: { id: 0x21 } });
    // dw0 = 0x21 | SID 5 [63:32]; dw1 Reason = 0 (IMPLEMENTATION DEFINED); nothing else.
    expect(eventAt(s, 1)).toEqual([0x0000_0005_0000_0021n, 0n, 0n, 0n]);
  });

  it('identical STEs (all but CONT) in one span match without a conflict', () => {
    const s = env();
    put(s, 5, { config: 4 });
    put(s, 4, { config: 4 }, 2);
    expect(out(s, 5).type).toBe('translated');
    expect(out(s, 4).type).toBe('translated');
    expect(out(s, 5).type).toBe('translated');
    expect(s.regs.EVENTQ_PROD).toBe(0n);
  });

  it('CFGI_STE of a SID in the span drops the covering entry; SID 5 then reads its own STE', () => {
    const s = env();
    put(s, 4, { config: 4 }, 2);
    put(s, 5, { config: 0 });
    expect(out(s, 4).type).toBe('translated');
    issue(s, [cmd('CFGI_STE', { StreamID: 5, Leaf: 1 }), cmd('SYNC', {})]);
    expect(out(s, 5)).toMatchObject({ type: 'aborted', reason: 'STE.Config = abort' });
  });
});
