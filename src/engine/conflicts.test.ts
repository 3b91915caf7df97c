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
  putCd,
  putSte,
  txn,
} from './tables.testkit.ts';
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
