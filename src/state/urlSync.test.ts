// The fragment and local storage follow the work: one replaceState per pause (not one per step of
// a playing stepper), never a link the page would refuse, and a pasted link that is bad — or
// whose scenario fails to run — changes nothing but the banner.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { seedStory, type OpDoc, type ScenarioDoc } from '../scenario/index.ts';
import { decodeLink, encodeLink } from '../share/index.ts';
import { loadRecent, loadWork, type KeyValue } from './persist.ts';
import { createAppStore } from './store.ts';
import { startUrlSync } from './urlSync.ts';

const DELAY = 300;
const memory = (): KeyValue => {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
};
const mine: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 2,
  title: 'mine',
  ops: [
    { op: 'process', name: 'bash' },
    { op: 'process', name: 'zsh' },
  ],
};

function setup(doc: ScenarioDoc = mine) {
  const store = createAppStore(doc);
  const storage = memory();
  const replaceHash = vi.fn<(fragment: string) => void>();
  const sync = startUrlSync(store, { storage, replaceHash, delayMs: DELAY });
  return { store, storage, replaceHash, sync };
}
const cursorOf = (fragment: string) => {
  const d = decodeLink(fragment);
  if (!d.ok) throw new Error(d.error);
  return d.doc.cursor;
};

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('writing the fragment', () => {
  it('writes the opening moment once, after the delay, and saves the work', () => {
    const { store, storage, replaceHash } = setup();
    vi.advanceTimersByTime(DELAY - 1);
    expect(replaceHash).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(replaceHash).toHaveBeenCalledTimes(1);
    expect(cursorOf(replaceHash.mock.calls[0]![0])).toEqual({ op: 1, step: 0 });
    expect(loadWork(storage)).toEqual(store.getState().doc);
  });

  it('writes once after a flurry of cursor steps, with the last step', () => {
    const { store, replaceHash } = setup(seedStory);
    vi.advanceTimersByTime(DELAY);
    replaceHash.mockClear();
    store.getState().setCursor(26, 0);
    // A playing stepper: a step every 100 ms for 3 s, each sooner than the delay.
    for (let step = 1; step <= 30; step++) {
      vi.advanceTimersByTime(100);
      store.getState().setStep(step);
    }
    expect(replaceHash).not.toHaveBeenCalled();
    vi.advanceTimersByTime(DELAY);
    expect(replaceHash).toHaveBeenCalledTimes(1);
    expect(cursorOf(replaceHash.mock.calls[0]![0])).toEqual({ op: 26, step: 30 });
  });

  it('does not write again when nothing the link holds changed', () => {
    const { store, replaceHash } = setup();
    vi.advanceTimersByTime(DELAY);
    store.getState().select(null);
    store.getState().setTheme('dark');
    store.getState().setCursor(1, 0); // the same moment
    vi.advanceTimersByTime(DELAY * 2);
    expect(replaceHash).toHaveBeenCalledTimes(1);
  });

  it('clears the fragment for work over a link’s limits, and keeps the work in storage', () => {
    const { store, storage, replaceHash } = setup();
    vi.advanceTimersByTime(DELAY);
    // 5,001 ops (each fails fast: no such process) — over the 5,000 a link may hold.
    const ops: OpDoc[] = Array.from({ length: 5_001 }, () => ({ op: 'exit', proc: 'nobody' }));
    expect(store.getState().setDoc({ ...mine, ops })).toBeNull();
    vi.advanceTimersByTime(DELAY);
    expect(replaceHash).toHaveBeenLastCalledWith('');
    expect(loadWork(storage)?.ops).toHaveLength(5_001);
  });
});

describe('a link pasted into the open page', () => {
  it('opens a good link at its moment and keeps the earlier work in Recent', () => {
    const { store, storage, sync } = setup();
    sync.onHash(encodeLink({ ...seedStory, cursor: { op: 26, step: 4 } }));
    expect(store.getState().doc.title).toBe(seedStory.title);
    expect(store.getState().cursor).toEqual({ op: 26, step: 4 });
    expect(store.getState().notice).toMatch(/previous work is in Recent/);
    expect(loadRecent(storage).map((e) => e.doc)).toEqual([mine]);
  });

  it('moves the cursor for the same scenario at another moment, without touching Recent', () => {
    const { store, storage, sync } = setup();
    const before = store.getState().doc;
    sync.onHash(encodeLink({ ...mine, kernel: 'rfc2017', cursor: { op: 0, step: 2 } }));
    expect(store.getState().doc).toBe(before);
    expect(store.getState().cursor).toEqual({ op: 0, step: 2 });
    expect(store.getState().past).toEqual([]);
    expect(loadRecent(storage)).toEqual([]);
  });

  it('keeps the work on a bad link, says why, and puts the work’s link back', () => {
    const { store, storage, replaceHash, sync } = setup();
    vi.advanceTimersByTime(DELAY);
    const ours = replaceHash.mock.calls[0]![0];
    sync.onHash(encodeLink(seedStory).replace('#s=2.', '#s=3.'));
    expect(store.getState().doc).toEqual(mine);
    expect(store.getState().notice).toBe(
      'The link was not opened: the link is version 3; this page reads up to 2. Your work is unchanged.',
    );
    expect(replaceHash).toHaveBeenLastCalledWith(ours);
    expect(loadRecent(storage)).toEqual([]);
  });

  it('keeps the work when the linked scenario decodes but fails to run', () => {
    const { store, storage, sync } = setup();
    vi.advanceTimersByTime(DELAY);
    // 2^32 linear STEs cannot fit the RAM: the run throws.
    const huge: ScenarioDoc = {
      ...seedStory,
      platform: { smmu: { streamTable: 'linear', sidBits: 32 } },
    };
    sync.onHash(encodeLink(huge));
    expect(store.getState().doc).toEqual(mine);
    expect(store.getState().notice).toMatch(
      /^The link was not opened: .+\. Your work is unchanged\.$/,
    );
    expect(store.getState().notice).not.toMatch(/Opened the linked scenario/);
    expect(loadRecent(storage)).toEqual([]);
    expect(loadWork(storage)).toEqual(mine);
  });

  it('opens a link a chat client mangled (#s%3D…) as the link it was', () => {
    const { store, sync } = setup();
    vi.advanceTimersByTime(DELAY);
    const link = encodeLink({ ...mine, title: 'theirs' });
    sync.onHash(`#s%3D${link.slice(3)}`);
    expect(store.getState().doc.title).toBe('theirs');
  });

  it('ignores fragments that are not links, and its own writes', () => {
    const { store, replaceHash, sync } = setup();
    vi.advanceTimersByTime(DELAY);
    sync.onHash('');
    sync.onHash('#section-2');
    sync.onHash(replaceHash.mock.calls[0]![0]);
    expect(store.getState().notice).toBeNull();
    expect(store.getState().doc).toEqual(mine);
  });
});
