// The event record field table and event IDs (smmuv3.md §5.1/§5.2, SPEC 7.3). Per-type records
// are in events-records.test.ts.
import { describe, expect, it } from 'vitest';
import { getField, setField } from './bits.ts';
import {
  CLASS_NAMES,
  EVENT_BYTES,
  EVENT_CLASS,
  EVENT_DWORDS,
  EVENT_ID,
  EVTQ,
  EVTQ_REASON,
  TRANSLATION_FAULTS,
  decodeEvent,
  encodeEvent,
  eventMeaning,
  eventName,
  makeEvent,
} from './events.ts';

type Pos = readonly [dw: number, hi: number, lo: number];
const U64 = (1n << 64n) - 1n;
const mask = (hi: number, lo: number): bigint => ((1n << BigInt(hi - lo + 1)) - 1n) << BigInt(lo);

// smmuv3.md §5.1. NSIPA (dw1[36], Secure only, UNCERTAIN) and GPCF (RME) are not modelled.
const REF: Record<string, Pos> = {
  EventID: [0, 7, 0],
  SSV: [0, 11, 11],
  SubstreamID: [0, 31, 12],
  StreamID: [0, 63, 32],
  STAG: [1, 15, 0],
  Reason: [1, 15, 0],
  Stall: [1, 31, 31],
  PnU: [1, 33, 33],
  InD: [1, 34, 34],
  RnW: [1, 35, 35],
  S2: [1, 39, 39],
  CLASS: [1, 41, 40],
  TTRnW: [1, 44, 44],
  InputAddr: [2, 63, 0],
  IPA: [3, 55, 12],
  FetchAddr: [3, 55, 3],
};

describe('EVTQ field table (smmuv3.md §5.1)', () => {
  it('an event record is 32 bytes, 4 dwords', () => {
    expect(EVENT_DWORDS).toBe(4);
    expect(EVENT_BYTES).toBe(32n);
  });

  it('names exactly the reference fields', () => {
    expect(Object.keys(EVTQ).sort()).toEqual(Object.keys(REF).sort());
  });

  it.each(Object.entries(REF).map(([n, p]) => [n, ...p] as const))(
    'EVTQ.%s occupies dw%i[%i:%i]',
    (name, dw, hi, lo) => {
      const fd = EVTQ[name as keyof typeof EVTQ];
      const words = [0n, 0n, 0n, 0n];
      setField(words, fd, U64);
      const expected = [0n, 0n, 0n, 0n];
      expected[dw] = mask(hi, lo);
      expect(words).toEqual(expected);
      expect(getField(words, fd)).toBe(mask(hi, lo) >> BigInt(lo));
    },
  );

  it('Reason is dw1[15:0] (SPEC-D 7.3.2 F_UUT and 7.3.4 F_STE_FETCH: bits [79:64])', () => {
    const words = [0n, 0n, 0n, 0n];
    setField(words, EVTQ_REASON, U64);
    expect(words).toEqual([0n, 0xffffn, 0n, 0n]);
  });

  it('only STAG/Reason (dw1) and IPA/FetchAddr (dw3) overlap: different event types use them', () => {
    const e = Object.entries(EVTQ);
    const out: string[] = [];
    for (let i = 0; i < e.length; i++)
      for (let j = i + 1; j < e.length; j++) {
        const [x, fx] = e[i]!;
        const [y, fy] = e[j]!;
        if (fx.dw === fy.dw && (mask(fx.hi, fx.lo) & mask(fy.hi, fy.lo)) !== 0n)
          out.push(`${x}/${y}`);
      }
    expect(out).toEqual(['STAG/Reason', 'IPA/FetchAddr']);
  });
});

describe('event IDs and names (smmuv3.md §5.2)', () => {
  it('uses the architected IDs', () => {
    expect(EVENT_ID).toEqual({
      F_UUT: 0x01,
      C_BAD_STREAMID: 0x02,
      F_STE_FETCH: 0x03,
      C_BAD_STE: 0x04,
      F_BAD_ATS_TREQ: 0x05,
      F_STREAM_DISABLED: 0x06,
      F_TRANSL_FORBIDDEN: 0x07,
      C_BAD_SUBSTREAMID: 0x08,
      F_CD_FETCH: 0x09,
      C_BAD_CD: 0x0a,
      F_WALK_EABT: 0x0b,
      F_TRANSLATION: 0x10,
      F_ADDR_SIZE: 0x11,
      F_ACCESS: 0x12,
      F_PERMISSION: 0x13,
      F_TLB_CONFLICT: 0x20,
      F_CFG_CONFLICT: 0x21,
      E_PAGE_REQUEST: 0x24,
      F_VMS_FETCH: 0x25,
    });
  });

  it('names IMPDEF events 0xE0–0xEF and anything unknown', () => {
    expect(eventName(0x0b)).toBe('F_WALK_EABT');
    expect(eventName(0xe0)).toBe('IMPDEF_EVENT0');
    expect(eventName(0xef)).toBe('IMPDEF_EVENT15');
    expect(eventName(0x30)).toBe('UNKNOWN_0x30');
  });

  it('only the four translation faults are subject to A/R/S; CLASS encodes CD/TT/IN', () => {
    expect(TRANSLATION_FAULTS).toEqual([
      'F_TRANSLATION',
      'F_ADDR_SIZE',
      'F_ACCESS',
      'F_PERMISSION',
    ]);
    expect(EVENT_CLASS).toEqual({ CD: 0, TT: 1, IN: 2 });
    expect(CLASS_NAMES).toEqual(['CD', 'TT', 'IN', 'reserved']);
  });
});

describe('eventMeaning (the one-line gloss shown beside an event)', () => {
  // Each gloss names what the spec says the event reports (§7.3): the structure or the check.
  const GIST: [keyof typeof EVENT_ID, RegExp][] = [
    ['C_BAD_STREAMID', /StreamID out of range.*level-1 stream table descriptor/],
    ['F_STE_FETCH', /external abort .*STE/],
    ['C_BAD_STE', /STE is invalid \(V=0\) or ILLEGAL/],
    ['F_STREAM_DISABLED', /substream .*S1DSS/],
    ['C_BAD_SUBSTREAMID', /SubstreamID out of range .*L1CD/],
    ['F_CD_FETCH', /external abort .*CD/],
    ['C_BAD_CD', /CD is invalid \(V=0\) or ILLEGAL/],
    ['F_WALK_EABT', /external abort .*translation table descriptor/],
    ['F_TRANSLATION', /no valid translation/],
    ['F_ADDR_SIZE', /exceeded the configured size/],
    ['F_ACCESS', /access flag clear/],
    ['F_PERMISSION', /not permitted/],
    ['F_BAD_ATS_TREQ', /ATS Translation Request .*EATS/],
    ['F_TRANSL_FORBIDDEN', /ATS Translated transaction .*ATSCHK/],
    ['F_TLB_CONFLICT', /TLB lookup matched more than one entry/],
    ['F_CFG_CONFLICT', /STE lookup matched more than one .*CONT/],
  ];
  it.each(GIST)('%s', (name, gist) => {
    expect(eventMeaning(EVENT_ID[name])).toMatch(gist);
  });

  it('the glosses are distinct; an event without one is shown by its name', () => {
    expect(new Set(GIST.map(([n]) => eventMeaning(EVENT_ID[n]))).size).toBe(GIST.length);
    expect(eventMeaning(EVENT_ID.F_UUT)).toBe('F_UUT');
    expect(eventMeaning(EVENT_ID.E_PAGE_REQUEST)).toBe('E_PAGE_REQUEST');
  });
});

describe('names and record layouts at their edges', () => {
  it('0xF0 is past the IMPDEF range; unknown IDs print two hex digits', () => {
    expect(eventName(0xf0)).toBe('UNKNOWN_0xf0');
    expect(eventName(0xdf)).toBe('UNKNOWN_0xdf');
    expect(eventName(0x0c)).toBe('UNKNOWN_0x0c');
  });

  it('a new record has TTRnW=0 and CLASS=IN until told otherwise', () => {
    const e = makeEvent({ id: EVENT_ID.F_TRANSLATION, sid: 1 });
    expect(e).toMatchObject({ ttrnw: false, class: 'IN', s2: false, stall: false, rnw: false });
  });

  // §7.3.3–§7.3.5: C_BAD_STREAMID and C_BAD_STE carry SSV and SubstreamID; F_STE_FETCH adds
  // Reason (dw1[15:0]) and FetchAddr (dw3[55:3]). SubstreamID is written only when SSV=1.
  const SID = 0x12n << 32n;
  it.each([
    ['C_BAD_STREAMID', 0x02n],
    ['C_BAD_STE', 0x04n],
  ] as const)('%s: SSV and SubstreamID, nothing else', (name, id) => {
    const e = makeEvent({
      id: EVENT_ID[name],
      sid: 0x12,
      ssv: true,
      ssid: 0x345,
      reason: 7,
      addr: 0x1000n,
      fetchAddr: 0x4000_0040n,
    });
    expect(encodeEvent(e)).toEqual([SID | (0x345n << 12n) | (1n << 11n) | id, 0n, 0n, 0n]);
    expect(encodeEvent({ ...e, ssv: false })).toEqual([SID | id, 0n, 0n, 0n]);
  });

  it('F_STE_FETCH: Reason and FetchAddr too', () => {
    const e = makeEvent({
      id: EVENT_ID.F_STE_FETCH,
      sid: 0x12,
      reason: 7,
      fetchAddr: 0x4000_0048n,
    });
    expect(encodeEvent(e)).toEqual([SID | 0x03n, 7n, 0n, 0x4000_0048n]);
    expect(decodeEvent(encodeEvent(e))).toMatchObject({ reason: 7, fetchAddr: 0x4000_0048n });
  });

  it('CLASS decodes 0b00 CD, 0b01 TT, 0b10 IN', () => {
    const w = (cls: bigint) => [0x10n, cls << 40n, 0n, 0n];
    expect([0n, 1n, 2n].map((c) => decodeEvent(w(c)).class)).toEqual(['CD', 'TT', 'IN']);
  });
});
