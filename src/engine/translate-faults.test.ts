// Translation faults and how CD.A/R/S handle them (smmuv3.md §4.5, §4.7, §8; spec-facts Q5, Q12).
// Raw records from §5.1: dw1 = STAG[15:0] | Stall[31] | PnU[33] | InD[34] | RnW[35] | S2[39] |
// CLASS[41:40] (CD 0, TT 1, IN 2); dw2 = InputAddr; dw3 = FetchAddr[55:3] or IPA[55:12].
import { describe, expect, it } from 'vitest';
import type { Smmu } from './smmu.ts';
import { cmd, issue } from './testkit.ts';
import {
  AF,
  AP_EL0,
  CDTAB,
  PAGE,
  Tables,
  env,
  eventAt,
  evtProd,
  putCd,
  putSte,
  txn,
  type CdOpts,
} from './tables.testkit.ts';
import { translate } from './translate.ts';

const VA = 0x0000_7fff_dead_b000n;
const PA = 0x8765_4000n;

/** SID `sid` with a 4-level table mapping VA → PA with `leaf` attributes (default RW + AF). */
function world(cd: CdOpts = {}, leafBits: bigint = AF | AP_EL0, sid = 1) {
  const s = env({ bring: { log2size: 9 } });
  const t = new Tables(s.mem, 12);
  const root = t.alloc();
  putSte(s, sid, { config: 5, s1ctx: CDTAB, s1cdmax: 4, s1dss: 2 });
  putCd(s, CDTAB, { ttb0: root, ...cd });
  putCd(s, CDTAB + 5n * 64n, { ttb0: root, ...cd });
  const addrs = t.map(root, 0, 48, VA, 3, PA | leafBits | PAGE);
  return { s, t, root, leafAt: addrs[3]! };
}

const go = (s: Smmu, access: 'r' | 'w' | 'x' = 'r', priv = false, sid = 1, addr = VA) =>
  translate(s, txn(sid, addr, access, { priv })).outcome;

describe('F_WALK_EABT (0x0B)', () => {
  it('a table descriptor pointing outside RAM: S2=0, CLASS=TT, FetchAddr = descriptor', () => {
    const { s, root } = world();
    s.mem.write64(root + 0xffn * 8n, 0x3000_0000n | 3n); // L1 table below RAM
    expect(go(s)).toMatchObject({ type: 'fault', event: { name: 'F_WALK_EABT', class: 'TT' } });
    // dw1: RnW | CLASS=TT (1 << 40); dw3: 0x3000_0000 + L1 index 0x1FF × 8.
    expect(eventAt(s, 0)).toEqual([0x1_0000_000bn, 0x0000_0108_0000_0000n, VA, 0x3000_0ff8n]);
  });

  it('is recorded and aborts even with CD.R=0 and CD.S=1 (never stalls)', () => {
    const { s } = world({ r: false, s: true, ttb0: 0x3000_0000n });
    expect(go(s, 'w', true)).toMatchObject({ type: 'fault', termination: 'abort' });
    // write, privileged: PnU (bit 33) set, RnW clear.
    expect(eventAt(s, 0)).toEqual([0x1_0000_000bn, 0x0000_0102_0000_0000n, VA, 0x3000_07f8n]);
  });
});

describe('E10 record and the fault kinds', () => {
  it('E10: SID 0x100, SSID 5, unprivileged data read, F_TRANSLATION', () => {
    const { s, root } = world({}, AF | AP_EL0, 0x100);
    s.mem.write64(root + 0xffn * 8n, 0n);
    translate(s, txn(0x100, VA, 'r', { ssid: 5 }));
    expect(eventAt(s, 0)).toEqual([
      0x0000_0100_0000_5810n,
      0x0000_0208_0000_0000n,
      0x0000_7fff_dead_b000n,
      0n,
    ]);
  });

  it('AF=0 with HA=0, AFFD=0 → F_ACCESS (0x12); AFFD=1 treats AF as 1', () => {
    const { s } = world({}, AP_EL0);
    expect(go(s)).toMatchObject({ type: 'fault', event: { name: 'F_ACCESS' } });
    expect(eventAt(s, 0)).toEqual([0x1_0000_0012n, 0x0000_0208_0000_0000n, VA, 0n]);
    const b = world({ affd: true }, AP_EL0).s;
    expect(go(b)).toMatchObject({ type: 'translated', pa: PA });
  });

  it('a write to a read-only page → F_PERMISSION (0x13) with RnW=0', () => {
    const { s } = world({}, AF | AP_EL0 | (1n << 7n));
    expect(go(s, 'w')).toMatchObject({ type: 'fault', event: { name: 'F_PERMISSION' } });
    expect(eventAt(s, 0)).toEqual([0x1_0000_0013n, 0x0000_0200_0000_0000n, VA, 0n]);
  });

  it('a privileged instruction fetch records PnU and InD', () => {
    const { s } = world({}, AF | (1n << 53n)); // AP=00, PXN
    expect(go(s, 'x', true)).toMatchObject({ event: { name: 'F_PERMISSION' } });
    expect(eventAt(s, 0)[1]).toBe(0x0000_020e_0000_0000n); // CLASS IN | RnW | InD | PnU
  });
});

describe('fault configuration CD.A / R / S (§4.7)', () => {
  const unmapped = (cd: CdOpts) => {
    const w = world(cd);
    w.s.mem.write64(w.leafAt, 0n);
    return w.s;
  };

  it('A=0 R=0 S=0: RAZ/WI, silent', () => {
    const s = unmapped({ a: false, r: false });
    expect(go(s)).toMatchObject({ type: 'aborted', termination: 'raz-wi' });
    expect(evtProd(s)).toBe(0n);
  });

  it('A=0 R=1: RAZ/WI, recorded', () => {
    const s = unmapped({ a: false, r: true });
    expect(go(s)).toMatchObject({ type: 'fault', termination: 'raz-wi' });
    expect(evtProd(s)).toBe(1n);
  });

  it('A=1 R=0: abort, silent; A=1 R=1: abort, recorded', () => {
    const s = unmapped({ a: true, r: false });
    expect(go(s)).toMatchObject({ type: 'aborted', termination: 'abort' });
    expect(evtProd(s)).toBe(0n);
    const r = unmapped({ a: true, r: true });
    expect(go(r)).toMatchObject({ type: 'fault', termination: 'abort' });
    expect(evtProd(r)).toBe(1n);
  });

  it('S=1 stalls (R=0 forced to record): Stall=1 and STAG in dw1', () => {
    const s = unmapped({ s: true, r: false });
    const o = go(s);
    expect(o.type).toBe('stalled');
    const stag = o.type === 'stalled' ? BigInt(o.stag) : -1n;
    expect(eventAt(s, 0)).toEqual([0x1_0000_0010n, 0x0000_0208_8000_0000n | stag, VA, 0n]);
    expect(s.stalls.size).toBe(1);
  });

  it('CMD_RESUME Ac=1 after fixing the PTE: the retried access translates', () => {
    const { s, leafAt } = world({ s: true });
    s.mem.write64(leafAt, 0n);
    const o = go(s, 'w');
    if (o.type !== 'stalled') throw new Error('expected a stall');
    s.mem.write64(leafAt, PA | AF | AP_EL0 | PAGE);
    const log = issue(s, [cmd('RESUME', { StreamID: 1, STAG: o.stag, Ac: 1 })]);
    expect(log.resumes).toHaveLength(1);
    expect(log.resumes[0]).toMatchObject({ retried: true, translation: { outcome: { pa: PA } } });
    expect(s.inbox).toContainEqual({
      kind: 'resumed',
      sid: 1,
      stag: o.stag,
      retry: true,
      abort: false,
    });
    expect(s.stalls.size).toBe(0);
  });

  it('a retry that faults again stalls again with a new record', () => {
    const s = unmapped({ s: true });
    const o = go(s);
    if (o.type !== 'stalled') throw new Error('expected a stall');
    issue(s, [cmd('RESUME', { StreamID: 1, STAG: o.stag, Ac: 1 })]);
    expect(evtProd(s)).toBe(2n);
    expect(s.stalls.size).toBe(1);
  });

  it('CMD_RESUME Ac=0 Ab=1 terminates with abort; a wrong StreamID is a no-op', () => {
    const s = unmapped({ s: true });
    const o = go(s);
    if (o.type !== 'stalled') throw new Error('expected a stall');
    issue(s, [cmd('RESUME', { StreamID: 2, STAG: o.stag, Ab: 1 })]);
    expect(s.stalls.size).toBe(1);
    const log = issue(s, [cmd('RESUME', { StreamID: 1, STAG: o.stag, Ab: 1 })]);
    expect(log.resumes).toEqual([{ sid: 1, stag: o.stag, retried: false, abort: true }]);
    expect(s.stalls.size).toBe(0);
  });

  // §4.7.1 CMD_RESUME: Retry (Ac)=0 terminates the stalled transaction; Abort (Ab)=0 completes it
  // with RAZ/WI (reads return zero, writes are ignored), Ab=1 with an abort to the device.
  it('CMD_RESUME Ac=0 Ab=0 terminates as RAZ/WI; Ab=1 as an abort', () => {
    const s = unmapped({ s: true });
    const o = go(s);
    if (o.type !== 'stalled') throw new Error('expected a stall');
    const log = issue(s, [cmd('RESUME', { StreamID: 1, STAG: o.stag })]);
    expect(log.resumes).toEqual([{ sid: 1, stag: o.stag, retried: false, abort: false }]);
    expect(log.commands[0]?.effect).toBe(`STAG ${o.stag} terminated (RAZ/WI)`);
    expect(s.inbox).toContainEqual({
      kind: 'resumed',
      sid: 1,
      stag: o.stag,
      retry: false,
      abort: false,
    });
    const again = go(s);
    if (again.type !== 'stalled') throw new Error('expected a stall');
    const ab = issue(s, [cmd('RESUME', { StreamID: 1, STAG: again.stag, Ab: 1 })]);
    expect(ab.commands[0]?.effect).toBe(`STAG ${again.stag} terminated (abort)`);
  });

  it('with the activity clock on, a command is stamped before it runs: its retry comes after', () => {
    const { s, leafAt } = world({ s: true });
    s.mem.write64(leafAt, 0n);
    const o = go(s, 'w');
    if (o.type !== 'stalled') throw new Error('expected a stall');
    s.mem.write64(leafAt, PA | AF | AP_EL0 | PAGE);
    s.mem.clock = { n: 100 };
    const log = issue(s, [cmd('RESUME', { StreamID: 1, STAG: o.stag, Ac: 1 })]);
    const seq = log.commands[0]?.seq;
    expect(seq).toBeGreaterThanOrEqual(100);
    expect(log.resumes[0]?.seq).toBeGreaterThan(seq ?? Infinity);
    expect(s.mem.clock.n).toBeGreaterThan(log.resumes[0]?.seq ?? Infinity);
  });

  it('CMD_STALL_TERM terminates every stall of the stream, and only that stream', () => {
    const { s, leafAt } = world({ s: true });
    putSte(s, 2, { config: 5, s1ctx: CDTAB, s1cdmax: 4, s1dss: 2 });
    s.mem.write64(leafAt, 0n);
    go(s, 'r', false, 1);
    go(s, 'w', false, 1);
    go(s, 'r', false, 2);
    expect(s.stalls.size).toBe(3);
    const log = issue(s, [cmd('STALL_TERM', { StreamID: 1 })]);
    expect(log.resumes.map((r) => [r.sid, r.abort])).toEqual([
      [1, true],
      [1, true],
    ]);
    expect([...s.stalls.values()].map((x) => x.txn.sid)).toEqual([2]);
    expect(log.commands[0]?.effect).toBe(
      '2 stalled transaction(s) of StreamID 0x1 terminated with abort',
    );
  });

  it('CMD_RESUME says what became of the retry, or that no such stall exists', () => {
    const { s, leafAt } = world({ s: true });
    s.mem.write64(leafAt, 0n);
    const o = go(s);
    if (o.type !== 'stalled') throw new Error('expected a stall');
    const none = issue(s, [cmd('RESUME', { StreamID: 1, STAG: o.stag + 1, Ac: 1 })]);
    expect(none.commands[0]?.effect).toBe(
      `no stalled transaction with STAG ${o.stag + 1} on StreamID 0x1: no effect`,
    );
    expect(none.resumes).toEqual([]);
    // Still unmapped: the retry stalls again (a new STAG).
    const again = issue(s, [cmd('RESUME', { StreamID: 1, STAG: o.stag, Ac: 1 })]);
    expect(again.commands[0]?.effect).toBe(`STAG ${o.stag} retried: stalled`);
    const next = [...s.stalls.keys()][0] ?? -1;
    expect(s.stalls.size).toBe(1);
    s.mem.write64(leafAt, PA | AF | AP_EL0 | PAGE);
    const done = issue(s, [cmd('RESUME', { StreamID: 1, STAG: next, Ac: 1 })]);
    expect(done.commands[0]?.effect).toBe(`STAG ${next} retried: translated to 0x87654000`);
  });

  it('CD.S=1 under STE.S1STALLD=1 → C_BAD_CD', () => {
    const { s } = world({ s: true });
    putSte(s, 1, { config: 5, s1ctx: CDTAB, s1stalld: true });
    expect(go(s)).toMatchObject({ type: 'fault', event: { name: 'C_BAD_CD' } });
    expect(eventAt(s, 0)).toEqual([0x1_0000_000an, 0n, 0n, 0n]);
  });
});
