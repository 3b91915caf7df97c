// Simulated physical memory on its own: RAM bounds, the journal and clock an op's record is
// built from, zeroing, copy-on-write snapshots and the list of non-zero words. Values are
// chosen by hand; little-endian words, 4 KB pages, 8-byte alignment (reads align down).
import { describe, expect, it } from 'vitest';
import { WriteJournal } from './journal.ts';
import { PhysMem } from './memory.ts';

const RAM = 0x4000_0000n;
const mem = () => new PhysMem([{ base: RAM, size: 0x10_0000n }]);

describe('PhysMem', () => {
  it('reads zero from RAM never written, undefined outside RAM; writes outside RAM fail', () => {
    const m = mem();
    expect(m.read64(RAM + 0x8n)).toBe(0n);
    expect(m.read64(RAM - 8n)).toBeUndefined();
    expect(m.read64(RAM + 0x10_0000n)).toBeUndefined();
    expect(m.write64(RAM + 0x10_0000n, 1n)).toBe(false);
    expect(m.hasPage(RAM + 0x10_0000n)).toBe(false);
    // A word beyond 2^53 (number arithmetic would round it) is not RAM either.
    expect(m.read64(1n << 60n)).toBeUndefined();
    expect(m.write64(1n << 60n, 1n)).toBe(false);
  });

  it('stores 64-bit words, truncated to 64 bits, read back at any byte of the word', () => {
    const m = mem();
    expect(m.write64(RAM + 0x1008n, (1n << 64n) | 0xdead_beefn)).toBe(true);
    expect(m.read64(RAM + 0x1008n)).toBe(0xdead_beefn);
    expect(m.read64(RAM + 0x100fn)).toBe(0xdead_beefn);
    expect(m.read64(RAM + 0x1000n)).toBe(0n);
    expect(m.read64(RAM + 0x1010n)).toBe(0n);
    expect(m.hasPage(RAM + 0x1ff8n)).toBe(true);
    expect(m.hasPage(RAM + 0x2000n)).toBe(false);
    const out = new Uint32Array(2);
    m.write64(RAM + 0x1010n, 0x1234_5678_9abc_def0n);
    expect(m.readHalves(Number(RAM + 0x1010n), out)).toBe(true);
    expect([...out]).toEqual([0x9abc_def0, 0x1234_5678]);
    expect(m.readHalves(Number(RAM + 0x3000n), out)).toBe(false);
  });

  it('writeWords stops at the first word outside RAM; readWords is undefined past the end', () => {
    const m = mem();
    const last = RAM + 0x10_0000n - 8n;
    expect(m.writeWords(last - 8n, [1n, 2n, 3n])).toBe(false);
    expect(m.readWords(last - 8n, 2)).toEqual([1n, 2n]);
    expect(m.readWords(last - 8n, 3)).toBeUndefined();
    expect(m.writeWords(RAM, [5n, 6n])).toBe(true);
    expect(m.readWords(RAM, 3)).toEqual([5n, 6n, 0n]);
  });

  it('journals each write that changes a word, with the 8-byte-aligned address and a sequence', () => {
    const m = mem();
    m.write64(RAM + 0x10n, 7n); // before the journal: not listed
    m.journal = new WriteJournal();
    m.write64(RAM + 0x14n, 9n); // aligned down to 0x10
    m.write64(RAM + 0x10n, 9n); // no change: not listed
    m.write64(RAM + 0x20n, 0n); // no change (was zero): not listed
    m.clock = { n: 4 };
    m.write64(RAM + 0x28n, 1n);
    expect(m.tick()).toBe(5);
    expect(m.stamp()).toEqual({ seq: 6 });
    expect(m.journal.list).toEqual([
      { pa: RAM + 0x10n, old: 7n, new: 9n },
      { pa: RAM + 0x28n, old: 0n, new: 1n, seq: 4 },
    ]);
    m.clock = null;
    expect(m.tick()).toBe(0);
    expect(m.stamp()).toEqual({});
  });

  it('zero clears a range, touching only pages that exist, journaling only non-zero words', () => {
    const m = mem();
    m.writeWords(RAM + 0xff0n, [1n, 2n, 3n, 4n]); // 0xff0, 0xff8 | 0x1000, 0x1008
    m.write64(RAM + 0x3000n, 5n);
    m.journal = new WriteJournal();
    // [0xff8, 0x1008): the second, third words; the first and fourth stay.
    m.zero(RAM + 0xff8n, 0x10n);
    expect(m.readWords(RAM + 0xff0n, 4)).toEqual([1n, 0n, 0n, 4n]);
    expect(m.journal.list.map((w) => w.pa - RAM)).toEqual([0xff8n, 0x1000n]);
    // [0x1008, 0x3000): across a page never written (0x2000), up to the word at 0x3000.
    m.zero(RAM + 0x1008n, 0x1ff8n);
    expect(m.read64(RAM + 0x1008n)).toBe(0n);
    expect(m.read64(RAM + 0x3000n)).toBe(5n);
    expect(m.hasPage(RAM + 0x2000n)).toBe(false);
    m.zero(RAM + 0x3000n, 8n);
    expect(m.read64(RAM + 0x3000n)).toBe(0n);
  });

  it('a clone shares pages copy-on-write: writes on either side do not show on the other', () => {
    const m = mem();
    m.write64(RAM, 1n);
    const c = m.clone();
    c.write64(RAM, 2n);
    m.write64(RAM + 8n, 3n);
    expect([m.read64(RAM), m.read64(RAM + 8n)]).toEqual([1n, 3n]);
    expect([c.read64(RAM), c.read64(RAM + 8n)]).toEqual([2n, 0n]);
    // The fast reader sees the copy too, not the page it was copied from.
    const out = new Uint32Array(2);
    expect(c.readHalves(Number(RAM), out)).toBe(true);
    expect(out[0]).toBe(2);
    expect(m.readHalves(Number(RAM), out)).toBe(true);
    expect(out[0]).toBe(1);
  });

  it('lists every non-zero word in address order', () => {
    const m = mem();
    m.write64(RAM + 0x2008n, 2n);
    m.write64(RAM + 0x10n, 1n);
    m.write64(RAM + 0x18n, 0n);
    expect([...m.nonZeroWords()]).toEqual([
      [RAM + 0x10n, 1n],
      [RAM + 0x2008n, 2n],
    ]);
  });
});
