// The stepper's transport: step forward/back, first/last step, play/pause at a speed. The step
// lives in the app store (cursor.step, so the diagram, the URL and the inspector follow); whether
// it is playing and how fast lives here, one small store per app store. The clock and the keys
// (← → Space Home End, when focus is not in a field or a widget that uses them) are installed by
// useStepper, mounted once with the bottom panel so they work whichever tab is shown.
import { useEffect } from 'react';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppStore } from '../../state/index.ts';
import { isTyping } from '../shell/shortcuts.ts';
import { flowAt } from './faults.ts';

export const SPEEDS = [0.5, 1, 2, 4, 8] as const;
/** Time per step at 1×. */
export const STEP_MS = 800;

export interface Playback {
  readonly playing: boolean;
  readonly speed: number;
}

const stores = new WeakMap<AppStore, StoreApi<Playback>>();

export function playbackFor(app: AppStore): StoreApi<Playback> {
  let p = stores.get(app);
  if (!p) stores.set(app, (p = createStore<Playback>()(() => ({ playing: false, speed: 1 }))));
  return p;
}

/** The number of steps of the op at the cursor. */
export function stepCount(app: AppStore): number {
  const s = app.getState();
  return flowAt(s.timeline, s.cursor.op).length;
}

export function stepTo(app: AppStore, step: number): void {
  const n = stepCount(app);
  const to = Math.max(0, Math.min(step, n - 1));
  if (to !== app.getState().cursor.step) app.getState().setStep(to);
}

export function stepBy(app: AppStore, by: number): void {
  stepTo(app, Math.min(app.getState().cursor.step, stepCount(app) - 1) + by);
}

export function setPlaying(app: AppStore, playing: boolean): void {
  const p = playbackFor(app);
  if (playing && app.getState().cursor.step >= stepCount(app) - 1) stepTo(app, 0); // replay
  p.setState({ playing: playing && stepCount(app) > 1 });
}

export const togglePlay = (app: AppStore): void =>
  setPlaying(app, !playbackFor(app).getState().playing);

export const setSpeed = (app: AppStore, speed: number): void =>
  playbackFor(app).setState({ speed });

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
  if (stepCount(app) === 0) return false;
  if (e.key === ' ') togglePlay(app);
  else {
    setPlaying(app, false);
    if (e.key === 'ArrowLeft') stepBy(app, -1);
    else if (e.key === 'ArrowRight') stepBy(app, 1);
    else if (e.key === 'Home') stepTo(app, 0);
    else stepTo(app, stepCount(app) - 1);
  }
  return true;
}

/** Installs the play clock and the stepper keys for `app` (mount once). */
export function useStepper(app: AppStore): void {
  useEffect(() => {
    const p = playbackFor(app);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const { playing, speed } = p.getState();
      if (!playing) return;
      timer = setTimeout(() => {
        timer = undefined;
        const s = app.getState();
        const n = stepCount(app);
        if (s.cursor.step >= n - 1) p.setState({ playing: false });
        else {
          s.setStep(s.cursor.step + 1);
          if (s.cursor.step + 1 >= n - 1) p.setState({ playing: false });
          else schedule();
        }
      }, STEP_MS / speed);
    };
    const unsubP = p.subscribe((now, before) => {
      if (now.playing !== before.playing || now.speed !== before.speed) schedule();
    });
    // Another op (or another scenario) at the cursor stops the playback.
    const unsubApp = app.subscribe((now, before) => {
      if (now.cursor.op !== before.cursor.op || now.timeline !== before.timeline)
        p.setState({ playing: false });
    });
    const onKey = (e: KeyboardEvent): void => {
      if (stepperKey(app, e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      p.setState({ playing: false });
      unsubP();
      unsubApp();
      window.removeEventListener('keydown', onKey);
    };
  }, [app]);
}
