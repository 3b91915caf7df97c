// The top bar: product, scenario title, examples, kernel era (and the era to compare with),
// undo/redo, share, platform, focus mode, theme, help; the notice banner under it. The page-wide
// keyboard shortcuts live here too (useShortcuts).
import { useCallback, useState } from 'react';
import { EraSelector } from '../eras/EraSelector.tsx';
import { pushRecent } from '../../state/index.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import { HelpOverlay, Loading, PlatformDialog, ShareDialog } from '../lazy.tsx';
import { usePresets } from '../usePresets.ts';
import { THEMES, type Theme } from './shortcuts.ts';
import { useShortcuts } from './useShortcuts.ts';
import { useTheme } from './useTheme.ts';
import './shell.css';

const THEME_LABEL: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

export function Header() {
  const store = useAppStore();
  const title = useApp((s) => s.doc.title);
  const canUndo = useApp((s) => s.past.length > 0);
  const canRedo = useApp((s) => s.future.length > 0);
  const theme = useApp((s) => s.theme);
  const notice = useApp((s) => s.notice);
  const [help, setHelp] = useState(false);
  const [share, setShare] = useState(false);
  const [platform, setPlatform] = useState(false);
  const focusMode = useApp((s) => s.focusMode);
  const openHelp = useCallback(() => setHelp(true), []);
  // The examples (every golden scenario) are a chunk of their own, fetched once the page is up.
  const presets = usePresets();
  // An example replaces the scenario like an import does: the work it replaces goes to Recent
  // and stays one Undo away.
  const openExample = (id: string) => {
    const p = presets.find((x) => x.id === id);
    if (!p) return;
    const s = store.getState();
    pushRecent(localStorage, s.doc, new Date());
    const err = s.setDoc(p.doc);
    s.setNotice(
      err
        ? `Example “${p.label}” could not be opened: ${err}`
        : `Opened the example “${p.label}”. Undo, or Share › Recent, brings back your scenario.`,
    );
  };

  useTheme(store);
  useShortcuts(store, { helpOpen: help, openHelp });

  return (
    <header className="header">
      <div className="header-bar">
        <h1 className="brand">SVA Explorer</h1>
        <span className="scenario-title" title={title}>
          {title ?? 'Untitled scenario'}
        </span>
        <div className="header-tools" role="toolbar" aria-label="Scenario">
          <select
            aria-label="Open an example scenario"
            className="examples"
            value=""
            onChange={(e) => openExample(e.target.value)}
            data-testid="examples"
          >
            <option value="" disabled>
              Examples…
            </option>
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
          <EraSelector />
          <button
            type="button"
            className="btn"
            disabled={!canUndo}
            onClick={() => store.getState().undo()}
            aria-keyshortcuts="Control+Z"
            title="Undo (Ctrl+Z)"
          >
            <span aria-hidden="true">↶ </span>Undo
          </button>
          <button
            type="button"
            className="btn"
            disabled={!canRedo}
            onClick={() => store.getState().redo()}
            aria-keyshortcuts="Control+Shift+Z Control+Y"
            title="Redo (Ctrl+Shift+Z)"
          >
            <span aria-hidden="true">↷ </span>Redo
          </button>
          <button
            type="button"
            className="btn"
            aria-expanded={share}
            onClick={() => setShare((v) => !v)}
            data-testid="share-button"
          >
            Share
          </button>
          <button
            type="button"
            className="btn"
            aria-haspopup="dialog"
            onClick={() => setPlatform(true)}
            title="The SMMU and CPU platform the scenario runs on"
            data-testid="platform-button"
          >
            Platform
          </button>
          <button
            type="button"
            className="btn"
            aria-pressed={focusMode}
            aria-keyshortcuts="F"
            onClick={() => store.getState().setFocusMode(!focusMode)}
            title="Diagram only: hide the timeline, inspector and bottom panel (f)"
            data-testid="focus-mode"
          >
            Focus
          </button>
          <label className="header-field">
            <span>Theme</span>
            <select
              aria-label="Theme"
              value={theme}
              onChange={(e) => store.getState().setTheme(e.target.value as Theme)}
              aria-keyshortcuts="T"
            >
              {THEMES.map((t) => (
                <option key={t} value={t}>
                  {THEME_LABEL[t]}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="btn help-btn"
            onClick={openHelp}
            aria-label="Keyboard shortcuts and help"
            aria-haspopup="dialog"
            aria-keyshortcuts="?"
            title="Help (?)"
          >
            ?
          </button>
        </div>
      </div>
      {notice && (
        <div className="notice" role="alert">
          <span className="notice-text">{notice}</span>
          <button
            type="button"
            className="btn"
            onClick={() => store.getState().dismissNotice()}
            aria-label="Dismiss the notice"
          >
            Dismiss
          </button>
        </div>
      )}
      {help && (
        <Loading>
          <HelpOverlay onClose={() => setHelp(false)} />
        </Loading>
      )}
      {share && (
        <Loading>
          <ShareDialog onClose={() => setShare(false)} />
        </Loading>
      )}
      {platform && (
        <Loading>
          <PlatformDialog onClose={() => setPlatform(false)} />
        </Loading>
      )}
    </header>
  );
}
