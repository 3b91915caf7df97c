import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyScenario } from '../scenario/index.ts';
import {
  DEFAULT_LAYOUT,
  LAYOUT_KEY,
  loadLayout,
  paneCollapsed,
  paneLimits,
  paneSize,
  saveLayout,
  startLayoutSync,
} from './layout.ts';
import type { KeyValue } from './persist.ts';
import { createAppStore } from './store.ts';

const memory = (init: Record<string, string> = {}): KeyValue & { map: Map<string, string> } => {
  const map = new Map(Object.entries(init));
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
};
const SMALL = { width: 1280, height: 720 };
const LARGE = { width: 1920, height: 1080 };

afterEach(() => vi.useRealTimers());

describe('pane defaults follow the window (the layout decision of issue 10)', () => {
  it('1280×720: timeline 260 px, bottom 30% (216 px), inspector folded', () => {
    expect(paneSize(DEFAULT_LAYOUT, 'timeline', SMALL)).toBe(260);
    expect(paneSize(DEFAULT_LAYOUT, 'bottom', SMALL)).toBe(216);
    expect(paneCollapsed(DEFAULT_LAYOUT, 'inspector', SMALL)).toBe(true);
    expect(paneCollapsed(DEFAULT_LAYOUT, 'timeline', SMALL)).toBe(false);
    expect(paneCollapsed(DEFAULT_LAYOUT, 'bottom', SMALL)).toBe(false);
  });

  it('the inspector is open from 1500 px wide on, folded below', () => {
    expect(paneCollapsed(DEFAULT_LAYOUT, 'inspector', { width: 1499, height: 900 })).toBe(true);
    expect(paneCollapsed(DEFAULT_LAYOUT, 'inspector', { width: 1500, height: 900 })).toBe(false);
    expect(paneCollapsed(DEFAULT_LAYOUT, 'inspector', LARGE)).toBe(false);
  });

  it("a fold the user chose wins over the window's default, either way", () => {
    const open = { ...DEFAULT_LAYOUT, inspector: { size: undefined, collapsed: false } };
    expect(paneCollapsed(open, 'inspector', SMALL)).toBe(false);
    const shut = { ...DEFAULT_LAYOUT, inspector: { size: undefined, collapsed: true } };
    expect(paneCollapsed(shut, 'inspector', LARGE)).toBe(true);
  });

  it('sizes are kept within limits that leave the diagram room', () => {
    const huge = { ...DEFAULT_LAYOUT, timeline: { size: 5000, collapsed: undefined } };
    expect(paneSize(huge, 'timeline', SMALL)).toBe(paneLimits('timeline', SMALL).max);
    expect(paneLimits('timeline', SMALL).max).toBeLessThanOrEqual(1280 * 0.4);
    const tiny = { ...DEFAULT_LAYOUT, bottom: { size: 3, collapsed: undefined } };
    expect(paneSize(tiny, 'bottom', SMALL)).toBe(120);
    // A bottom panel at its largest leaves the header and 160 px of diagram.
    expect(paneLimits('bottom', SMALL).max).toBe(720 - 44 - 160);
  });
});

describe('the store', () => {
  it('resizes and folds panes as the user asks', () => {
    const s = createAppStore(emptyScenario());
    s.getState().resizePane('timeline', 300.4);
    s.getState().setPaneCollapsed('bottom', true);
    expect(s.getState().layout.timeline).toEqual({ size: 300, collapsed: undefined });
    expect(s.getState().layout.bottom).toEqual({ size: undefined, collapsed: true });
    s.getState().resizePane('timeline', undefined);
    expect(s.getState().layout.timeline.size).toBeUndefined();
  });

  it('selecting something opens a folded inspector; clearing the selection does not', () => {
    const s = createAppStore(emptyScenario(), {
      layout: { ...DEFAULT_LAYOUT, inspector: { size: undefined, collapsed: true } },
    });
    s.getState().select(null);
    expect(s.getState().layout.inspector.collapsed).toBe(true);
    s.getState().select({ kind: 'reg', reg: 'CR0', title: 'SMMU_CR0' });
    expect(s.getState().layout.inspector.collapsed).toBe(false);
  });
});

describe('persistence', () => {
  it('round-trips what the user chose, and only that', () => {
    const kv = memory();
    const chosen = {
      ...DEFAULT_LAYOUT,
      timeline: { size: 320, collapsed: undefined },
      inspector: { size: undefined, collapsed: false },
    };
    saveLayout(kv, chosen);
    expect(loadLayout(kv)).toEqual(chosen);
    expect(JSON.parse(kv.map.get(LAYOUT_KEY)!)).toEqual({
      timeline: { size: 320 },
      inspector: { collapsed: false },
      bottom: {},
    });
  });

  it('reads anything unreadable as not chosen', () => {
    expect(loadLayout(memory())).toEqual(DEFAULT_LAYOUT);
    expect(loadLayout(memory({ [LAYOUT_KEY]: '{oops' }))).toEqual(DEFAULT_LAYOUT);
    expect(loadLayout(memory({ [LAYOUT_KEY]: '[1,2]' }))).toEqual(DEFAULT_LAYOUT);
    const odd = JSON.stringify({
      timeline: { size: 'wide', collapsed: 'yes' },
      inspector: { size: -5, collapsed: true },
      bottom: { size: 1e9 },
    });
    expect(loadLayout(memory({ [LAYOUT_KEY]: odd }))).toEqual({
      timeline: { size: undefined, collapsed: undefined },
      inspector: { size: undefined, collapsed: true },
      bottom: { size: undefined, collapsed: undefined },
    });
  });

  it('a storage that refuses writes loses nothing but the saving', () => {
    const kv: KeyValue = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(() => saveLayout(kv, DEFAULT_LAYOUT)).not.toThrow();
    expect(loadLayout(kv)).toEqual(DEFAULT_LAYOUT);
  });

  it('startLayoutSync writes once per burst of changes, what is pending on flush, nothing after stop', () => {
    vi.useFakeTimers();
    const kv = memory();
    const writes = vi.spyOn(kv, 'setItem');
    const s = createAppStore(emptyScenario());
    const sync = startLayoutSync(s, kv, 100);
    for (let w = 200; w < 260; w += 4) s.getState().resizePane('timeline', w);
    expect(writes).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(writes).toHaveBeenCalledTimes(1);
    expect(loadLayout(kv).timeline.size).toBe(256);
    s.getState().setCursor(0); // not a layout change: no write
    vi.advanceTimersByTime(200);
    expect(writes).toHaveBeenCalledTimes(1);
    s.getState().setPaneCollapsed('bottom', true);
    sync.flush(); // the page goes away before the delay
    expect(loadLayout(kv).bottom.collapsed).toBe(true);
    expect(writes).toHaveBeenCalledTimes(2);
    sync.stop();
    s.getState().setPaneCollapsed('bottom', false);
    vi.advanceTimersByTime(200);
    expect(writes).toHaveBeenCalledTimes(2);
  });
});
