// Folding and opening a pane: the fold button in the pane's head, and the rail a folded pane
// leaves behind (one button that opens it again). Each pane also has a key (PANE_KEY), handled
// with the page's other shortcuts.
import type { PaneId } from '../../state/index.ts';
import { useAppStore } from '../storeContext.ts';
import { paneElementId } from './regions.ts';

export const PANE_NAME: Readonly<Record<PaneId, string>> = {
  timeline: 'timeline',
  inspector: 'inspector',
  bottom: 'bottom panel',
};

/** The key that folds and opens each pane (the help lists them). */
export const PANE_KEY: Readonly<Record<PaneId, string>> = {
  timeline: '[',
  inspector: ']',
  bottom: '\\',
};

export const railButtonId = (p: PaneId): string => `rail-${p}`;
export const foldButtonId = (p: PaneId): string => `fold-${p}`;

/** Arrows pointing the way the pane folds (toward its edge of the window). */
const FOLD_ICON: Readonly<Record<PaneId, string>> = { timeline: '«', inspector: '»', bottom: '▾' };
const OPEN_ICON: Readonly<Record<PaneId, string>> = { timeline: '»', inspector: '«', bottom: '▴' };

export function PaneToggle({ pane }: { readonly pane: PaneId }) {
  const store = useAppStore();
  const name = PANE_NAME[pane];
  return (
    <button
      type="button"
      id={foldButtonId(pane)}
      className="pane-fold"
      aria-expanded={true}
      aria-controls={paneElementId(pane)}
      aria-label={`Fold the ${name}`}
      aria-keyshortcuts={PANE_KEY[pane]}
      title={`Fold the ${name} (${PANE_KEY[pane]})`}
      data-testid={`fold-${pane}`}
      onClick={() => {
        store.getState().setPaneCollapsed(pane, true);
        requestAnimationFrame(() => document.getElementById(railButtonId(pane))?.focus());
      }}
    >
      <span aria-hidden="true">{FOLD_ICON[pane]}</span>
    </button>
  );
}

/** What a folded pane shows: its name on a thin strip that opens it. */
export function Rail({ pane, label }: { readonly pane: PaneId; readonly label: string }) {
  const store = useAppStore();
  const name = PANE_NAME[pane];
  return (
    <button
      type="button"
      id={railButtonId(pane)}
      className={`rail rail-${pane}`}
      aria-expanded={false}
      aria-controls={paneElementId(pane)}
      aria-label={`Open the ${name}`}
      aria-keyshortcuts={PANE_KEY[pane]}
      title={`Open the ${name} (${PANE_KEY[pane]})`}
      data-testid={`rail-${pane}`}
      onClick={() => {
        store.getState().setPaneCollapsed(pane, false);
        requestAnimationFrame(() => document.getElementById(foldButtonId(pane))?.focus());
      }}
    >
      <span className="rail-icon" aria-hidden="true">
        {OPEN_ICON[pane]}
      </span>
      <span className="rail-label" aria-hidden="true">
        {label}
      </span>
    </button>
  );
}
