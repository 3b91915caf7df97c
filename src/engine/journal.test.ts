// WriteJournal: the words an op wrote, kept in columns, read back as the MemWrite list.
import { describe, expect, it } from 'vitest';
import { WriteJournal } from './journal.ts';

describe('WriteJournal', () => {
  it('lists each write as {pa, old, new}, with seq when it had one, in order', () => {
    const j = new WriteJournal();
    j.push(0x4000_0010n, 7n, 9n);
    j.push(0x4000_0028n, 0n, 0xffff_ffff_ffff_ffffn, 4);
    j.push(0x4000_0030n, 1n, 0n, 0);
    expect(j.length).toBe(3);
    expect(j.list).toEqual([
      { pa: 0x4000_0010n, old: 7n, new: 9n },
      { pa: 0x4000_0028n, old: 0n, new: 0xffff_ffff_ffff_ffffn, seq: 4 },
      { pa: 0x4000_0030n, old: 1n, new: 0n, seq: 0 },
    ]);
    expect('seq' in j.list[0]!).toBe(false);
    expect(j.old(1)).toEqual([0x4000_0028n, 0n]);
  });

  it('keeps every write past its first columns (100 writes)', () => {
    const j = new WriteJournal();
    for (let i = 0; i < 100; i++) j.push(BigInt(i) * 8n, BigInt(i), BigInt(i) + 1n, 1000 + i);
    expect(j.list.length).toBe(100);
    expect(j.list[99]).toEqual({ pa: 792n, old: 99n, new: 100n, seq: 1099 });
    expect(j.list[40]).toEqual({ pa: 320n, old: 40n, new: 41n, seq: 1040 });
    expect(j.old(64)).toEqual([512n, 64n]);
  });

  it('clear forgets every write, and the list made before is made again', () => {
    const j = new WriteJournal();
    j.push(8n, 1n, 2n);
    expect(j.list.map((w) => w.new)).toEqual([2n]);
    j.clear();
    expect(j.length).toBe(0);
    expect(j.list).toEqual([]);
    j.push(16n, 3n, 4n, 2);
    expect(j.list).toEqual([{ pa: 16n, old: 3n, new: 4n, seq: 2 }]);
  });
});
