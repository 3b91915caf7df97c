// After Reproduce: a card over the page's corner that says which event of the log the page now
// shows and the configuration inferred for it, with the fields compared. It does not block the
// page; Dismiss (or Esc while focused) closes it.
import type { Reproduced } from './ImportDialog.tsx';
import { eventLabel } from './ImportDialog.tsx';

export function ReplayBanner({ r, onClose }: { r: Reproduced; onClose: () => void }) {
  const i = r.item;
  return (
    <aside
      className="imp-banner"
      aria-label="Reproduced event"
      data-testid="replay-banner"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className="imp-head">
        <h2>
          Reproduced line {i.event.line}: <span className="mono">{eventLabel(i)}</span>
        </h2>
        <button
          type="button"
          className="btn"
          onClick={onClose}
          aria-label="Dismiss the replay note"
        >
          Dismiss
        </button>
      </div>
      <p className="imp-muted">
        Op {i.op} raises it; the stepper is at the event. Same{' '}
        {i.compared.map((c) => c.field).join(', ')} as the log.
      </p>
      <ul className="imp-explain">
        {[...i.explain, ...r.notes].map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
    </aside>
  );
}
