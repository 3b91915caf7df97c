// A fault step's event record: every field of the EVTQ table, the four raw dwords, and where the
// record went (event queue slot N at PA, or why it was not recorded; a stall's tag).
import { hex } from '../../engine/index.ts';
import {
  decodeAs,
  eventWords,
  FAULT_LABEL,
  type FaultKind,
  type FlowStep,
} from '../../diagram/index.ts';
import { DecodedWords } from './Decoded.tsx';

export function EventRecordView({ s, kind }: { s: FlowStep; kind: FaultKind | undefined }) {
  const words = eventWords(s);
  if (!words) return null;
  const d = decodeAs('event', words);
  if (!d) return null;
  const t = s.trace;
  const ev = t?.kind === 'event' ? t : undefined;
  const slot = t ? ev?.eventSlot : /slot (\d+)/.exec(s.detail)?.[1];
  const pa = t ? ev?.eventPa : s.pa;
  const stall = ((words[1] ?? 0n) >> 31n) & 1n;
  const stag = Number((words[1] ?? 0n) & 0xffffn);
  const where =
    slot !== undefined
      ? `Written to event queue slot ${slot}${pa !== undefined ? ` at ${hex(pa)}` : ''}.`
      : t
        ? 'Not recorded: built, but not written to the event queue (why: above).'
        : `Not recorded: ${s.detail}`;
  return (
    <section
      className={`stp-event ${slot !== undefined ? 'written' : 'lost'}`}
      data-testid="event-record"
      data-written={slot !== undefined ? 'true' : 'false'}
      aria-label="Event record"
    >
      <p className="stp-event-where" data-testid="event-where">
        <span className="stp-fault-tag">{kind ? FAULT_LABEL[kind] : 'event'}</span> {where}
        {stall === 1n && (
          <span data-testid="event-stall">
            {' '}
            Stall=1, STAG {stag}: the transaction waits for CMD_RESUME (or CMD_STALL_TERM).
          </span>
        )}
      </p>
      <DecodedWords
        d={d}
        testid="event-fields"
        showAll
        caption={`Event record being built: ${ev?.event.name ?? s.title}`}
      />
    </section>
  );
}
