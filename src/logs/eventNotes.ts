// Caveats to show next to a decoded event: fields the spec leaves UNKNOWN for this record, which
// a reader of the raw dwords could otherwise take at face value (spec-facts.md Q5).
import { EVENT_ID, EVTQ, getField, hex, type EventRecord } from '../engine/index.ts';
import { strayBits } from './fields.ts';

const TRANSLATION_IDS = new Set<number>([0x10, 0x11, 0x12, 0x13]);

export function eventNotes(rec: EventRecord, raw: readonly bigint[], classIndex: number): string[] {
  const notes: string[] = [];
  const ssidBits = getField(raw, EVTQ.SubstreamID);
  if (rec.id === EVENT_ID.C_BAD_SUBSTREAMID)
    notes.push(
      'C_BAD_SUBSTREAMID has no SSV bit: its SubstreamID is always valid (Linux ≥ v6.15 still prints ssid 0x0)',
    );
  else if (!rec.ssv && ssidBits !== 0n)
    notes.push(`SSV=0: dw0[31:12] = ${hex(ssidBits)} is UNKNOWN, not a SubstreamID`);
  if (TRANSLATION_IDS.has(rec.id)) {
    // With S2=0 the IPA field is UNKNOWN (SPEC 7.3.13-16); sample 01's hardware leaves the input
    // address there, and the kernel prints it as "ipa:" anyway.
    if (!rec.s2 && getField(raw, EVTQ.IPA) !== 0n)
      notes.push(`S2=0: the IPA field (${hex(rec.ipa)}) is UNKNOWN for a stage-1 fault`);
    if (!rec.stall && rec.stag !== 0)
      notes.push(`Stall=0: STAG ${hex(rec.stag)} is not a resume token`);
  }
  if (classIndex === 3) notes.push('CLASS=3 is reserved');
  // The IPA of a stage-1 fault is reported above; other set bits outside the event's fields:
  const stray = strayBits(rec.id, raw).filter(
    (b) => !(TRANSLATION_IDS.has(rec.id) && !rec.s2 && b.startsWith('dw3')),
  );
  if (stray.length)
    notes.push(
      `${stray.join(', ')} ${stray.length === 1 ? 'is' : 'are'} set outside the fields ${rec.name} defines (RES0 or another event type's field): not part of this event`,
    );
  return notes;
}
