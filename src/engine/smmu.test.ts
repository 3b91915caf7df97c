// The Smmu object's own helpers: a register field by name, the event queue's external abort
// (§7.2: GERROR.EVENTQ_ABT_ERR, bit 2), STAG allocation skipping tags still outstanding, and a
// clone that shares nothing mutable with the original. Also a configuration entry's sources.
import { describe, expect, it } from 'vitest';
import { makeEvent } from './events.ts';
import { configSources } from './stale.ts';
import { env } from './tables.testkit.ts';
import { makeSmmu } from './testkit.ts';
import { PhysMem } from './memory.ts';

describe('Smmu', () => {
  it('reads a register field by name and refuses one the register lacks', () => {
    const s = env();
    expect(s.field('CR0', 'SMMUEN')).toBe(1);
    expect(s.field('CR0', 'ATSCHK')).toBe(0);
    expect(s.field('IDR1', 'SIDSIZE')).toBe(16);
    expect(() => s.field('CR0', 'NOPE')).toThrow('CR0.NOPE');
  });

  it('an event queue outside RAM: the record is lost and GERROR.EVENTQ_ABT_ERR raised', () => {
    const s = env({ bring: { evtq: 0x3000_0000n } });
    const w = s.recordEvent(makeEvent({ id: 0x04, sid: 1 }));
    expect(w).toMatchObject({
      written: false,
      reason: 'external abort writing the event queue (GERROR.EVENTQ_ABT_ERR)',
    });
    expect(s.gerrorActive(2)).toBe(true);
    expect(s.regs.EVENTQ_PROD).toBe(0n);
  });

  it('allocates STAGs in order, skipping ones still outstanding, wrapping at 16 bits', () => {
    const s = makeSmmu();
    const a = s.allocStag();
    const b = s.allocStag();
    expect(b).toBe((a + 1) & 0xffff);
    const held = (b + 1) & 0xffff;
    const txn = { sid: 1, addr: 0n, access: 'r', priv: false } as const;
    s.stalls.set(held, { stag: held, txn, event: makeEvent({ id: 0x10, sid: 1 }) });
    expect(s.allocStag()).toBe((b + 2) & 0xffff);
  });

  it('a clone shares no mutable state with the original', () => {
    const s = env();
    const c = s.clone(new PhysMem(s.platform.ram));
    c.regs.CR0 = 0n;
    c.inbox.push({ kind: 'resumed', sid: 1, stag: 0, retry: false, abort: true });
    c.pending.push({ name: 'CMD_SYNC', opcode: 0x46, fields: {}, raw: [0x46n, 0n] });
    expect(s.regs.CR0).toBe(0xfn);
    expect(s.inbox).toEqual([]);
    expect(s.pending.length).toBe(0);
    expect(c.pending.length).toBe(1);
    expect(c.log.commands).toEqual([]);
  });

  it('a cached STE or CD stands for all its words; an L1 descriptor for one', () => {
    const raw = [1n, 2n];
    const cd = { kind: 'cd', sid: 1, ssid: 0, pa: 0x4020_0000n, raw, view: {}, tags: [] };
    expect(configSources(cd as never)).toEqual([
      { pa: 0x4020_0000n, value: 1n, role: 'config' },
      { pa: 0x4020_0008n, value: 2n, role: 'config' },
    ]);
    const l1 = { kind: 'l1cd', sid: 1, index: 0, pa: 0x4021_0000n, raw: 0x4022_0001n };
    expect(configSources(l1 as never)).toEqual([
      { pa: 0x4021_0000n, value: 0x4022_0001n, role: 'config' },
    ]);
  });
});
