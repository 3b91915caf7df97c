// The endpoint's Address Translation Cache on its own: lookup by StreamID, PASID and page, LRU
// eviction, and CMD_ATC_INV's range (§4.5.1 CMD_ATC_INV: the span is 4 KB × 2^Size, aligned to
// itself; Size 52 invalidates everything; SSV=0 removes PASID-tagged entries too, SSV=1 only the
// named PASID's). Ranges and counts below are worked out by hand from those rules.
import { describe, expect, it } from 'vitest';
import { Atc, type AtcEntry } from './atc.ts';

const entry = (sid: number, ssid: number | undefined, ia: bigint, sizeShift = 12): AtcEntry => ({
  sid,
  ssid,
  ia,
  sizeShift,
  pa: 0x8000_0000n + ia,
  read: true,
  write: true,
  exec: false,
  priv: false,
  src: [],
});

/** SID 1: 4 KB pages at 0x1000, 0x2000 and 0x30_0000, a 2 MB block at 0x20_0000; PASID 5 at 0x1000; SID 2 at 0x1000. */
function filled(): Atc {
  const a = new Atc(16);
  a.insert(entry(1, undefined, 0x1000n));
  a.insert(entry(1, undefined, 0x2000n));
  a.insert(entry(1, undefined, 0x20_0000n, 21));
  a.insert(entry(1, undefined, 0x40_0000n));
  a.insert(entry(1, 5, 0x1000n));
  a.insert(entry(2, undefined, 0x1000n));
  return a;
}

const left = (a: Atc): string[] =>
  a
    .entries()
    .map((e) => `${e.sid}:${e.ssid ?? '-'}:${e.ia.toString(16)}`)
    .sort();

describe('Atc', () => {
  it('finds an entry by StreamID, PASID and any address inside its span', () => {
    const a = filled();
    expect(a.lookup(1, undefined, 0x1fffn)?.ia).toBe(0x1000n);
    // Inside the 2 MB block: 0x20_0000 + 0x1f_ffff.
    expect(a.lookup(1, undefined, 0x3f_ffffn)?.ia).toBe(0x20_0000n);
    expect(a.lookup(1, 5, 0x1234n)?.ssid).toBe(5);
    // Another PASID, or another stream with no entry at that page, misses.
    expect(a.lookup(1, 6, 0x1000n)).toBeUndefined();
    expect(a.lookup(2, undefined, 0x2000n)).toBeUndefined();
    expect(a.lookup(3, undefined, 0x1000n)).toBeUndefined();
    expect(a.lookup(1, undefined, 0x3000n)).toBeUndefined();
  });

  it('evicts the least recently used entry; a lookup makes an entry recent', () => {
    const a = new Atc(2);
    a.insert(entry(1, undefined, 0x1000n));
    a.insert(entry(1, undefined, 0x2000n));
    expect(a.lookup(1, undefined, 0x1000n)).toBeDefined();
    a.insert(entry(1, undefined, 0x3000n));
    expect(left(a)).toEqual(['1:-:1000', '1:-:3000']);
    // Entries of a PASID and without one are kept apart at the same page.
    a.insert(entry(1, 0, 0x3000n));
    expect(left(a)).toEqual(['1:-:3000', '1:0:3000']);
  });

  it('Size 0 removes the one 4 KB page the address is in, and says how many went', () => {
    const a = filled();
    // 0x1abc: span 0x1000 at 0x1000; SSV=0 takes PASID 5's entry at that page too.
    expect(a.invalidate(1, undefined, 0x1abcn, 0)).toBe(2);
    expect(left(a)).toEqual(['1:-:2000', '1:-:200000', '1:-:400000', '2:-:1000']);
  });

  it('a range that only touches an entry’s edge leaves it', () => {
    const a = filled();
    // [0x0, 0x1000) ends where the page at 0x1000 starts.
    expect(a.invalidate(1, undefined, 0x0n, 0)).toBe(0);
    // [0x40_0000, 0x40_1000) starts where the 2 MB block [0x20_0000, 0x40_0000) ends.
    expect(a.invalidate(1, 5, 0x40_0000n, 0)).toBe(0);
    expect(left(a)).toHaveLength(6);
  });

  it('a 4 KB range inside a 2 MB block removes the block', () => {
    const a = filled();
    expect(a.invalidate(1, undefined, 0x20_5000n, 0)).toBe(1);
    expect(left(a)).not.toContain('1:-:200000');
  });

  it('Size 9 spans 2 MB aligned to 2 MB', () => {
    const a = filled();
    // 0x20_1000 → [0x20_0000, 0x40_0000): the block only; 0x2000 and 0x40_0000 stay.
    expect(a.invalidate(1, undefined, 0x20_1000n, 9)).toBe(1);
    expect(left(a)).toEqual(['1:-:1000', '1:-:2000', '1:-:400000', '1:5:1000', '2:-:1000']);
    // Size 10 at 0x1000 → [0x0, 0x40_0000): the pages at 0x1000 (both) and 0x2000.
    expect(a.invalidate(1, undefined, 0x1000n, 10)).toBe(3);
    expect(left(a)).toEqual(['1:-:400000', '2:-:1000']);
  });

  it('SSV=1 removes only the named PASID’s entries; Size 52 the whole stream', () => {
    const a = filled();
    expect(a.invalidate(1, 5, 0x1000n, 0)).toBe(1);
    expect(left(a)).toContain('1:-:1000');
    expect(a.invalidate(1, undefined, 0xdead_0000n, 52)).toBe(4);
    expect(left(a)).toEqual(['2:-:1000']);
  });
});
