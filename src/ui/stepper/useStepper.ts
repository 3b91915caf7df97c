// The stepper's keys (← → Space Home End, when focus is not in a field or a widget that uses
// them) and its play clock (state's startPlayback), installed by useStepper, mounted once with
// the bottom panel so they work whichever tab is shown. The transport itself is the store's.
import { useEffect } from 'react';
import { startPlayback, stepCount, type AppStore } from '../../state/index.ts';
import { isTyping } from '../shell/shortcuts.ts';

/** Widgets that use these keys themselves (sliders, tabs, menus, the diagram, dialogs). */
const OWNS_KEYS =
  '[role=tablist],[role=application],[role=listbox],[role=menu],[role=menubar],[role=slider],[role=dialog],[role=grid],[role=tree]';

export function stepperKey(app: AppStore, e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return false;
  if (!['ArrowLeft', 'ArrowRight', ' ', 'Home', 'End'].includes(e.key)) return false;
  const t = e.target;
  if (isTyping(t) || t instanceof HTMLInputElement) return false;
  if (t instanceof Element && t.closest(OWNS_KEYS)) return false;
  if (e.key === ' ' && t instanceof Element && t.closest('button,a[href],summary,[role=button]'))
    return false;
  const s = app.getState();
  const n = stepCount(s);
  if (n === 0) return false;
  if (e.key === ' ') s.togglePlay();
  else {
    s.setPlaying(false);
    if (e.key === 'ArrowLeft') s.stepBy(-1);
    else if (e.key === 'ArrowRight') s.stepBy(1);
    else if (e.key === 'Home') s.stepTo(0);
    else s.stepTo(n - 1);
  }
  return true;
}

/** Installs the play clock and the stepper keys for `app` (mount once). */
export function useStepper(app: AppStore): void {
  useEffect(() => {
    const stop = startPlayback(app);
    const onKey = (e: KeyboardEvent): void => {
      if (stepperKey(app, e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      stop();
      window.removeEventListener('keydown', onKey);
    };
  }, [app]);
}
