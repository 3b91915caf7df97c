// How a configuration error ends (context.ts configError, §7.3 and §3.9.1.2): recorded in the
// event queue with the step that says where; for an ATS Translation Request a CA completion and no
// record; C_BAD_STREAMID unrecorded while CR2.RECINVSID=0; a full queue loses the record. The
// record's common fields come from the transaction (§7.3.1: SSV/SubstreamID, RnW, InD, PnU,
// InputAddr).
import { describe, expect, it } from 'vitest';
import { EVTQ_PA } from './testkit.ts';
import { CDTAB, Tables, env, evtProd, putCd, putSte, txn, type CdOpts } from './tables.testkit.ts';
import { translate } from './translate.ts';

// SID 1: an STE with V=0 → C_BAD_STE (0x04), a configuration error recorded regardless of A/R/S.
const invalidSte = (bring = {}) => {
  const s = env({ bring });
  putSte(s, 1, { v: false, config: 5 });
  return s;
};

describe('configError', () => {
  it('records the event and says in which slot; the step carries the raw record', () => {
    const s = invalidSte();
    const t = translate(s, txn(1, 0x1234_5000n, 'w'));
    expect(t.outcome).toMatchObject({ type: 'fault', termination: 'abort' });
    const ev = t.steps.find((x) => x.kind === 'event');
    expect(ev).toMatchObject({ eventSlot: 0, eventPa: EVTQ_PA });
    expect(ev?.note).toMatch(
      /^C_BAD_STE: .*; transaction aborted, record written to event queue slot 0$/,
    );
    // dw0 = StreamID 1 << 32 | 0x04; C_BAD_STE carries nothing else (§7.3.5), not even the address.
    expect(ev?.kind === 'event' ? ev.eventRaw : undefined).toEqual([0x1_0000_0004n, 0n, 0n, 0n]);
    expect(evtProd(s)).toBe(1n);
  });

  it('the record’s common fields follow the transaction: SSV, SubstreamID, RnW, InD, PnU', () => {
    const s = invalidSte();
    const t = translate(s, txn(1, 0x8000n, 'x', { ssid: 3, priv: true }));
    expect(t.outcome).toMatchObject({
      event: { ssv: true, ssid: 3, rnw: true, ind: true, pnu: true, addr: 0x8000n },
    });
    const r = translate(s, txn(1, 0x9000n, 'r')).outcome;
    expect(r).toMatchObject({ event: { ssv: false, ssid: 0, rnw: true, ind: false, pnu: false } });
  });

  it('an ATS Translation Request: aborted with a CA completion, nothing recorded', () => {
    const s = invalidSte();
    const t = translate(s, txn(1, 0x1000n), { ats: true });
    expect(t.outcome).toMatchObject({ type: 'aborted', termination: 'abort' });
    expect(t.outcome.type === 'aborted' ? t.outcome.reason : '').toMatch(/^C_BAD_STE: /);
    const ev = t.steps.find((x) => x.kind === 'event');
    expect(ev?.note).toMatch(
      /Translation Request completed with CA; no event recorded \(§3\.9\.1\.2\)$/,
    );
    expect(ev).not.toHaveProperty('eventSlot');
    expect(ev).not.toHaveProperty('eventRaw');
    expect(evtProd(s)).toBe(0n);
  });

  it('C_BAD_STREAMID is recorded only with CR2.RECINVSID=1', () => {
    // The linear table holds 2^8 STEs: StreamID 0x100 is out of range.
    const off = env({ bring: { recinvsid: false } });
    const t = translate(off, txn(0x100, 0x1000n));
    expect(t.outcome).toMatchObject({
      type: 'aborted',
      reason: 'C_BAD_STREAMID (not recorded: RECINVSID=0)',
      event: { name: 'C_BAD_STREAMID' },
      termination: 'abort',
    });
    expect(t.steps.find((x) => x.kind === 'event')?.note).toMatch(
      /^C_BAD_STREAMID: .*\. CR2\.RECINVSID=0, so nothing is recorded$/,
    );
    expect(evtProd(off)).toBe(0n);
    // RECINVSID governs C_BAD_STREAMID only: an invalid STE is still recorded.
    putSte(off, 1, { v: false, config: 5 });
    expect(translate(off, txn(1, 0x1000n)).outcome).toMatchObject({ type: 'fault' });
    expect(evtProd(off)).toBe(1n);
    const on = env();
    expect(translate(on, txn(0x100, 0x1000n)).outcome).toMatchObject({ type: 'fault' });
    expect(evtProd(on)).toBe(1n);
  });

  it('a full event queue loses the record: aborted, and the step says why', () => {
    const s = invalidSte();
    for (let i = 0; i < 8; i++) translate(s, txn(1, 0x1000n)); // 8 slots, none consumed
    const t = translate(s, txn(1, 0x1000n));
    expect(t.outcome).toMatchObject({
      type: 'aborted',
      reason: 'C_BAD_STE: event queue full: record lost, EVENTQ_PROD.OVFLG toggled',
      termination: 'abort',
    });
    expect(t.steps.find((x) => x.kind === 'event')?.note).toMatch(
      /; transaction aborted, record event queue full: record lost, EVENTQ_PROD\.OVFLG toggled$/,
    );
  });
});

describe('translationFault: what the step says for each fault configuration (§3.12, §5.4 A/R/S)', () => {
  // SID 1, stage 1 with an empty table: every access is F_TRANSLATION at level 0.
  const unmapped = (cd: CdOpts, platform = {}) => {
    const s = env({ platform });
    putSte(s, 1, { config: 5, s1ctx: CDTAB });
    putCd(s, CDTAB, { ttb0: new Tables(s.mem, 12).alloc(), ...cd });
    return s;
  };
  const eventNote = (t: ReturnType<typeof translate>) =>
    t.steps.find((x) => x.kind === 'event')?.note;

  it('R=1: recorded, aborted (A=1) or terminated as RAZ/WI (A=0)', () => {
    const a = translate(unmapped({ a: true, r: true }), txn(1, 0x1000n));
    expect(eventNote(a)).toMatch(
      /^F_TRANSLATION \(.*\): transaction aborted; record written to event queue slot 0$/,
    );
    const raz = translate(unmapped({ a: false, r: true }), txn(1, 0x1000n));
    expect(eventNote(raz)).toMatch(/: transaction terminated as RAZ\/WI; record written to event/);
    expect(raz.outcome).toMatchObject({ type: 'fault', termination: 'raz-wi' });
  });

  it('R=0: not recorded, and the step says CD.R=0', () => {
    const t = translate(unmapped({ a: true, r: false }), txn(1, 0x1000n));
    expect(eventNote(t)).toMatch(/: CD\.R=0, so the transaction is aborted silently$/);
    expect(t.outcome).toMatchObject({
      type: 'aborted',
      reason: 'F_TRANSLATION not recorded (R=0)',
    });
    const raz = translate(unmapped({ a: false, r: false }), txn(1, 0x1000n));
    expect(eventNote(raz)).toMatch(/so the transaction is terminated as RAZ\/WI silently$/);
  });

  it('S=1 stalls with a STAG; at STALL_MAX outstanding it aborts, recorded with Stall=0', () => {
    const s = unmapped({ s: true, r: false }, { stallMax: 1 });
    const first = translate(s, txn(1, 0x1000n));
    if (first.outcome.type !== 'stalled') throw new Error('expected a stall');
    expect(eventNote(first)).toMatch(
      new RegExp(
        `: CD\\.S=1, so the transaction stalls with STAG ${first.outcome.stag}; record in event queue slot 0$`,
      ),
    );
    const second = translate(s, txn(1, 0x2000n));
    expect(second.outcome).toMatchObject({
      type: 'fault',
      event: { stall: false },
      termination: 'abort',
    });
    expect(eventNote(second)).toMatch(
      /: 1 stalls already outstanding = SMMU_IDR5\.STALL_MAX, so the transaction is not stalled but aborted, recorded with Stall=0; record written to event queue slot 1$/,
    );
  });

  it('a stall while the event queue is full keeps its record pending (never discarded)', () => {
    const s = unmapped({ s: true, r: false });
    putSte(s, 2, { v: false, config: 5 });
    for (let i = 0; i < 8; i++) translate(s, txn(2, 0x1000n)); // C_BAD_STE × 8: queue full
    const t = translate(s, txn(1, 0x1000n));
    expect(t.outcome.type).toBe('stalled');
    expect(eventNote(t)).toMatch(
      /stalls with STAG \d+; record in a pending record \(queue full: stall records are never discarded\)$/,
    );
  });

  it('an ATS Translation Request: Success with R=W=0 for a translation fault, nothing recorded', () => {
    const s = unmapped({});
    putSte(s, 1, { config: 5, s1ctx: CDTAB, eats: 1 });
    const t = translate(s, txn(1, 0x1000n), { ats: true });
    expect(eventNote(t)).toMatch(
      /^F_TRANSLATION \(.*\) on a Translation Request: completion Success with R=W=0, nothing recorded \(§3\.9\.1\.2\)$/,
    );
    expect(t.outcome).toMatchObject({ type: 'aborted', termination: 'abort' });
    expect(evtProd(s)).toBe(0n);
  });

  it('an ATS Translation Request whose walk aborts: completion CA', () => {
    const s = unmapped({ ttb0: 0x3000_0000n });
    putSte(s, 1, { config: 5, s1ctx: CDTAB, eats: 1 });
    const t = translate(s, txn(1, 0x1000n), { ats: true });
    expect(eventNote(t)).toMatch(/^F_WALK_EABT \(.*\) on a Translation Request: completion CA, /);
  });
});
