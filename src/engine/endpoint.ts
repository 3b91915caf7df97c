// A PCIe endpoint with ATS (§3.9; PCIe ATS/PRI): it looks in its ATC, sends a Translation Request
// on a miss, caches the completion, and issues the access with the translated address (which
// passes the SMMU untranslated with STE.EATS=0b01, unless SMMUEN=0 or CR0.ATSCHK=1 make the SMMU
// check it: translated.ts). A denied completion (R=W=0) is where PRI takes over; the page request
// itself is `Smmu.recordPageRequest`.
import { hex, ones } from './bits.ts';
import type { Smmu } from './smmu.ts';
import { changedSources, type ChangedWord } from './stale.ts';
import { translate, type Translation } from './translate.ts';
import { translatedTransaction } from './translated.ts';
import type { Access, Transaction } from './transaction.ts';

export type AtsAccess =
  | {
      readonly kind: 'translated';
      readonly pa: bigint;
      readonly atcHit: boolean;
      readonly translation?: Translation;
      /** An ATC hit on a stale entry: the source words memory no longer holds (ATC_INV missing). */
      readonly stale?: readonly ChangedWord[];
    }
  /** The completion granted nothing usable for this access: R=W=0, or too few permissions. */
  | { readonly kind: 'denied'; readonly translation: Translation; readonly why: string }
  /** The request itself failed (UR/CA): configuration errors, ATS disabled. */
  | { readonly kind: 'error'; readonly translation: Translation; readonly why: string };

const allows = (p: { read: boolean; write: boolean; exec: boolean }, a: Access): boolean =>
  a === 'w' ? p.write : a === 'x' ? p.exec && p.read : p.read;

export function atsAccess(smmu: Smmu, txn: Transaction, trace = true): AtsAccess {
  const hit = smmu.atc.lookup(txn.sid, txn.ssid, txn.addr);
  if (hit && allows(hit, txn.access)) {
    const pa = hit.pa | (txn.addr & ones(hit.sizeShift));
    // The access goes out marked Translated; SMMUEN=0 or CR0.ATSCHK=1 make the SMMU check it.
    const checked = translatedTransaction(smmu, txn, pa, trace);
    if (checked && checked.outcome.type !== 'translated') {
      const o = checked.outcome;
      const why = o.type === 'aborted' ? o.reason : o.type === 'fault' ? o.event.name : o.type;
      return { kind: 'error', translation: checked, why };
    }
    const changed = trace ? changedSources(hit.src, smmu.mem) : [];
    return {
      kind: 'translated',
      pa,
      atcHit: true,
      ...(checked ? { translation: checked } : {}),
      ...(changed.length ? { stale: changed } : {}),
    };
  }
  const t = translate(smmu, txn, { ats: true, trace });
  const o = t.outcome;
  if (o.type !== 'translated') {
    const why = o.type === 'aborted' ? o.reason : o.type;
    // Translation faults complete "Success, R=W=0"; configuration errors complete with CA/UR.
    const denied =
      o.type === 'aborted' && o.event !== undefined && o.event.id >= 0x10 && o.event.id <= 0x13;
    return denied
      ? { kind: 'denied', translation: t, why }
      : { kind: 'error', translation: t, why };
  }
  const perms = o.perms ?? { read: true, write: true, exec: true };
  const sizeShift = Math.max(12, Math.min(o.sizeShift ?? 12, 21));
  smmu.atc.insert({
    sid: txn.sid,
    ssid: txn.ssid,
    ia: txn.addr & ~ones(sizeShift),
    sizeShift,
    pa: o.pa & ~ones(sizeShift),
    ...perms,
    priv: txn.priv,
    src: t.src ?? [],
  });
  if (!allows(perms, txn.access)) {
    return {
      kind: 'denied',
      translation: t,
      why: `completion grants ${perms.read ? 'R' : ''}${perms.write ? 'W' : ''}${perms.exec ? 'X' : ''} only at ${hex(txn.addr)}`,
    };
  }
  return { kind: 'translated', pa: o.pa, atcHit: false, translation: t };
}
