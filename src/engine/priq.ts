// PRI queue records (§8.1): 16 bytes — a PCIe Page Request as the SMMU stores it.
// Positions: spec §8.1, Linux PRIQ_0_* / PRIQ_1_* masks.
import { f, getBool, getField, getNum, setField, type FieldTable } from './bits.ts';

export const PRI_DWORDS = 2;
export const PRI_BYTES = 16n;

export const PRIQ = {
  StreamID: f(0, 31, 0),
  SubstreamID: f(0, 51, 32),
  Priv: f(0, 58),
  Exec: f(0, 59),
  Read: f(0, 60),
  Write: f(0, 61),
  Last: f(0, 62),
  SSV: f(0, 63),
  PRGIndex: f(1, 8, 0),
  PageAddress: f(1, 63, 12),
} as const satisfies FieldTable;

export interface PageRequest {
  readonly sid: number;
  readonly ssv: boolean;
  readonly ssid: number;
  readonly priv: boolean;
  readonly exec: boolean;
  readonly read: boolean;
  readonly write: boolean;
  readonly last: boolean;
  readonly prgIndex: number;
  /** Page-aligned address. */
  readonly addr: bigint;
}

export function encodePageRequest(r: PageRequest): bigint[] {
  const w = [0n, 0n];
  setField(w, PRIQ.StreamID, r.sid);
  setField(w, PRIQ.SSV, r.ssv);
  if (r.ssv) setField(w, PRIQ.SubstreamID, r.ssid);
  // Without a PASID, the Exec and Priv bits are 0 (§8.1).
  setField(w, PRIQ.Priv, r.ssv && r.priv);
  setField(w, PRIQ.Exec, r.ssv && r.exec);
  setField(w, PRIQ.Read, r.read);
  setField(w, PRIQ.Write, r.write);
  setField(w, PRIQ.Last, r.last);
  setField(w, PRIQ.PRGIndex, r.prgIndex);
  setField(w, PRIQ.PageAddress, r.addr >> 12n);
  return w;
}

export function decodePageRequest(w: readonly bigint[]): PageRequest {
  const ssv = getBool(w, PRIQ.SSV);
  return {
    sid: getNum(w, PRIQ.StreamID),
    ssv,
    ssid: ssv ? getNum(w, PRIQ.SubstreamID) : 0,
    priv: getBool(w, PRIQ.Priv),
    exec: getBool(w, PRIQ.Exec),
    read: getBool(w, PRIQ.Read),
    write: getBool(w, PRIQ.Write),
    last: getBool(w, PRIQ.Last),
    prgIndex: getNum(w, PRIQ.PRGIndex),
    addr: getField(w, PRIQ.PageAddress) << 12n,
  };
}
