// The timeline: boot, then one row per op with what it returned. Clicking a row (or j/k, ↑/↓ with
// the list focused) moves the cursor: the diagram and panels show the world after that op. The
// op at the cursor can be moved (Alt+↑/↓) or deleted (Delete); the rest replays, so errors that
// appear downstream show at once. A row's kernel notes expand under it.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { needsKernel, type OpDoc, type OpRecord } from '../../scenario/index.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import { opSummary, recordResult, type ResultText } from './describe.ts';
import './timeline.css';

type FocusTarget = 'main' | 'up' | 'down' | 'notes';

export function TimelinePanel() {
  const store = useAppStore();
  const timeline = useApp((s) => s.timeline);
  const ops = useApp((s) => s.doc.ops);
  const cursor = useApp((s) => s.cursor.op);
  const kernel = useApp((s) => s.doc.kernel ?? 'rfc2017');
  const records = timeline.records;
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set());
  const [announce, setAnnounce] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  const focusInside = useRef(false);
  const focusNext = useRef<FocusTarget | null>(null);
  const prevFailing = useRef<{ keys: ReadonlySet<string>; length: number } | null>(null);

  const errors = records.filter((r) => r.status === 'error').length;

  // Keep the row at the cursor in view, and keep keyboard focus on it when the list had it.
  useEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const row = list.querySelector<HTMLElement>(`[data-index="${cursor}"]`);
    row?.scrollIntoView?.({ block: 'nearest' });
    const active = document.activeElement;
    const lost = !active || active === document.body;
    if (row && focusInside.current && (lost || list.contains(active) || focusNext.current)) {
      const want = focusNext.current ?? 'main';
      const el =
        row.querySelector<HTMLElement>(`[data-act="${want}"]:not(:disabled)`) ??
        row.querySelector<HTMLElement>('[data-act="main"]');
      if (el && el !== active) el.focus();
    }
    focusNext.current = null;
  }, [cursor, timeline]);

  // After a delete or a move, say which ops newly fail (they also turn red in the list).
  useEffect(() => {
    const failing = new Set(
      records.filter((r) => r.status === 'error').map((r) => `${opKey(ops[r.index])}|${r.error}`),
    );
    const before = prevFailing.current;
    prevFailing.current = { keys: failing, length: records.length };
    // An op added at the end reports itself (the form says what it returned).
    if (!before || records.length > before.length) return;
    const fresh = records.filter(
      (r) => r.status === 'error' && !before.keys.has(`${opKey(ops[r.index])}|${r.error}`),
    );
    if (fresh.length)
      setAnnounce(`Now failing: ${fresh.map((r) => `op ${r.index} ${r.error ?? ''}`).join(', ')}`);
  }, [records, ops]);

  const go = (i: number, target: FocusTarget = 'main') => {
    focusNext.current = target;
    store.getState().setCursor(Math.max(-1, Math.min(i, records.length - 1)));
  };

  const move = (i: number, by: -1 | 1) => {
    const to = i + by;
    if (i < 0 || to < 0 || to >= records.length) return;
    focusNext.current = by < 0 ? 'up' : 'down';
    const err = store.getState().moveOp(i, to);
    if (err) store.getState().setNotice(`Cannot move op ${i}: ${err}`);
  };

  const remove = (i: number) => {
    if (i < 0) return;
    focusNext.current = 'main';
    const err = store.getState().deleteOp(i);
    if (err) store.getState().setNotice(`Cannot delete op ${i}: ${err}`);
  };

  const toggle = (i: number) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(i)) n.delete(i);
      else n.add(i);
      return n;
    });

  const onKeyDown = (e: KeyboardEvent<HTMLOListElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const down = e.key === 'ArrowDown' || e.key === 'j';
    const up = e.key === 'ArrowUp' || e.key === 'k';
    if (!down && !up) return;
    e.preventDefault();
    go(cursor + (down ? 1 : -1));
  };

  const scenarioOps = timeline.scenario.ops;
  const boot: ResultText = {
    text:
      scenarioOps.length === 0
        ? 'empty'
        : needsKernel(scenarioOps)
          ? `kernel ${kernel}`
          : 'bare SMMU (reset)',
    tone: 'info',
  };

  return (
    <section className="timeline" aria-labelledby="timeline-heading">
      <div className="tl-head">
        <h2 id="timeline-heading">Timeline</h2>
        <span className="tl-count">
          {records.length} op{records.length === 1 ? '' : 's'}
          {errors > 0 && (
            <span className="tl-errors">
              {' '}
              · {errors} error{errors === 1 ? '' : 's'}
            </span>
          )}
        </span>
      </div>
      <ol
        ref={listRef}
        className="tl-list"
        aria-label="Ops, in order"
        onKeyDown={onKeyDown}
        onFocus={() => (focusInside.current = true)}
        onBlur={(e) => {
          if (e.relatedTarget && !e.currentTarget.contains(e.relatedTarget))
            focusInside.current = false;
        }}
      >
        <Row
          index={-1}
          summary="boot · driver probe"
          result={boot}
          notes={timeline.bootNotes}
          current={cursor === -1}
          open={open.has(-1)}
          count={records.length}
          onGo={() => go(-1)}
          onToggle={() => toggle(-1)}
        />
        {records.map((r) => (
          <Row
            key={r.index}
            index={r.index}
            summary={ops[r.index] ? opSummary(ops[r.index]!) : r.op.op}
            result={recordResult(r)}
            record={r}
            notes={r.notes}
            current={cursor === r.index}
            open={open.has(r.index)}
            count={records.length}
            onGo={() => go(r.index)}
            onToggle={() => toggle(r.index)}
            onMove={(by) => move(r.index, by)}
            onDelete={() => remove(r.index)}
          />
        ))}
      </ol>
      {records.length === 0 && (
        <p className="tl-empty">No ops yet: add one with the form below (press n).</p>
      )}
      <p className="sr-only" role="status" aria-live="polite">
        {announce}
      </p>
    </section>
  );
}

const opKey = (o: OpDoc | undefined): string => (o ? JSON.stringify(o) : '');

function Row({
  index,
  summary,
  result,
  record,
  notes,
  current,
  open,
  count,
  onGo,
  onToggle,
  onMove,
  onDelete,
}: {
  index: number;
  summary: string;
  result: ResultText;
  record?: OpRecord;
  notes: readonly string[];
  current: boolean;
  open: boolean;
  count: number;
  onGo: () => void;
  onToggle: () => void;
  onMove?: (by: -1 | 1) => void;
  onDelete?: () => void;
}) {
  const notesId = `tl-notes-${index}`;
  const label = index < 0 ? 'boot' : `op ${index}`;
  const tab = current ? 0 : -1;
  return (
    <li
      className={`tl-row tone-${result.tone}${current ? ' current' : ''}${notes.length ? ' has-notes' : ''}`}
      data-index={index}
      data-testid={index < 0 ? 'timeline-boot' : `timeline-op-${index}`}
    >
      <div className="tl-line">
        <button
          type="button"
          className="tl-main"
          data-act="main"
          tabIndex={tab}
          aria-current={current ? 'step' : undefined}
          onClick={onGo}
          title={record?.message ? `${record.error ?? ''}: ${record.message}` : undefined}
        >
          <span className="tl-idx" aria-hidden="true">
            {index < 0 ? '·' : index}
          </span>
          <span className="tl-sum">
            <span className="sr-only">{label}: </span>
            {summary}
          </span>
          <span className={`tl-res tone-${result.tone}`}>
            <span className="sr-only"> — result: </span>
            {result.text}
          </span>
          {record?.status === 'error' && record.message && (
            <span className="tl-msg">{record.message}</span>
          )}
        </button>
        <div className="tl-tools">
          {notes.length > 0 && (
            <button
              type="button"
              className="tl-btn tl-toggle"
              data-act="notes"
              tabIndex={tab}
              aria-expanded={open}
              aria-controls={open ? notesId : undefined}
              aria-label={`Kernel notes of ${label} (${notes.length})`}
              title={`Kernel notes (${notes.length})`}
              onClick={onToggle}
            >
              <span aria-hidden="true">
                {open ? '▾' : '▸'} {notes.length}
              </span>
            </button>
          )}
          {current && onMove && onDelete && (
            <>
              <button
                type="button"
                className="tl-btn"
                data-act="up"
                aria-label={`Move ${label} up`}
                title="Move up (Alt+↑)"
                disabled={index === 0}
                onClick={() => onMove(-1)}
              >
                ↑
              </button>
              <button
                type="button"
                className="tl-btn"
                data-act="down"
                aria-label={`Move ${label} down`}
                title="Move down (Alt+↓)"
                disabled={index >= count - 1}
                onClick={() => onMove(1)}
              >
                ↓
              </button>
              <button
                type="button"
                className="tl-btn tl-delete"
                data-act="delete"
                aria-label={`Delete ${label}`}
                title="Delete (Delete)"
                onClick={onDelete}
              >
                ✕
              </button>
            </>
          )}
        </div>
      </div>
      {open && (
        <ul id={notesId} className="tl-notes" aria-label={`Kernel notes of ${label}`}>
          {notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
    </li>
  );
}
