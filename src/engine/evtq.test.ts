// The event queue when full or disabled (smmuv3.md §6.3; spec-facts Q6 overrides §6.2): non-stall
// records are discarded and OVFLG (EVENTQ_PROD[31]) toggles once; later records are still written
// when space frees; EVENTQEN=0 discards without overflow; stall records are held, never lost.
import { describe, expect, it } from 'vitest';
import { writeRegister } from './regwrite.ts';
import type { Smmu } from './smmu.ts';
import { CDTAB, PT, env, eventAt, putCd, putSte, txn } from './tables.testkit.ts';
import { cmd, issue } from './testkit.ts';
import { translate } from './translate.ts';

const OVFLG = 1n << 31n;

/** SID 1 (records, no stall) and SID 2 (CD.S=1) whose TTB0 table is empty: every access faults. */
function faulty(platform = {}): Smmu {
  const s = env({ platform });
  putSte(s, 1, { config: 5, s1ctx: CDTAB });
  putSte(s, 2, { config: 5, s1ctx: CDTAB + 64n });
  putCd(s, CDTAB, { ttb0: PT });
  putCd(s, CDTAB + 64n, { ttb0: PT, s: true });
  return s;
}
const fault = (s: Smmu, n: number, sid = 1) =>
  translate(s, txn(sid, 0x1000n * BigInt(n + 1))).outcome;
const cons = (s: Smmu, v: bigint) => writeRegister(s, 'EVENTQ_CONS', v);

describe('event queue overflow', () => {
  it('the 9th record in an 8-entry queue is lost and OVFLG toggles once', () => {
    const s = faulty();
    for (let i = 0; i < 8; i++) expect(fault(s, i).type).toBe('fault');
    expect(s.regs.EVENTQ_PROD).toBe(0b1000n); // wrap 1, index 0: full
    expect(fault(s, 8)).toMatchObject({ type: 'aborted', event: { name: 'F_TRANSLATION' } });
    expect(s.regs.EVENTQ_PROD).toBe(OVFLG | 0b1000n);
    fault(s, 9);
    expect(s.regs.EVENTQ_PROD).toBe(OVFLG | 0b1000n); // no second toggle
    expect(eventAt(s, 0)[2]).toBe(0x1000n); // the first record is intact
  });

  it('records are written again once space frees, even before the overflow is acknowledged', () => {
    const s = faulty();
    for (let i = 0; i < 9; i++) fault(s, i);
    cons(s, 3n); // software consumed three, OVACKFLG still 0
    expect(fault(s, 20).type).toBe('fault');
    expect(eventAt(s, 0)[2]).toBe(0x15000n); // slot 0 reused: InputAddr of the 21st access
    fault(s, 21);
    fault(s, 22);
    expect(s.regs.EVENTQ_PROD).toBe(OVFLG | 0b1011n); // full again: wrap 1, index 3
    fault(s, 23); // lost; the overflow is still showing, so OVFLG does not toggle
    expect(s.regs.EVENTQ_PROD).toBe(OVFLG | 0b1011n);
    // Acknowledge (OVACKFLG := OVFLG) and consume everything; the next overflow toggles OVFLG.
    cons(s, OVFLG | 0b1011n);
    for (let i = 0; i < 8; i++) fault(s, 30 + i);
    expect(s.regs.EVENTQ_PROD).toBe(OVFLG | 0b0011n);
    fault(s, 40);
    expect(s.regs.EVENTQ_PROD).toBe(0b0011n);
  });

  it('EVENTQEN=0 discards records without an overflow', () => {
    const s = faulty();
    writeRegister(s, 'CR0', 0b1011n);
    for (let i = 0; i < 10; i++)
      expect(fault(s, i)).toMatchObject({ type: 'aborted', event: { name: 'F_TRANSLATION' } });
    expect(s.regs.EVENTQ_PROD).toBe(0n);
    expect(s.takeLog().events.every((e) => !e.written)).toBe(true);
  });

  it('a stall record that finds the queue full is held (no overflow) and written when space frees', () => {
    const s = faulty();
    for (let i = 0; i < 8; i++) fault(s, i);
    const o = fault(s, 50, 2);
    expect(o.type).toBe('stalled');
    const stag = o.type === 'stalled' ? BigInt(o.stag) : -1n;
    expect(s.regs.EVENTQ_PROD).toBe(0b1000n);
    expect(s.pendingStallRecords).toHaveLength(1);
    cons(s, 0b0001n);
    expect(s.pendingStallRecords).toHaveLength(0);
    expect(s.regs.EVENTQ_PROD).toBe(0b1001n);
    // SID 2, F_TRANSLATION; dw1 = Stall (31) | RnW | CLASS=IN | STAG.
    expect(eventAt(s, 0)).toEqual([0x2_0000_0010n, 0x0000_0208_8000_0000n | stag, 0x33000n, 0n]);
  });
});

describe('SMMU_IDR5.STALL_MAX (§6.3.6)', () => {
  // "The SMMU guarantees that the total number of Stall fault records that will be recorded in
  // any Event queue, without any having been the subject of a resume or terminate command, will
  // not exceed this number." With STALL_MAX=2 the third stalling fault is not stalled: this
  // model reports it with Stall=0 and aborts it (§3.12 terminate treatment; docs/fidelity.md).
  it('the third stalling fault with STALL_MAX=2 is recorded with Stall=0 and aborted', () => {
    const s = faulty({ stallMax: 2 });
    expect(fault(s, 0, 2).type).toBe('stalled');
    expect(fault(s, 1, 2).type).toBe('stalled');
    expect(fault(s, 2, 2)).toMatchObject({
      type: 'fault',
      termination: 'abort',
      event: { name: 'F_TRANSLATION', stall: false },
    });
    expect(s.stalls.size).toBe(2);
    // Slot 2: SID 2, F_TRANSLATION; dw1 = RnW (35) | CLASS=IN (41:40 = 0b10), Stall=0, no STAG.
    expect(eventAt(s, 2)).toEqual([0x2_0000_0010n, 0x0000_0208_0000_0000n, 0x3000n, 0n]);
  });

  it('a resume frees a slot: the next fault stalls again', () => {
    const s = faulty({ stallMax: 1 });
    const o = fault(s, 0, 2);
    expect(o.type).toBe('stalled');
    expect(fault(s, 1, 2).type).toBe('fault');
    // CMD_RESUME (terminate, abort) for the first STAG, through the command queue.
    issue(s, [cmd('CMD_RESUME', { StreamID: 2, STAG: o.type === 'stalled' ? o.stag : -1, Ab: 1 })]);
    expect(s.stalls.size).toBe(0);
    expect(fault(s, 2, 2).type).toBe('stalled');
  });
});
