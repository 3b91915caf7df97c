// The importer: a modal dialog for text pasted or dropped on the page (or pasted into the Share
// box) — a kernel log, /proc/PID/maps, a scenario or a link. It is a shell Modal (Esc, focus trap,
// focus returns, page keys stay out); Close is focused first. Reading runs in slices (session.ts), so a huge paste
// shows progress and never freezes the page.
import { useEffect, useRef, useState } from 'react';
import { hex } from '../../engine/index.ts';
import { replayLog, type EventGroup, type Replay, type ReplayItem } from '../../logs/index.ts';
import type { OpDoc } from '../../scenario/index.ts';
import { Modal } from '../shell/Modal.tsx';
import { useApp, useAppStore } from '../storeContext.ts';
import { LogView } from './LogView.tsx';
import { MapsView } from './MapsView.tsx';
import { cursorAtEvent, openDoc, openParsed } from './open.ts';
import { startImport, type ImportState } from './session.ts';

export interface Reproduced {
  readonly item: ReplayItem;
  readonly notes: readonly string[];
}

interface Props {
  readonly text: string;
  /** Where the text came from, for the title ("pasted text", a file name). */
  readonly source: string;
  readonly onClose: () => void;
  readonly onReproduced: (r: Reproduced) => void;
}

const TITLE: Record<ImportState['kind'], string> = {
  reading: 'Reading…',
  dmesg: 'Kernel log (arm-smmu-v3)',
  maps: '/proc/PID/maps',
  scenario: 'Scenario',
  link: 'Share link',
  error: 'Nothing to import',
};

export function ImportDialog({ text, source, onClose, onReproduced }: Props) {
  const store = useAppStore();
  const doc = useApp((s) => s.doc);
  const [state, setState] = useState<ImportState>({ kind: 'reading', done: 0, total: 0 });
  const [replay, setReplay] = useState<Replay | undefined>();
  const [busy, setBusy] = useState<number | undefined>();
  const [error, setError] = useState('');
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => startImport(text, setState), [text]);
  /** Builds (once) and checks the replay, then opens the page at the chosen event. */
  const reproduce = (groups: readonly EventGroup[], group: number) => {
    if (state.kind !== 'dmesg') return;
    setBusy(group);
    // Let "Building…" paint first: the replay runs the scenario it builds.
    setTimeout(() => {
      const rp = replay ?? replayLog(state.log, groups);
      setReplay(rp);
      setBusy(undefined);
      const item = rp.items.find((i) => i.group === group);
      if (!rp.doc || !item?.reproduced || item.op === undefined) return;
      const err = openDoc(store, { ...rp.doc, cursor: { op: item.op, step: 0 } }, 'the replay');
      if (err) {
        setError(err);
        return;
      }
      cursorAtEvent(store, item.op);
      onReproduced({ item, notes: rp.notes });
      onClose();
    }, 0);
  };

  const createProcess = (ops: OpDoc[]): string | null => {
    const err = store.getState().setDoc({ ...doc, ops: [...doc.ops, ...ops] });
    if (err) return `The process could not be created: ${err}`;
    const name = ops[0]?.op === 'process' ? ops[0].name : 'the process';
    store
      .getState()
      .setNotice(
        `Created process ${name} with ${ops.length - 1} VMAs from the pasted maps; Undo removes it.`,
      );
    onClose();
    return null;
  };

  const replayWhy = new Map<number, string>(
    (replay?.items ?? []).flatMap((i) =>
      i.reproduced ? [] : [[i.group, i.why ?? 'not reproduced']],
    ),
  );

  return (
    <Modal
      labelledBy="imp-title"
      className="imp-dialog"
      testId="import-dialog"
      initial={closeRef}
      onClose={onClose}
    >
      <div className="imp-head">
        <h2 id="imp-title">
          Import: {TITLE[state.kind]} <span className="imp-muted">({source})</span>
        </h2>
        <button ref={closeRef} type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
      {error && (
        <p className="imp-warn" role="alert">
          {error}
        </p>
      )}
      {state.kind === 'reading' && (
        <p role="status">
          Reading{' '}
          {state.total
            ? `line ${state.done.toLocaleString('en')} of ${state.total.toLocaleString('en')}`
            : 'the text'}
          …
        </p>
      )}
      {state.kind === 'error' && (
        <p className="imp-warn" role="alert" data-testid="import-error">
          {state.message}
        </p>
      )}
      {state.kind === 'dmesg' && (
        <LogView
          log={state.log}
          groups={state.groups}
          ms={state.ms}
          replayWhy={replayWhy}
          busy={busy}
          onReproduce={(g) => reproduce(state.groups, g)}
        />
      )}
      {state.kind === 'maps' && <MapsView maps={state.maps} doc={doc} onCreate={createProcess} />}
      {(state.kind === 'scenario' || state.kind === 'link') && (
        <OpenDocument
          state={state}
          onOpen={() => {
            const err = openParsed(
              store,
              state.parsed,
              state.kind === 'link' ? 'The link' : 'The scenario',
            );
            if (err) setError(err);
            else onClose();
          }}
        />
      )}
    </Modal>
  );
}

function OpenDocument({
  state,
  onOpen,
}: {
  state: Extract<ImportState, { kind: 'scenario' | 'link' }>;
  onOpen: () => void;
}) {
  const p = state.parsed;
  if (!p.ok)
    return (
      <p className="imp-warn" role="alert" data-testid="import-error">
        {state.kind === 'link' ? 'This link' : 'This scenario'} does not open: {p.error}
      </p>
    );
  const d = p.doc;
  return (
    <div className="imp-row">
      <p>
        {d.title ? `“${d.title}”: ` : ''}
        {d.ops.length} ops, kernel {d.kernel ?? 'rfc2017'}
        {d.cursor ? `, at op ${d.cursor.op} step ${d.cursor.step}` : ''}. Opening it replaces the
        scenario on the page (yours goes to Recent).
      </p>
      <button type="button" className="btn primary" onClick={onOpen} data-testid="import-open">
        Open
      </button>
    </div>
  );
}

/** One line naming an event: `F_TRANSLATION SID 0x7501 SSID 1`. */
export const eventLabel = (i: ReplayItem): string => {
  const r = i.event.record;
  return `${r.name} SID ${hex(r.sid)}${r.ssv ? ` SSID ${r.ssid}` : ''}`;
};
