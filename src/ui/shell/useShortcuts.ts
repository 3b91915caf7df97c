// The page-wide keys (the help overlay lists them): undo/redo, n, t, ?, j/k, Delete, Alt+↑/↓,
// the panes' keys ([ ] \), f (focus mode) and F6 (the next region). Keys a focused view already
// handled (defaultPrevented) and keys typed into fields are left alone.
import { useEffect } from 'react';
import { PANES, paneCollapsed, type AppStore, type PaneId, type Store } from '../../state/index.ts';
import { NEW_OP_KIND_ID } from '../forms/ids.ts';
import { PANE_KEY } from './PaneToggle.tsx';
import { focusRegion, REGIONS } from './regions.ts';
import { isTextField, isTyping, nextTheme } from './shortcuts.ts';

/** Whether a pane is folded in this window (as Panes draws it). */
const folded = (s: Store, p: PaneId): boolean =>
  paneCollapsed(s.layout, p, { width: window.innerWidth, height: window.innerHeight });

/** F6 / Shift+F6: the region after (before) the one holding focus, among those shown. */
function cycleRegion(store: AppStore, back: boolean): void {
  const s = store.getState();
  const shown = REGIONS.filter((r) => !r.pane || (!s.focusMode && !folded(s, r.pane)));
  const active = document.activeElement;
  const at = shown.findIndex((r) =>
    document.getElementById(`pane-${r.pane ?? 'diagram'}`)?.contains(active),
  );
  const next = shown[(at + (back ? -1 : 1) + shown.length) % shown.length];
  if (next) focusRegion(next.id);
}

export function useShortcuts(
  store: AppStore,
  opts: { helpOpen: boolean; openHelp: () => void },
): void {
  const { helpOpen, openHelp } = opts;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || helpOpen) return;
      const s = store.getState();
      const ctrl = e.ctrlKey || e.metaKey;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      if (ctrl && !e.altKey && (key === 'z' || key === 'y')) {
        if (isTextField(e.target)) return;
        e.preventDefault();
        if (key === 'y' || e.shiftKey) s.redo();
        else s.undo();
        return;
      }
      if (ctrl) return;
      if (e.key === 'F6') {
        e.preventDefault();
        cycleRegion(store, e.shiftKey);
        return;
      }
      if (e.altKey) {
        if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
        if (isTextField(e.target)) return;
        const i = s.cursor.op;
        const to = i + (e.key === 'ArrowUp' ? -1 : 1);
        if (i < 0 || to < 0 || to >= s.doc.ops.length) return;
        e.preventDefault();
        const err = s.moveOp(i, to);
        if (err) s.setNotice(`Cannot move op ${i}: ${err}`);
        return;
      }
      if (isTyping(e.target)) return;
      switch (e.key) {
        case '?':
          e.preventDefault();
          openHelp();
          return;
        case 'n':
          e.preventDefault();
          if (s.addingOp) document.getElementById(NEW_OP_KIND_ID)?.focus();
          else s.setAddingOp(true); // the dialog focuses its op picker as it opens
          return;
        case 'f':
          e.preventDefault();
          s.setFocusMode(!s.focusMode);
          return;
        case 'Escape':
          if (!s.focusMode) return;
          e.preventDefault();
          s.setFocusMode(false);
          return;
        case 't':
          e.preventDefault();
          s.setTheme(nextTheme(s.theme));
          return;
        case 'j':
        case 'k':
          e.preventDefault();
          s.setCursor(s.cursor.op + (e.key === 'j' ? 1 : -1));
          return;
        case PANE_KEY.timeline:
        case PANE_KEY.inspector:
        case PANE_KEY.bottom: {
          const pane = PANES.find((p) => PANE_KEY[p] === e.key)!;
          e.preventDefault();
          if (s.focusMode) {
            // The key asks for that pane: leave focus mode with it open.
            s.setFocusMode(false);
            s.setPaneCollapsed(pane, false);
          } else {
            s.setPaneCollapsed(pane, !folded(s, pane));
          }
          return;
        }
        case 'Delete': {
          const i = s.cursor.op;
          if (i < 0) return;
          e.preventDefault();
          const err = s.deleteOp(i);
          if (err) s.setNotice(`Cannot delete op ${i}: ${err}`);
          return;
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, helpOpen, openHelp]);
}
