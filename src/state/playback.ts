// The stepper's transport, a slice of the app store: step forward/back, first/last step,
// play/pause at a speed. The step itself is cursor.step (so the diagram, the URL and the
// inspector follow); whether it is playing and how fast live here. The clock (startPlayback)
// advances the step while playing, and stops at the last step or when another op or scenario
// comes to the cursor. The UI binds keys and buttons to these actions.
import type { StoreApi } from 'zustand/vanilla';
import type { Timeline } from '../scenario/index.ts';
import { flowAt } from './derived.ts';

export const SPEEDS = [0.5, 1, 2, 4, 8] as const;
/** Time per step at 1×. */
export const STEP_MS = 800;

export interface PlaybackState {
  readonly playing: boolean;
  readonly speed: number;
}

export interface PlaybackActions {
  /** Moves to step `step` of the op at the cursor, clamped to its flow. */
  stepTo(step: number): void;
  stepBy(by: number): void;
  /** Plays (from the first step when at the last: a replay) or pauses; one step cannot play. */
  setPlaying(playing: boolean): void;
  togglePlay(): void;
  setSpeed(speed: number): void;
}

/** What the slice reads of the rest of the store. */
interface Host extends PlaybackState {
  readonly timeline: Timeline;
  readonly cursor: { readonly op: number; readonly step: number };
  setStep(step: number): void;
}

/** The number of steps of the op at the cursor. */
export const stepCount = (s: Pick<Host, 'timeline' | 'cursor'>): number =>
  flowAt(s.timeline, s.cursor.op).length;

export function playbackSlice(
  set: (p: Partial<PlaybackState>) => void,
  get: () => Host & PlaybackActions,
): PlaybackState & PlaybackActions {
  return {
    playing: false,
    speed: 1,
    stepTo: (step) => {
      const s = get();
      const to = Math.max(0, Math.min(step, stepCount(s) - 1));
      if (to !== s.cursor.step) s.setStep(to);
    },
    stepBy: (by) => {
      const s = get();
      s.stepTo(Math.min(s.cursor.step, stepCount(s) - 1) + by);
    },
    setPlaying: (playing) => {
      const s = get();
      const n = stepCount(s);
      if (playing && s.cursor.step >= n - 1) s.stepTo(0); // replay
      set({ playing: playing && n > 1 });
    },
    togglePlay: () => get().setPlaying(!get().playing),
    setSpeed: (speed) => set({ speed }),
  };
}

/** Runs the play clock for `store` until the returned stop (which also pauses). */
export function startPlayback<S extends Host & PlaybackActions>(store: StoreApi<S>): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pause = () => store.setState({ playing: false } as Partial<S>);
  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const { playing, speed } = store.getState();
    if (!playing) return;
    timer = setTimeout(() => {
      timer = undefined;
      const s = store.getState();
      const n = stepCount(s);
      if (s.cursor.step >= n - 1) pause();
      else {
        s.setStep(s.cursor.step + 1);
        if (s.cursor.step + 1 >= n - 1) pause();
        else schedule();
      }
    }, STEP_MS / speed);
  };
  const unsub = store.subscribe((now, before) => {
    // Another op (or another scenario) at the cursor stops the playback.
    if (now.playing && (now.cursor.op !== before.cursor.op || now.timeline !== before.timeline))
      pause();
    else if (now.playing !== before.playing || now.speed !== before.speed) schedule();
  });
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    unsub();
    pause();
  };
}
