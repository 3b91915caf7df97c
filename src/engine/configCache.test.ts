// The configuration cache on its own (§4.3, §16.2; §5.2 STE.CONT): lookups by StreamID and by
// StreamID+SubstreamID, LRU eviction at capacity, and what each CFGI drops, including cached STEs
// whose CONT span covers a StreamID. Entries are written by hand; only the fields read matter.
import { describe, expect, it } from 'vitest';
import type { CdView } from './cd.ts';
import { ConfigCache, type CachedCd, type CachedConfig, type CachedSte } from './configCache.ts';
import type { SteView } from './ste.ts';

const steView = (v: boolean, cont: number): SteView => ({ V: v, CONT: cont }) as SteView;
const ste = (sid: number, cont = 0, v = true): CachedSte => ({
  kind: 'ste',
  sid,
  pa: 0x4010_0000n + BigInt(sid) * 64n,
  raw: [],
  view: steView(v, cont),
});
const cd = (sid: number, ssid: number): CachedCd => ({
  kind: 'cd',
  sid,
  ssid,
  pa: 0x4020_0000n + BigInt(ssid) * 64n,
  raw: [],
  view: {} as CdView,
  tags: [],
});
const l1 = (kind: 'l1cd' | 'l1std', sid: number, index: number) =>
  ({ kind, sid, index, pa: 0n, raw: 1n }) as const;
const name = (e: CachedConfig): string =>
  e.kind === 'ste'
    ? `ste:${e.sid}`
    : e.kind === 'cd'
      ? `cd:${e.sid}/${e.ssid}`
      : `${e.kind}:${e.sid}/${e.index}`;
const names = (c: ConfigCache): string[] => c.entries().map(name);

describe('ConfigCache', () => {
  it('keys CDs by StreamID and SubstreamID apart; size counts every kind', () => {
    const c = new ConfigCache(16);
    c.putSte(ste(1));
    c.putCd(cd(1, 2));
    c.putCd(cd(2, 1));
    c.putL1(l1('l1cd', 1, 0));
    c.putL1(l1('l1std', -1, 3));
    expect(c.size).toBe(5);
    expect(c.cd(1, 2)?.ssid).toBe(2);
    expect(c.cd(2, 1)?.sid).toBe(2);
    expect(c.cd(1, 1)).toBeUndefined();
    expect(c.cd(2, 2)).toBeUndefined();
    expect(c.l1cd(1, 0)?.kind).toBe('l1cd');
    expect(c.l1cd(0, 1)).toBeUndefined();
    expect(c.l1std(3)?.kind).toBe('l1std');
    expect(c.l1std(0)).toBeUndefined();
    expect(c.ste(2)).toBeUndefined();
  });

  it('evicts the least recently used entry at capacity; a lookup refreshes, a peek does not', () => {
    const c = new ConfigCache(3);
    c.putSte(ste(1));
    c.putSte(ste(2));
    c.putSte(ste(3));
    expect(c.ste(1)?.sid).toBe(1); // 2 is now the oldest
    expect(c.peekSte(2)?.sid).toBe(2); // and stays so
    c.putCd(cd(9, 0));
    expect(names(c)).toEqual(['ste:3', 'ste:1', 'cd:9/0']);
    c.putL1(l1('l1std', -1, 0));
    expect(names(c)).toEqual(['ste:1', 'cd:9/0', 'l1std:-1/0']);
  });

  it('steCovering: cached V=1 STEs of other StreamIDs whose 2^CONT span holds the SID', () => {
    const c = new ConfigCache(16);
    c.putSte(ste(5));
    expect(c.steCovering(6, 32)).toEqual([]); // no CONT anywhere yet
    c.putSte(ste(9, 2)); // span 8..11
    c.putSte(ste(17, 1, false)); // V=0: its CONT is not obeyed
    const covering = (sid: number, bits = 32): number[] =>
      c.steCovering(sid, bits).map((e) => e.sid);
    expect([7, 8, 11, 12].map((s) => covering(s))).toEqual([[], [9], [9], []]);
    expect(covering(9)).toEqual([]); // its own StreamID is a plain hit, not a span match
    expect(covering(16)).toEqual([]);
    expect(covering(8, 1)).toEqual([9]); // capped at 2^1: span 8..9
    expect(covering(10, 1)).toEqual([]);
    expect(covering(11, 2)).toEqual([9]);
  });

  it('CFGI_STE: the STE, its CDs and L1CDs, STEs whose span covers it; Leaf=0 its L1STD', () => {
    const c = new ConfigCache(32);
    c.putSte(ste(9, 2)); // span 8..11
    c.putSte(ste(10));
    c.putSte(ste(12));
    c.putCd(cd(10, 0));
    c.putL1(l1('l1cd', 10, 0));
    c.putCd(cd(12, 0));
    c.putL1(l1('l1std', -1, 0)); // SIDs 0..15 with SPLIT 4
    c.putL1(l1('l1std', -1, 1));
    expect(c.invalidateSte(10, true, 4)).toBe(4);
    expect(names(c)).toEqual(['ste:12', 'cd:12/0', 'l1std:-1/0', 'l1std:-1/1']);
    expect(c.invalidateSte(12, false, 4)).toBe(3); // STE, CD, L1STD[12 >> 4 = 0]
    expect(names(c)).toEqual(['l1std:-1/1']);
    expect(c.invalidateSte(17, false, undefined)).toBe(0); // linear table: no L1STDs
  });

  it('CFGI_CD: one CD; Leaf=0 also the L1CD that covers it (or every L1CD if unknown)', () => {
    const c = new ConfigCache(32);
    c.putCd(cd(1, 3));
    c.putCd(cd(1, 4));
    c.putCd(cd(2, 3));
    c.putL1(l1('l1cd', 1, 0));
    c.putL1(l1('l1cd', 1, 1));
    c.putL1(l1('l1cd', 2, 0));
    expect(c.invalidateCd(1, 3, true, 0)).toBe(1);
    expect(c.invalidateCd(1, 4, false, 1)).toBe(2);
    expect(names(c)).toEqual(['cd:2/3', 'l1cd:1/0', 'l1cd:2/0']);
    expect(c.invalidateCd(1, 9, false, undefined)).toBe(1); // the remaining L1CD of SID 1
    expect(c.invalidateAllCds(2)).toBe(2);
    expect(c.size).toBe(0);
  });

  it('CFGI_STE_RANGE: SIDs in [first, last], their L1STDs, STEs whose span overlaps', () => {
    const c = new ConfigCache(32);
    for (const sid of [3, 4, 7, 8]) c.putSte(ste(sid));
    c.putSte(ste(13, 2)); // span 12..15
    c.putCd(cd(4, 0));
    for (const i of [0, 1, 2, 3]) c.putL1(l1('l1std', -1, i)); // SPLIT 2: 4 SIDs each
    expect(c.invalidateRange(4, 7, 2)).toBe(4); // STEs 4, 7, CD 4/0, L1STD[1]
    expect(names(c).filter((n) => n.startsWith('ste'))).toEqual(['ste:3', 'ste:8', 'ste:13']);
    expect(c.invalidateRange(11, 11, 2)).toBe(1); // L1STD[2] only: 13's span starts at 12
    // No SPLIT (a linear table, which has no L1STDs): any L1STD goes; 13's span 12..15 overlaps.
    expect(c.invalidateRange(10, 12, undefined)).toBe(3);
    expect(c.invalidateRange(16, 20, undefined)).toBe(0);
    expect(names(c)).toEqual(['ste:3', 'ste:8']);
  });

  it('clone copies entries and their LRU order; the copy changes alone', () => {
    const c = new ConfigCache(2);
    c.putSte(ste(1, 1));
    c.putSte(ste(2));
    c.ste(1);
    const d = c.clone();
    expect(names(d)).toEqual(['ste:2', 'ste:1']);
    expect(d.steCovering(0, 32).map((e) => e.sid)).toEqual([1]);
    d.putSte(ste(3));
    expect(names(d)).toEqual(['ste:1', 'ste:3']);
    expect(names(c)).toEqual(['ste:2', 'ste:1']);
  });
});
