// The page-wide keys (the help overlay lists them): undo/redo, n, t, ?, j/k, Delete, Alt+↑/↓.
// Keys a focused view already handled (defaultPrevented) and keys typed into fields are left alone.
import { useEffect } from 'react';
import type { AppStore } from '../../state/index.ts';
import { NEW_OP_KIND_ID } from '../forms/ids.ts';
import { isTextField, isTyping, nextTheme } from './shortcuts.ts';

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
          document.getElementById(NEW_OP_KIND_ID)?.focus();
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
