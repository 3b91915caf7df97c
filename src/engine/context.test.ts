// How a configuration error ends (context.ts configError, §7.3 and §3.9.1.2): recorded in the
// event queue with the step that says where; for an ATS Translation Request a CA completion and no
// record; C_BAD_STREAMID unrecorded while CR2.RECINVSID=0; a full queue loses the record. The
// record's common fields come from the transaction (§7.3.1: SSV/SubstreamID, RnW, InD, PnU,
// InputAddr).
import { describe, expect, it } from 'vitest';
import { EVTQ_PA } from './testkit.ts';
import { env, evtProd, putSte, txn } from './tables.testkit.ts';
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
    });
    expect(t.steps.find((x) => x.kind === 'event')?.note).toMatch(
      /^C_BAD_STREAMID: .*\. CR2\.RECINVSID=0, so nothing is recorded$/,
    );
    expect(evtProd(off)).toBe(0n);
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
    });
    expect(t.steps.find((x) => x.kind === 'event')?.note).toMatch(
      /; transaction aborted, record event queue full: record lost, EVENTQ_PROD\.OVFLG toggled$/,
    );
  });
});
