// Event records (§7.3): 32 bytes, 4 dwords. Names and IDs as in the spec (Linux EVT_ID_*,
// QEMU SMMUEventType); field positions from §7.3 and Linux EVTQ_* masks.
import { f, getBool, getField, getNum, setField, type FieldTable } from './bits.ts';

export const EVENT_DWORDS = 4;
export const EVENT_BYTES = 32n;

export const EVENT_ID = {
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
} as const;

export type EventName = keyof typeof EVENT_ID;

const NAME_BY_ID = new Map<number, EventName>(
  Object.entries(EVENT_ID).map(([k, v]) => [v, k as EventName]),
);

export function eventName(id: number): string {
  if (id >= 0xe0 && id <= 0xef) return `IMPDEF_EVENT${id - 0xe0}`;
  return NAME_BY_ID.get(id) ?? `UNKNOWN_0x${id.toString(16).padStart(2, '0')}`;
}

/** The four faults that CD.A/R/S (and STE.S2R/S2S) govern; the only ones that can stall. */
export const TRANSLATION_FAULTS: readonly EventName[] = [
  'F_TRANSLATION',
  'F_ADDR_SIZE',
  'F_ACCESS',
  'F_PERMISSION',
];

export const EVTQ = {
  EventID: f(0, 7, 0),
  SSV: f(0, 11),
  SubstreamID: f(0, 31, 12),
  StreamID: f(0, 63, 32),
  STAG: f(1, 15, 0),
  Reason: f(1, 15, 0),
  Stall: f(1, 31),
  PnU: f(1, 33),
  InD: f(1, 34),
  RnW: f(1, 35),
  S2: f(1, 39),
  CLASS: f(1, 41, 40),
  TTRnW: f(1, 44),
  InputAddr: f(2, 63, 0),
  IPA: f(3, 55, 12),
  FetchAddr: f(3, 55, 3),
} as const satisfies FieldTable;

/** EVTQ CLASS: which part of the translation faulted. */
export const EVENT_CLASS = { CD: 0, TT: 1, IN: 2 } as const;
export type EventClass = 'CD' | 'TT' | 'IN';
export const CLASS_NAMES: readonly string[] = ['CD', 'TT', 'IN', 'reserved'];

/**
 * Reason (§7.3.2, §7.3.4: bits [79:64], i.e. dw1[15:0]): the IMPLEMENTATION DEFINED cause that
 * F_UUT, the fetch aborts (F_STE_FETCH, F_CD_FETCH, F_VMS_FETCH, F_WALK_EABT) and the conflict
 * events carry. It shares dw1[15:0] with STAG, which only the four translation faults use: a
 * record type defines one or the other (eventParts), and EVTQ names both. The conflict events'
 * figures are images; dw1[15:0] there follows smmuv3.md §5.1.
 */
export const EVTQ_REASON = EVTQ.Reason;

/** An event record as fields (the decoded view; `encodeEvent` gives the raw dwords). */
export interface EventRecord {
  readonly name: string;
  readonly id: number;
  readonly sid: number;
  readonly ssv: boolean;
  readonly ssid: number;
  readonly stall: boolean;
  readonly stag: number;
  readonly rnw: boolean;
  readonly pnu: boolean;
  readonly ind: boolean;
  readonly s2: boolean;
  readonly class: EventClass;
  readonly ttrnw: boolean;
  readonly addr: bigint;
  readonly ipa: bigint;
  readonly fetchAddr: bigint;
  /** IMPLEMENTATION DEFINED cause (EVTQ_REASON); this model's own events always write 0. */
  readonly reason: number;
}

export type EventInit = Partial<Omit<EventRecord, 'name' | 'id'>> & { id: number; sid: number };

/** dw3 carries IPA[55:12] and FetchAddr[55:3] only (§7.3.13, §7.3.4): bits below are not kept. */
const IPA_BITS = ((1n << 56n) - 1n) & ~0xfffn;
const FETCH_BITS = ((1n << 56n) - 1n) & ~7n;

/**
 * An event record from its fields. `ipa` and `fetchAddr` keep only the bits the record has room
 * for, so the fields always say what the dwords say (a stage-2 fault's IPA[11:0] is not in the
 * record, and must not appear in the JSON or the UI as if it were).
 */
export function makeEvent(init: EventInit): EventRecord {
  return {
    ssv: false,
    ssid: 0,
    stall: false,
    stag: 0,
    rnw: false,
    pnu: false,
    ind: false,
    s2: false,
    class: 'IN',
    ttrnw: false,
    addr: 0n,
    reason: 0,
    ...init,
    ipa: (init.ipa ?? 0n) & IPA_BITS,
    fetchAddr: (init.fetchAddr ?? 0n) & FETCH_BITS,
    name: eventName(init.id),
  };
}

/** The groups of fields an event type can define; anything not listed for a type is RES0. */
export type EventPart =
  | 'ssv' // SSV + SubstreamID (dw0)
  | 'ssid' // SubstreamID without SSV (C_BAD_SUBSTREAMID)
  | 'stall' // Stall, and STAG when stalled
  | 'rnw' // RnW alone
  | 'access' // RnW, InD, PnU
  | 's2'
  | 'class'
  | 'ttrnw' // F_PERMISSION with CLASS=TT only
  | 'addr' // InputAddr[63:0]
  | 'page' // InputAddr[63:12] (F_BAD_ATS_TREQ)
  | 'ipa' // IPA, when S2=1
  | 'fetch' // FetchAddr[55:3]
  | 'reason';

const TRANSLATION: readonly EventPart[] = ['ssv', 'stall', 'access', 's2', 'class', 'addr', 'ipa'];

/**
 * The fields each record type defines (SPEC §7.3.2–§7.3.20; spec-facts Q5; smmuv3.md §5.2).
 * F_UUT: InD/PnU are the incoming attributes (§7.3.2). F_TRANSL_FORBIDDEN: RnW dw1[35] and
 * InputAddr (§7.3.8). F_TLB_CONFLICT: both addresses, IPA valid when S2=1 (§7.3.17). QEMU's
 * smmuv3_record_event writes the same sets for 0x01 and 0x07. E_PAGE_REQUEST's layout is an
 * image in every copy: only dw0. IMPDEF and unknown IDs: only dw0.
 */
const LAYOUT: ReadonlyMap<number, readonly EventPart[]> = new Map<number, readonly EventPart[]>([
  [EVENT_ID.F_UUT, ['ssv', 'reason', 'access', 'addr']],
  [EVENT_ID.C_BAD_STREAMID, ['ssv']],
  [EVENT_ID.F_STE_FETCH, ['ssv', 'reason', 'fetch']],
  [EVENT_ID.C_BAD_STE, ['ssv']],
  // F_BAD_ATS_TREQ: InputAddr[63:12] in dw2[63:12], dw2[11:0] RES0 (SPEC 7.3.6 figure,
  // bits 159:140); its dw1 Span/R/W/X/P request fields are not modelled.
  [EVENT_ID.F_BAD_ATS_TREQ, ['ssv', 'page']],
  [EVENT_ID.F_STREAM_DISABLED, ['ssv']],
  [EVENT_ID.F_TRANSL_FORBIDDEN, ['ssv', 'rnw', 'addr']],
  // §7.3.9: the SubstreamID is always valid and dw0[11] is RES0 (no SSV qualifier).
  [EVENT_ID.C_BAD_SUBSTREAMID, ['ssid']],
  [EVENT_ID.F_CD_FETCH, ['ssv', 'reason', 'fetch']],
  [EVENT_ID.C_BAD_CD, ['ssv']],
  // F_WALK_EABT: no Stall/STAG (§7.3.12).
  [EVENT_ID.F_WALK_EABT, ['ssv', 'reason', 'access', 's2', 'class', 'addr', 'fetch']],
  [EVENT_ID.F_TRANSLATION, TRANSLATION],
  [EVENT_ID.F_ADDR_SIZE, TRANSLATION],
  [EVENT_ID.F_ACCESS, TRANSLATION],
  [EVENT_ID.F_PERMISSION, [...TRANSLATION, 'ttrnw']],
  [EVENT_ID.F_TLB_CONFLICT, ['ssv', 'reason', 'access', 's2', 'addr', 'ipa']],
  [EVENT_ID.F_CFG_CONFLICT, ['ssv', 'reason']],
  [EVENT_ID.E_PAGE_REQUEST, ['ssv']],
  [EVENT_ID.F_VMS_FETCH, ['ssv', 'reason', 'fetch']],
]);
const DW0_ONLY: readonly EventPart[] = ['ssv'];

/** The field groups an event ID defines (for decoders and the inspector). */
export const eventParts = (id: number): readonly EventPart[] => LAYOUT.get(id) ?? DW0_ONLY;

/** Raw dwords of a record. Only the fields the event type defines are written (§7.3.x). */
export function encodeEvent(e: EventRecord): bigint[] {
  const w = [0n, 0n, 0n, 0n];
  setField(w, EVTQ.EventID, e.id);
  setField(w, EVTQ.StreamID, e.sid);
  for (const part of eventParts(e.id)) {
    switch (part) {
      case 'ssv':
        setField(w, EVTQ.SSV, e.ssv);
        if (e.ssv) setField(w, EVTQ.SubstreamID, e.ssid);
        break;
      case 'ssid':
        setField(w, EVTQ.SubstreamID, e.ssid);
        break;
      case 'stall':
        setField(w, EVTQ.Stall, e.stall);
        if (e.stall) setField(w, EVTQ.STAG, e.stag);
        break;
      case 'rnw':
        setField(w, EVTQ.RnW, e.rnw);
        break;
      case 'access':
        setField(w, EVTQ.PnU, e.pnu);
        setField(w, EVTQ.InD, e.ind);
        setField(w, EVTQ.RnW, e.rnw);
        break;
      case 's2':
        setField(w, EVTQ.S2, e.s2);
        break;
      case 'class':
        setField(w, EVTQ.CLASS, EVENT_CLASS[e.class]);
        break;
      case 'ttrnw':
        if (e.class === 'TT') setField(w, EVTQ.TTRnW, e.ttrnw);
        break;
      case 'addr':
        setField(w, EVTQ.InputAddr, e.addr);
        break;
      case 'page':
        setField(w, EVTQ.InputAddr, e.addr & ~0xfffn);
        break;
      case 'ipa':
        // With S2=0 the IPA is UNKNOWN (spec-facts Q5): this model writes 0.
        if (e.s2) setField(w, EVTQ.IPA, e.ipa >> 12n);
        break;
      case 'fetch':
        setField(w, EVTQ.FetchAddr, e.fetchAddr >> 3n);
        break;
      case 'reason':
        setField(w, EVTQ_REASON, e.reason);
        break;
    }
  }
  return w;
}

/** Decodes raw dwords with the same rules (used by the log importer and the inspector). */
export function decodeEvent(w: readonly bigint[]): EventRecord {
  const id = getNum(w, EVTQ.EventID);
  const cls = getNum(w, EVTQ.CLASS);
  const ssv = getBool(w, EVTQ.SSV);
  return makeEvent({
    id,
    sid: getNum(w, EVTQ.StreamID),
    ssv,
    ssid: ssv || id === EVENT_ID.C_BAD_SUBSTREAMID ? getNum(w, EVTQ.SubstreamID) : 0,
    stall: getBool(w, EVTQ.Stall),
    stag: getNum(w, EVTQ.STAG),
    rnw: getBool(w, EVTQ.RnW),
    pnu: getBool(w, EVTQ.PnU),
    ind: getBool(w, EVTQ.InD),
    s2: getBool(w, EVTQ.S2),
    class: cls === 0 ? 'CD' : cls === 1 ? 'TT' : 'IN',
    ttrnw: getBool(w, EVTQ.TTRnW),
    addr: getField(w, EVTQ.InputAddr),
    ipa: getField(w, EVTQ.IPA) << 12n,
    fetchAddr: getField(w, EVTQ.FetchAddr) << 3n,
    // dw1[15:0] is STAG in the translation faults: Reason only where the type defines it.
    reason: eventParts(id).includes('reason') ? getNum(w, EVTQ_REASON) : 0,
  });
}

/** One-line meaning of an event, in the words a driver developer would use. */
export function eventMeaning(id: number): string {
  switch (id) {
    case EVENT_ID.C_BAD_STREAMID:
      return 'StreamID out of range, or its level-1 stream table descriptor is invalid';
    case EVENT_ID.F_STE_FETCH:
      return 'external abort while fetching the STE or L1STD';
    case EVENT_ID.C_BAD_STE:
      return 'the STE is invalid (V=0) or ILLEGAL';
    case EVENT_ID.F_STREAM_DISABLED:
      return 'substream traffic the STE does not allow (S1DSS)';
    case EVENT_ID.C_BAD_SUBSTREAMID:
      return 'SubstreamID out of range for the CD table, or its L1CD is invalid';
    case EVENT_ID.F_CD_FETCH:
      return 'external abort while fetching the CD or L1CD';
    case EVENT_ID.C_BAD_CD:
      return 'the CD is invalid (V=0) or ILLEGAL';
    case EVENT_ID.F_WALK_EABT:
      return 'external abort while fetching a translation table descriptor';
    case EVENT_ID.F_TRANSLATION:
      return 'no valid translation for the address';
    case EVENT_ID.F_ADDR_SIZE:
      return 'an address exceeded the configured size';
    case EVENT_ID.F_ACCESS:
      return 'access flag clear and not updated by hardware';
    case EVENT_ID.F_PERMISSION:
      return 'the access is not permitted by the descriptor';
    case EVENT_ID.F_BAD_ATS_TREQ:
      return 'an ATS Translation Request the stream does not allow (STE.EATS, bypass, SMMUEN=0)';
    case EVENT_ID.F_TRANSL_FORBIDDEN:
      return 'an ATS Translated transaction the stream does not allow (SMMUEN=0 or CR0.ATSCHK=1)';
    case EVENT_ID.F_TLB_CONFLICT:
      return 'the TLB lookup matched more than one entry (tables changed without TLBI)';
    case EVENT_ID.F_CFG_CONFLICT:
      return 'the STE lookup matched more than one cached STE through STE.CONT';
    default:
      return eventName(id);
  }
}
