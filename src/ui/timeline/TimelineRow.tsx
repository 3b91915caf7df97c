// One timeline row: the op's summary and result; when it is the cursor, its move/delete tools;
// its kernel notes folded under it. Memoised: moving the cursor re-renders two rows.
import { memo } from 'react';
import type { OpDiffKind, OpDoc, OpRecord } from '../../scenario/index.ts';
import { opSummary, recordResult, type ResultText } from './describe.ts';

export type FocusTarget = 'main' | 'up' | 'down' | 'notes';

export interface RowActions {
  go: (i: number, target?: FocusTarget) => void;
  toggle: (i: number) => void;
  move: (i: number, by: -1 | 1) => void;
  remove: (i: number) => void;
}

export const Row = memo(function Row({
  index,
  op,
  boot,
  record,
  expected,
  notes,
  current,
  open,
  count,
  actions,
  diff,
  compareEra,
}: {
  index: number;
  op?: OpDoc | undefined;
  /** The boot row's result (it has no record). */
  boot?: ResultText;
  record?: OpRecord;
  /** Why the op fails on purpose (an example's expected error), if it does. */
  expected?: string | undefined;
  notes: readonly string[];
  current: boolean;
  open: boolean;
  count: number;
  actions: RowActions;
  /** Against the compare era (header): whether this op's results differ there. */
  diff?: OpDiffKind | undefined;
  compareEra?: string | undefined;
}) {
  const summary = index < 0 ? 'boot · driver probe' : op ? opSummary(op) : (record?.op.op ?? '');
  const result = record ? recordResult(record) : boot!;
  const onGo = () => actions.go(index);
  const onToggle = () => actions.toggle(index);
  const isOp = index >= 0;
  const notesId = `tl-notes-${index}`;
  const label = index < 0 ? 'boot' : `op ${index}`;
  const tab = current ? 0 : -1;
  return (
    <li
      className={`tl-row tone-${result.tone}${expected ? ' expected' : ''}${current ? ' current' : ''}${notes.length ? ' has-notes' : ''}`}
      data-op={index}
      data-testid={index < 0 ? 'timeline-boot' : `timeline-op-${index}`}
      data-era-diff={diff}
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
            {diff === 'differs' && (
              <span
                className="tl-era-diff"
                data-testid="era-diff-mark"
                title={`The results differ under ${compareEra ?? 'the compare era'} (the Eras tab shows both)`}
              >
                <span aria-hidden="true">≠</span>
                <span className="sr-only"> differs under {compareEra}: </span>
              </span>
            )}

            {summary}
          </span>
          <span className={`tl-res tone-${result.tone}`}>
            <span className="sr-only"> — result: </span>
            {result.text}
          </span>
          {record?.status === 'error' && record.message && (
            <span className="tl-msg">{record.message}</span>
          )}
          {expected && (
            <span className="tl-expected" data-testid={`timeline-expected-${index}`}>
              Expected: {expected}
            </span>
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
          {current && isOp && (
            <>
              <button
                type="button"
                className="tl-btn"
                data-act="up"
                aria-label={`Move ${label} up`}
                title="Move up (Alt+↑)"
                disabled={index === 0}
                onClick={() => actions.move(index, -1)}
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
                onClick={() => actions.move(index, 1)}
              >
                ↓
              </button>
              <button
                type="button"
                className="tl-btn tl-delete"
                data-act="delete"
                aria-label={`Delete ${label}`}
                title="Delete (Delete)"
                onClick={() => actions.remove(index)}
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
});
