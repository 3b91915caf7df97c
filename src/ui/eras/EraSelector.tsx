// The header's kernel era selector: which Linux release the scenario runs under, what that era
// models and what it changed (release + commit or function), all read from the eras
// (src/kernel/eras) — and which era to compare it with (the Eras tab shows the differences).
import { useId } from 'react';
import { DEFAULT_ERA } from '../../kernel/index.ts';
import { KERNEL_NOTES_HINT, KERNEL_PROFILES, profileInfo } from '../shell/kernelProfiles.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import './eras.css';

export function EraSelector() {
  const store = useAppStore();
  const kernel = useApp((s) => s.doc.kernel ?? DEFAULT_ERA);
  const compare = useApp((s) => s.compareEra);
  const desc = useId();
  const info = profileInfo(kernel);
  return (
    <>
      <label className="header-field">
        <span>Kernel</span>
        <select
          aria-label="Kernel era"
          aria-describedby={desc}
          title={`${info.summary} ${KERNEL_NOTES_HINT}`}
          value={kernel}
          onChange={(e) => store.getState().setKernel(e.target.value)}
          data-testid="kernel-era"
        >
          {KERNEL_PROFILES.map((p) => (
            <option key={p.id} value={p.id} title={`${p.summary}\n${p.changes.join('\n')}`}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <details className="era-changes" data-testid="era-changes">
        <summary title="What this era changed, with the release and the commit or function">
          What changed
        </summary>
        <div className="era-changes-pop" role="note">
          <p>{info.summary}</p>
          <ul>
            {info.changes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </div>
      </details>
      <span id={desc} className="sr-only" data-testid="kernel-era-description">
        {info.summary} What it changed: {info.changes.join('; ')}. {KERNEL_NOTES_HINT} The help (the
        ? button) describes every era.
      </span>
      <label className="header-field">
        <span>Compare</span>
        <select
          aria-label="Compare with kernel era"
          title="Run the same scenario under a second era: the timeline marks the ops whose results differ, the Eras tab shows both results side by side"
          value={compare ?? ''}
          onChange={(e) => store.getState().setCompareEra(e.target.value || null)}
          data-testid="compare-era"
        >
          <option value="">none</option>
          {KERNEL_PROFILES.filter((p) => p.id !== kernel).map((p) => (
            <option key={p.id} value={p.id}>
              {p.id}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
