// The keyboard help: a modal dialog listing every shortcut, and what each kernel era of the
// header's Kernel selector models and changed. Escape or the close button closes it; Tab stays inside while
// it is open; focus returns to where it was.
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { KERNEL_NOTES_HINT, KERNEL_PROFILES } from './kernelProfiles.ts';
import { SHORTCUTS } from './shortcuts.ts';

const FOCUSABLE =
  'button:not(:disabled), [href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    return () => before?.focus?.();
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab') return;
    const els = [...(dialogRef.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
    if (els.length === 0) return;
    const first = els[0]!;
    const last = els[els.length - 1]!;
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !dialogRef.current?.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !dialogRef.current?.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div
      className="help-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        ref={dialogRef}
        className="help-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        onKeyDown={onKeyDown}
      >
        <div className="help-head">
          <h2 id="help-title">Keyboard shortcuts</h2>
          <button ref={closeRef} type="button" className="btn" onClick={onClose}>
            Close <span className="kbd-hint">(Esc)</span>
          </button>
        </div>
        <div className="help-sections">
          {SHORTCUTS.map((s) => (
            <section key={s.title} aria-labelledby={`help-${s.title}`}>
              <h3 id={`help-${s.title}`}>{s.title}</h3>
              <dl>
                {s.items.map((i) => (
                  <div key={i.what} className="help-item">
                    <dt>
                      {i.keys.map((k, n) => (
                        <span key={k}>
                          {n > 0 && ' '}
                          <kbd>{k}</kbd>
                        </span>
                      ))}
                    </dt>
                    <dd>{i.what}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
          <section aria-labelledby="help-kernel-profiles" data-testid="help-kernel-profiles">
            <h3 id="help-kernel-profiles">Kernel eras</h3>
            <dl>
              {KERNEL_PROFILES.map((p) => (
                <div key={p.id}>
                  <dt>
                    <code>{p.label}</code>
                  </dt>
                  <dd>
                    {p.summary}
                    <ul>
                      {p.changes.map((c) => (
                        <li key={c}>{c}</li>
                      ))}
                    </ul>
                  </dd>
                </div>
              ))}
            </dl>
            <p className="help-foot">
              The header’s Kernel selector replays the scenario under the chosen era; Compare runs
              it under a second era and marks the ops whose results differ. {KERNEL_NOTES_HINT}
            </p>
          </section>
        </div>
        <p className="help-foot">
          Every control is also reachable with Tab. The selected op (highlighted in the timeline) is
          the moment the diagram and panels show.
        </p>
      </div>
    </div>
  );
}
