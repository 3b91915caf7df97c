// The timeline: boot, then one row per op with what it returned. Clicking a row (or j/k, ↑/↓ with
// the list focused) moves the cursor: the diagram and panels show the world after that op. The
// op at the cursor can be moved (Alt+↑/↓) or deleted (Delete); the rest replays, so errors that
// appear downstream show at once. A row's kernel notes expand under it.
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { DEFAULT_ERA } from '../../kernel/index.ts';
import { expectedErrorsIn, needsKernel, type OpDoc } from '../../scenario/index.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import { usePresets } from '../usePresets.ts';
import { ADD_OP_BUTTON_ID, ADD_OP_DIALOG_ID } from '../forms/AddOpDialog.tsx';
import { PaneToggle } from '../shell/PaneToggle.tsx';
import type { ResultText } from './describe.ts';
import { Row, type FocusTarget, type RowActions } from './TimelineRow.tsx';
import { useRowWindow } from './useRowWindow.ts';
import './timeline.css';

/** From this many rows on, the list renders only what is in view. */
const WINDOW_AT = 400;

export function TimelinePanel() {
  const store = useAppStore();
  const timeline = useApp((s) => s.timeline);
  const doc = useApp((s) => s.doc);
  const ops = doc.ops;
  const cursor = useApp((s) => s.cursor.op);
  const kernel = useApp((s) => s.doc.kernel ?? DEFAULT_ERA);
  const compareEra = useApp((s) => s.compareEra);
  const kinds = useApp((s) => (s.compare && 'kinds' in s.compare ? s.compare.kinds : null));
  const adding = useApp((s) => s.addingOp);
  const records = timeline.records;
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set());
  const [announce, setAnnounce] = useState('');
  const listRef = useRef<HTMLOListElement>(null);
  const focusInside = useRef(false);
  const focusNext = useRef<FocusTarget | null>(null);
  const prevFailing = useRef<{ keys: ReadonlySet<string>; length: number } | null>(null);

  // Errors an example shows on purpose (kept with the example, scenario/presets) are counted
  // apart and marked at their ops, so a red count means something the user did not intend. (The
  // examples arrive as a chunk of their own; until then every error counts as the user's.)
  const presets = usePresets();
  const expected = useMemo(() => {
    const byOp = new Map(expectedErrorsIn(presets, doc).map((e) => [e.op, e]));
    const why = new Map<number, string>();
    for (const r of records) {
      const e = byOp.get(r.index);
      if (r.status === 'error' && e && e.error === r.error) why.set(r.index, e.why);
    }
    return why;
  }, [presets, doc, records]);
  // Counted once per timeline, not on every cursor move (10,000 records).
  const failed = useMemo(() => records.filter((r) => r.status === 'error').length, [records]);
  const errors = failed - expected.size;

  // Long scenarios render only the rows in view (plus a margin, useRowWindow); short ones render
  // every row, so find-in-page and assistive technology see the whole list.
  const windowed = records.length + 1 > WINDOW_AT;
  const rows = useRowWindow(listRef, records.length + 1, cursor + 1, windowed);

  // Keep the row at the cursor in view, and keep keyboard focus on it when the list had it. In the
  // commit that moved the cursor (a layout effect): the windowed list has rendered the row, and
  // the frame that shows the new op shows its row.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const row = list.querySelector<HTMLElement>(`[data-op="${cursor}"]`);
    row?.scrollIntoView?.({ block: 'nearest' });
    if (row) {
      const active = document.activeElement;
      const lost = !active || active === document.body;
      if (focusInside.current && (lost || list.contains(active) || focusNext.current)) {
        const want = focusNext.current ?? 'main';
        const el =
          row.querySelector<HTMLElement>(`[data-act="${want}"]:not(:disabled)`) ??
          row.querySelector<HTMLElement>('[data-act="main"]');
        if (el && el !== active) el.focus();
      }
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

  // Rows are memoised and get one stable set of actions, so moving the cursor re-renders two rows
  // of a 10,000-op list, not all of them. The actions read the latest state through the store.
  const actions = useMemo<RowActions>(() => {
    const count = () => store.getState().timeline.records.length;
    const go = (i: number, target: FocusTarget = 'main') => {
      focusNext.current = target;
      store.getState().setCursor(Math.max(-1, Math.min(i, count() - 1)));
    };
    return {
      go,
      toggle: (i) =>
        setOpen((s) => {
          const n = new Set(s);
          if (n.has(i)) n.delete(i);
          else n.add(i);
          return n;
        }),
      move: (i, by) => {
        const to = i + by;
        if (i < 0 || to < 0 || to >= count()) return;
        focusNext.current = by < 0 ? 'up' : 'down';
        const err = store.getState().moveOp(i, to);
        if (err) store.getState().setNotice(`Cannot move op ${i}: ${err}`);
      },
      remove: (i) => {
        if (i < 0) return;
        focusNext.current = 'main';
        const err = store.getState().deleteOp(i);
        if (err) store.getState().setNotice(`Cannot delete op ${i}: ${err}`);
      },
    };
  }, [store]);
  const { go } = actions;

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

  /** Row `i` of the list: 0 is boot, i > 0 is op i − 1. */
  const rowAt = (i: number) => {
    const r = records[i - 1];
    const index = i - 1;
    return (
      <Row
        key={index}
        index={index}
        op={ops[index]}
        {...(r ? { record: r } : { boot })}
        notes={r ? r.notes : timeline.bootNotes}
        expected={expected.get(index)}
        current={cursor === index}
        open={open.has(index)}
        count={records.length}
        actions={actions}
        diff={r && kinds ? kinds[index] : undefined}
        compareEra={compareEra ?? undefined}
      />
    );
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
          {expected.size > 0 && (
            <span
              className="tl-expected-count"
              data-testid="timeline-expected"
              title="This example shows these errors on purpose: each is marked at its op."
            >
              {' '}
              · {expected.size} expected error{expected.size === 1 ? '' : 's'}
            </span>
          )}
        </span>
        <button
          type="button"
          id={ADD_OP_BUTTON_ID}
          className="btn tl-add"
          aria-expanded={adding}
          aria-controls={adding ? ADD_OP_DIALOG_ID : undefined}
          aria-keyshortcuts="N"
          title="Add an op (n)"
          onClick={() => store.getState().setAddingOp(!adding)}
        >
          <span aria-hidden="true">+ </span>Add an op
        </button>
        <PaneToggle pane="timeline" />
      </div>
      <ol
        ref={listRef}
        className={`tl-list${windowed ? ' is-windowed' : ''}`}
        aria-label="Ops, in order"
        onKeyDown={onKeyDown}
        onScroll={windowed ? rows.onScroll : undefined}
        onFocus={() => (focusInside.current = true)}
        onBlur={(e) => {
          if (e.relatedTarget && !e.currentTarget.contains(e.relatedTarget))
            focusInside.current = false;
        }}
      >
        {windowed ? (
          <>
            <li aria-hidden="true" style={{ height: rows.above }} />
            {Array.from({ length: rows.end - rows.start }, (_, i) => rowAt(rows.start + i))}
            <li aria-hidden="true" style={{ height: rows.below }} />
          </>
        ) : (
          Array.from({ length: records.length + 1 }, (_, i) => rowAt(i))
        )}
      </ol>
      {records.length === 0 && (
        <p className="tl-empty">No ops yet: add one with “Add an op” (press n).</p>
      )}
      <p className="sr-only" role="status" aria-live="polite">
        {announce}
      </p>
    </section>
  );
}

const opKey = (o: OpDoc | undefined): string => (o ? JSON.stringify(o) : '');
