// The log importer's view: a summary (records, distinct events, rates per StreamID, what was
// skipped), then the log's lines that matter in their order — each distinct event (a storm is
// one row with its count) with its spec fields and a Reproduce button, and the driver's other
// messages explained in place — and last what could not be read.
import { Fragment, useMemo, useState } from 'react';
import { hex } from '../../engine/index.ts';
import {
  explainNote,
  planEvent,
  ratesBySid,
  type DmesgOk,
  type EventGroup,
  type LogNote,
  type Plan,
} from '../../logs/index.ts';
import { EventDetails, span } from './EventDetails.tsx';

/** Rows drawn at first; the rest come with "Show more" (the DOM stays small for huge logs). */
const PAGE = 100;

type Row =
  | {
      readonly kind: 'event';
      readonly line: number;
      readonly g: EventGroup;
      readonly index: number;
    }
  | { readonly kind: 'note'; readonly line: number; readonly n: LogNote };

const access = (g: EventGroup): string => {
  const r = g.first.record;
  return `${r.pnu ? 'priv' : 'unpriv'} ${r.ind ? 'inst' : 'data'} ${r.rnw ? 'read' : 'write'}`;
};

const whyNot = (plan: Plan, replay: string | undefined): string | undefined =>
  plan.ok ? replay : plan.why;

const hasAccess = (id: number): boolean => id === 0x01 || id === 0x0b || (id >= 0x10 && id <= 0x13);

interface Props {
  readonly log: DmesgOk;
  readonly groups: readonly EventGroup[];
  readonly ms: number;
  /** Why each group cannot be reproduced, once a replay was tried. */
  readonly replayWhy: ReadonlyMap<number, string>;
  readonly busy: number | undefined;
  readonly onReproduce: (group: number) => void;
}

export function LogView({ log, groups, ms, replayWhy, busy, onReproduce }: Props) {
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const [shown, setShown] = useState(PAGE);
  const plans = useMemo(() => groups.map((g) => planEvent(g.first)), [groups]);
  const rows = useMemo<Row[]>(() => {
    const all: Row[] = [
      ...groups.map((g, index) => ({ kind: 'event' as const, line: g.firstLine, g, index })),
      ...log.other.map((n) => ({ kind: 'note' as const, line: n.line, n })),
    ];
    return all.sort((a, b) => a.line - b.line);
  }, [groups, log.other]);
  const rates = useMemo(() => ratesBySid(groups).filter((r) => r.rate !== undefined), [groups]);
  const toggle = (i: number) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(i)) n.delete(i);
      else n.add(i);
      return n;
    });
  const records = log.events.length;
  return (
    <div className="imp-log">
      <p className="imp-summary" data-testid="import-summary">
        {records.toLocaleString('en')} event record{records === 1 ? '' : 's'}
        {records > groups.length ? ` (${groups.length.toLocaleString('en')} distinct)` : ''},{' '}
        {log.other.length.toLocaleString('en')} other driver message
        {log.other.length === 1 ? '' : 's'}; {log.used.toLocaleString('en')} of{' '}
        {log.lines.toLocaleString('en')} lines used
        {log.skipped.length ? `, ${log.skipped.length} item(s) skipped (below)` : ''}; read in{' '}
        {Math.max(1, Math.round(ms))} ms.
      </p>
      {rates.length > 0 && (
        <p className="imp-muted">
          Rate per StreamID:{' '}
          {rates
            .map(
              (r) =>
                `SID ${hex(r.sid)} ${r.count.toLocaleString('en')} records, ${r.rate!.toLocaleString('en', { maximumFractionDigits: 1 })}/s`,
            )
            .join('; ')}
          .
        </p>
      )}
      <table className="imp-table" aria-label="Events and driver messages">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Event</th>
            <th scope="col">SID</th>
            <th scope="col">SSID</th>
            <th scope="col">Address</th>
            <th scope="col">Access</th>
            <th scope="col">Stall</th>
            <th scope="col">Count</th>
            <th scope="col">
              <span className="sr-only">Reproduce</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, shown).map((row) =>
            row.kind === 'note' ? (
              <NoteRow key={`n${row.line}`} n={row.n} />
            ) : (
              <Fragment key={`e${row.index}`}>
                <EventRow
                  g={row.g}
                  index={row.index}
                  open={open.has(row.index)}
                  onToggle={() => toggle(row.index)}
                  why={whyNot(plans[row.index]!, replayWhy.get(row.index))}
                  busy={busy === row.index}
                  onReproduce={() => onReproduce(row.index)}
                />
                {open.has(row.index) && (
                  <tr className="imp-open">
                    <td colSpan={9}>
                      <EventDetails g={row.g} plan={plans[row.index]!} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ),
          )}
        </tbody>
      </table>
      {rows.length > shown && (
        <button type="button" className="btn" onClick={() => setShown((n) => n + PAGE * 5)}>
          Show more ({(rows.length - shown).toLocaleString('en')} rows left)
        </button>
      )}
      {(log.skipped.length > 0 || log.warnings.length > 0) && (
        <section className="imp-skipped" aria-label="Not read">
          <h3>Not read, or read with a caveat</h3>
          <ul data-testid="import-skipped">
            {log.skipped.map((s) => (
              <li key={s.message}>{s.message}</li>
            ))}
            {log.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function EventRow(p: {
  g: EventGroup;
  index: number;
  open: boolean;
  onToggle: () => void;
  why: string | undefined;
  busy: boolean;
  onReproduce: () => void;
}) {
  const r = p.g.first.record;
  const id = p.g.first.record.id;
  return (
    <tr className="imp-event" data-testid={`import-event-${p.index}`}>
      <td>
        <button
          type="button"
          className="imp-expand"
          aria-expanded={p.open}
          aria-label={`Details of ${r.name} on line ${p.g.firstLine}`}
          onClick={p.onToggle}
        >
          {p.open ? '▾' : '▸'} {p.g.firstLine}
        </button>
        {p.g.first.timestamp !== undefined && (
          <div className="imp-muted mono">{p.g.first.timestamp}</div>
        )}
      </td>
      <td className="mono">
        {r.name}
        {p.g.first.missing && (
          <div className="imp-warn">dw{p.g.first.missing.join(', dw')} missing</div>
        )}
      </td>
      <td className="mono" data-testid="import-sid">
        {hex(r.sid)}
      </td>
      <td className="mono">{r.ssv || id === 0x08 ? r.ssid : '—'}</td>
      <td className="mono">{hasAccess(id) ? hex(r.addr) : '—'}</td>
      <td>{hasAccess(id) ? access(p.g) : '—'}</td>
      <td className="mono">{r.stall ? `STAG ${hex(r.stag)}` : '—'}</td>
      <td>
        {p.g.count > 1 ? `×${p.g.count.toLocaleString('en')}` : ''}
        {p.g.count > 1 && span(p.g) && <div className="imp-muted imp-why">{span(p.g)}</div>}
      </td>
      <td>
        <button
          type="button"
          className="btn"
          disabled={p.why !== undefined || p.busy}
          title={p.why ? `Cannot reproduce: ${p.why}` : 'Build a scenario that raises this event'}
          onClick={p.onReproduce}
          data-testid={`reproduce-${p.index}`}
        >
          {p.busy ? 'Building…' : 'Reproduce'}
        </button>
        {p.why && <div className="imp-muted imp-why">{p.why}</div>}
      </td>
    </tr>
  );
}

function NoteRow({ n }: { n: LogNote }) {
  const sentences = explainNote(n);
  return (
    <tr className="imp-note" data-testid={`import-note-${n.kind}`}>
      <td>{n.line}</td>
      <td colSpan={8}>
        <span className="mono">{n.text}</span>
        {n.kind === 'cmdq-error' && n.skipped?.command && (
          <span className="mono"> — skipped {n.skipped.command.name}</span>
        )}
        {sentences.length > 0 && (
          <ul className="imp-explain">
            {sentences.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}
