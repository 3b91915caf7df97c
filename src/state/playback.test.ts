// The stepper's transport in the store and its clock: steps clamp to the op's flow, play replays
// from the first step at the end, a flow of one step cannot play, the clock advances one step per
// STEP_MS / speed and stops at the last step, at another op, or when stopped.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seedStory } from '../scenario/index.ts';
import { flowAt } from './derived.ts';
import { startPlayback, STEP_MS, stepCount } from './playback.ts';
import { createAppStore } from './store.ts';

const DMA = 26; // 12 steps (the Stepper component test counts them on screen)
const PRI = 27; // 26 steps
const at = (op: number, step = 0) => createAppStore(seedStory, { cursor: { op, step } });

afterEach(() => {
  vi.useRealTimers();
});

describe('playback slice', () => {
  it('counts the steps of the op at the cursor; none before the first op', () => {
    expect(stepCount(at(DMA).getState())).toBe(12);
    expect(stepCount(at(PRI).getState())).toBe(flowAt(at(PRI).getState().timeline, PRI).length);
    expect(stepCount(at(-1).getState())).toBe(0);
  });

  it('stepTo and stepBy clamp to the flow', () => {
    const s = at(DMA);
    s.getState().stepTo(99);
    expect(s.getState().cursor).toEqual({ op: DMA, step: 11 });
    s.getState().stepBy(1);
    expect(s.getState().cursor.step).toBe(11);
    s.getState().stepBy(-3);
    expect(s.getState().cursor.step).toBe(8);
    s.getState().stepTo(-4);
    expect(s.getState().cursor.step).toBe(0);
    // A cursor step beyond the flow (a link may carry one) counts from the last step.
    s.getState().setStep(40);
    s.getState().stepBy(-1);
    expect(s.getState().cursor.step).toBe(10);
  });

  it('play at the last step replays from the first; nothing to play without two steps', () => {
    const s = at(DMA, 11);
    s.getState().setPlaying(true);
    expect(s.getState()).toMatchObject({ playing: true, cursor: { op: DMA, step: 0 } });
    s.getState().togglePlay();
    expect(s.getState().playing).toBe(false);
    const boot = at(-1);
    boot.getState().setPlaying(true);
    expect(boot.getState().playing).toBe(false);
  });
});

describe('the play clock', () => {
  it('advances one step per STEP_MS / speed and stops at the last step', () => {
    vi.useFakeTimers();
    const s = at(DMA);
    const stop = startPlayback(s);
    s.getState().setSpeed(2);
    s.getState().setPlaying(true);
    vi.advanceTimersByTime(STEP_MS / 2);
    expect(s.getState().cursor.step).toBe(1);
    vi.advanceTimersByTime((STEP_MS / 2) * 3);
    expect(s.getState().cursor.step).toBe(4);
    vi.advanceTimersByTime(STEP_MS * 20);
    expect(s.getState()).toMatchObject({ playing: false, cursor: { step: 11 } });
    stop();
  });

  it('another op at the cursor pauses it; stop pauses and silences it', () => {
    vi.useFakeTimers();
    const s = at(PRI);
    const stop = startPlayback(s);
    s.getState().setPlaying(true);
    vi.advanceTimersByTime(STEP_MS);
    s.getState().setCursor(DMA);
    expect(s.getState().playing).toBe(false);
    vi.advanceTimersByTime(STEP_MS * 3);
    expect(s.getState().cursor).toEqual({ op: DMA, step: 0 });
    s.getState().setPlaying(true);
    stop();
    expect(s.getState().playing).toBe(false);
    vi.advanceTimersByTime(STEP_MS * 3);
    expect(s.getState().cursor.step).toBe(0);
  });
});
