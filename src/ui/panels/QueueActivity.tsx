// What went through the queues: the commands the op at the cursor made the SMMU consume (with
// their effect), the events and page requests it produced, then the same for the ops before it,
// so the last CMD_SYNC is never far away. Each entry opens its slot in the inspector.
import {
  eventMeaning,
  hex,
  type ConsumedCommand,
  type WrittenEvent,
  type WrittenPageRequest,
} from '../../engine/index.ts';
import type { OpRecord } from '../../scenario/index.ts';
import type { Selection } from '../../state/index.ts';
import { opLabel } from './format.ts';
import { hexSid } from '../../diagram/index.ts';

/** How many ops with queue activity to list (the cursor's op always comes first). */
const MAX_OPS = 4;

const hasActivity = (r: OpRecord) =>
  r.commands.length + r.events.length + r.pageRequests.length > 0;

interface Props {
  readonly records: readonly OpRecord[];
  readonly cursor: number;
  readonly onSelect: (sel: Selection) => void;
}

export function QueueActivity({ records, cursor, onSelect }: Props) {
  const current = records[cursor];
  const earlier: OpRecord[] = [];
  for (let i = cursor - 1; i >= 0 && earlier.length < MAX_OPS - 1; i--) {
    const r = records[i]!;
    if (hasActivity(r)) earlier.push(r);
  }
  return (
    <section className="qact" aria-label="Queue activity" data-testid="queue-activity">
      {current ? (
        <OpActivity r={current} now onSelect={onSelect} />
      ) : (
        <p className="muted">After boot: the driver’s probe commands are boot history.</p>
      )}
      {earlier.length > 0 && <h4 className="qact-earlier">Earlier ops</h4>}
      {earlier.map((r) => (
        <OpActivity key={r.index} r={r} now={false} onSelect={onSelect} />
      ))}
    </section>
  );
}

function OpActivity({
  r,
  now,
  onSelect,
}: {
  r: OpRecord;
  now: boolean;
  onSelect: (s: Selection) => void;
}) {
  const none = !hasActivity(r);
  return (
    <div className={now ? 'qact-op now' : 'qact-op'} data-testid={`activity-op-${r.index}`}>
      <div className="qact-head">
        op #{r.index} <span className="mono">{opLabel(r.op)}</span>
        {now && <span className="tag">this op</span>}
      </div>
      {none && <p className="muted">No commands consumed, no events, no page requests.</p>}
      <ul>
        {r.commands.map((c, k) => (
          <CommandItem key={`c${k}`} c={c} id={`cmd-${r.index}-${k}`} onSelect={onSelect} />
        ))}
        {r.events.map((e, k) => (
          <EventItem key={`e${k}`} e={e} id={`event-${r.index}-${k}`} onSelect={onSelect} />
        ))}
        {r.pageRequests.map((p, k) => (
          <PriItem key={`p${k}`} p={p} id={`pri-${r.index}-${k}`} onSelect={onSelect} />
        ))}
      </ul>
    </div>
  );
}

function CommandItem({
  c,
  id,
  onSelect,
}: {
  c: ConsumedCommand;
  id: string;
  onSelect: (s: Selection) => void;
}) {
  const name = c.command?.name ?? 'illegal command';
  return (
    <li data-testid={id}>
      <button
        type="button"
        className="qitem"
        onClick={() =>
          onSelect({
            kind: 'memory',
            struct: 'command',
            pa: c.pa,
            title: `CMDQ[${c.index}] ${name}`,
          })
        }
      >
        <span className="qk cmd">CMDQ[{c.index}]</span> <strong className="mono">{name}</strong>
        <span className="qeff">
          {c.error ? `${c.error}: ` : ''}
          {c.effect}
        </span>
      </button>
    </li>
  );
}

function EventItem({
  e,
  id,
  onSelect,
}: {
  e: WrittenEvent;
  id: string;
  onSelect: (s: Selection) => void;
}) {
  const ev = e.event;
  const where = e.slot !== undefined ? `EVTQ[${e.slot}]` : 'not queued';
  const body = (
    <>
      <span className="qk evt">{where}</span> <strong className="mono">{ev.name}</strong>{' '}
      <span className="mono">
        SID {hexSid(ev.sid)}
        {ev.ssv ? ` SSID ${ev.ssid}` : ''} {ev.addr ? hex(ev.addr) : ''}
      </span>
      <span className="qeff">
        {eventMeaning(ev.id)}
        {ev.stall ? ` · stalled, STAG ${ev.stag}` : ''}
        {!e.written && e.reason ? ` · ${e.reason}` : ''}
      </span>
    </>
  );
  const pa = e.pa;
  return (
    <li data-testid={id}>
      {pa !== undefined ? (
        <button
          type="button"
          className="qitem"
          onClick={() =>
            onSelect({ kind: 'memory', struct: 'event', pa, title: `${where} ${ev.name}` })
          }
        >
          {body}
        </button>
      ) : (
        <div className="qitem">{body}</div>
      )}
    </li>
  );
}

function PriItem({
  p,
  id,
  onSelect,
}: {
  p: WrittenPageRequest;
  id: string;
  onSelect: (s: Selection) => void;
}) {
  const q = p.request;
  const where = p.slot !== undefined ? `PRIQ[${p.slot}]` : 'not queued';
  const access = `${q.read ? 'R' : ''}${q.write ? 'W' : ''}${q.exec ? 'X' : ''}`;
  const body = (
    <>
      <span className="qk pri">{where}</span> <strong className="mono">page request</strong>{' '}
      <span className="mono">
        SID {hexSid(q.sid)}
        {q.ssv ? ` PASID ${q.ssid}` : ''} {access} {hex(q.addr)} PRG {q.prgIndex}
        {q.last ? ' Last' : ''}
      </span>
      <span className="qeff">
        {p.autoResponse !== undefined
          ? `answered automatically (Resp ${p.autoResponse})`
          : 'for the kernel’s I/O page-fault handler'}
      </span>
    </>
  );
  const pa = p.pa;
  return (
    <li data-testid={id}>
      {pa !== undefined ? (
        <button
          type="button"
          className="qitem"
          onClick={() =>
            onSelect({ kind: 'memory', struct: 'pri', pa, title: `${where} page request` })
          }
        >
          {body}
        </button>
      ) : (
        <div className="qitem">{body}</div>
      )}
    </li>
  );
}
