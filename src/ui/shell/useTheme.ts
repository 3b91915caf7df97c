// The theme: 'system' follows prefers-color-scheme (no data-theme attribute), 'light' and 'dark'
// set <html data-theme>. The choice is remembered in localStorage.
import { useEffect } from 'react';
import type { AppStore } from '../../state/index.ts';
import { useApp } from '../storeContext.ts';
import { THEMES, type Theme } from './shortcuts.ts';

const KEY = 'sva-explorer.theme';

function saved(): Theme | undefined {
  try {
    const t = localStorage.getItem(KEY);
    return THEMES.find((x) => x === t);
  } catch {
    return undefined;
  }
}

export function useTheme(store: AppStore): void {
  const theme = useApp((s) => s.theme);
  useEffect(() => {
    const t = saved();
    if (t && t !== store.getState().theme) store.getState().setTheme(t);
  }, [store]);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset['theme'];
    else root.dataset['theme'] = theme;
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // storage unavailable (private mode): the choice lasts for this page only
    }
  }, [theme]);
}
