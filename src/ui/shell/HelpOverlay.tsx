// The keyboard help: a modal dialog listing every shortcut, and what each kernel era of the
// header's Kernel selector models and changed. Escape or the close button closes it; Tab stays inside while
// it is open; focus returns to where it was.
import { useRef } from 'react';
import { KERNEL_NOTES_HINT, KERNEL_PROFILES } from './kernelProfiles.ts';
import { Modal } from './Modal.tsx';
import { SHORTCUTS } from './shortcuts.ts';

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  return (
    <Modal labelledBy="help-title" className="help-dialog" initial={closeRef} onClose={onClose}>
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
            The header’s Kernel selector replays the scenario under the chosen era; Compare runs it
            under a second era and marks the ops whose results differ. {KERNEL_NOTES_HINT}
          </p>
        </section>
      </div>
      <p className="help-foot">
        Every control is also reachable with Tab. The selected op (highlighted in the timeline) is
        the moment the diagram and panels show.
      </p>
    </Modal>
  );
}
