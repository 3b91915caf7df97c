// The command processor's columns: consumed commands read back as the records they stand for
// (decoded from their words), pending invalidations as the commands they were.
import { describe, expect, it } from 'vitest';
import { CommandRecords, PendingCommands } from './cmdqRecord.ts';
import { buildCommand } from './commands.ts';

const tlbi = (page: number) =>
  buildCommand('CMD_TLBI_NH_VA', { ASID: 3, VMID: 0, Leaf: 1, Address: BigInt(page) << 12n });

describe('CommandRecords', () => {
  it('gives each command back decoded, with slot, address, effect and seq as added', () => {
    const r = new CommandRecords();
    const a = tlbi(5);
    const sync = buildCommand('CMD_SYNC', { CS: 2 });
    r.add(7, 0x4000_0070n, a.raw[0], a.raw[1], 'consumed', 12);
    r.add(8, 0x4000_0080n, sync.raw[0], sync.raw[1], 'done');
    expect(r.length).toBe(2);
    expect(r.list).toEqual([
      { index: 7, pa: 0x4000_0070n, raw: a.raw, command: a, effect: 'consumed', seq: 12 },
      { index: 8, pa: 0x4000_0080n, raw: sync.raw, command: sync, effect: 'done' },
    ]);
    expect('seq' in r.list[1]!).toBe(false);
  });

  it('keeps a whole entry as it was, in its place', () => {
    const r = new CommandRecords();
    const a = tlbi(1);
    r.add(0, 0x1000n, a.raw[0], a.raw[1], 'ok', 0);
    const bad = {
      index: 1,
      pa: 0x1010n,
      raw: [0x7fn, 0n] as const,
      error: 'CERROR_ILL',
      effect: 'x',
    };
    r.addWhole(bad);
    r.add(2, 0x1020n, a.raw[0], a.raw[1], 'ok', 2);
    expect(r.length).toBe(3);
    expect(r.list[1]).toBe(bad);
    expect(r.list.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(r.list[2]!.seq).toBe(2);
  });

  it('holds many commands (past its first columns)', () => {
    const r = new CommandRecords();
    for (let i = 0; i < 100; i++) {
      const c = tlbi(i);
      r.add(i % 64, 0x4000_0000n + BigInt(i % 64) * 16n, c.raw[0], c.raw[1], `e${i}`, i);
    }
    expect(r.list.length).toBe(100);
    const c = r.list[99]!;
    expect(c.command).toEqual(tlbi(99));
    expect([c.index, c.pa, c.effect, c.seq]).toEqual([35, 0x4000_0230n, 'e99', 99]);
    expect(r.list[40]!.command?.fields['Address']).toBe(40n << 12n);
  });
});

describe('PendingCommands', () => {
  it('gives back the commands pushed, their opcodes, and empties on take', () => {
    const p = new PendingCommands();
    const cfgi = buildCommand('CMD_CFGI_STE', { StreamID: 0x10, Leaf: 1 });
    p.push(tlbi(2));
    p.push(cfgi);
    expect(p.length).toBe(2);
    expect([p.opcode(0), p.opcode(1)]).toEqual([0x12, 0x03]);
    expect(p.command(1)).toEqual(cfgi);
    expect(p.raws()).toEqual([tlbi(2).raw, cfgi.raw]);
    const copy = p.clone();
    const taken = p.take();
    expect(p.length).toBe(0);
    expect(taken.length).toBe(2);
    expect(taken.command(0)).toEqual(tlbi(2));
    p.push(cfgi);
    expect(copy.length).toBe(2);
    expect(copy.command(0)).toEqual(tlbi(2));
    expect(taken.length).toBe(2);
  });

  it('keeps order past its first columns', () => {
    const p = new PendingCommands();
    for (let i = 0; i < 70; i++) p.push(tlbi(i));
    expect(p.length).toBe(70);
    expect(p.command(69)).toEqual(tlbi(69));
    expect(p.clone().command(33)).toEqual(tlbi(33));
  });
});
