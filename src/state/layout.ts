// The page's panes: the timeline (left), the inspector (right) and the bottom panel (stepper,
// queues, caches, PASIDs), each resizable and collapsible. A size or a fold the user chose is kept
// (local storage, through startLayoutSync); what the user left alone follows the window: the
// inspector starts folded to a rail on windows narrower than INSPECTOR_OPEN_AT. Pure functions of
// their inputs; the store holds a Layout and the UI asks here what to draw.
import type { KeyValue } from './persist.ts';
import type { AppStore } from './store.ts';

export const PANES = ['timeline', 'inspector', 'bottom'] as const;
export type PaneId = (typeof PANES)[number];

export interface PaneLayout {
  /** Width (timeline, inspector) or height (bottom) in CSS px; undefined: the window's default. */
  readonly size: number | undefined;
  /** undefined: the window's default (see paneCollapsed). */
  readonly collapsed: boolean | undefined;
}

export type Layout = { readonly [K in PaneId]: PaneLayout };

const UNSET: PaneLayout = { size: undefined, collapsed: undefined };
export const DEFAULT_LAYOUT: Layout = { timeline: UNSET, inspector: UNSET, bottom: UNSET };

export interface Viewport {
  readonly width: number;
  readonly height: number;
}

/** From this window width on the inspector starts open; below it, folded to a rail. */
export const INSPECTOR_OPEN_AT = 1500;

export interface PaneLimits {
  readonly min: number;
  readonly max: number;
  /** The size the pane has until the user resizes it. */
  readonly initial: number;
}

/**
 * What a pane may measure in a window this size. The maxima leave the diagram at least about 320
 * px wide and 160 px tall whatever the other panes measure.
 */
export function paneLimits(id: PaneId, vp: Viewport): PaneLimits {
  const clampMax = (min: number, max: number) => Math.max(min, Math.floor(max));
  switch (id) {
    case 'timeline':
      return {
        min: 180,
        max: clampMax(180, Math.min(560, vp.width * 0.4)),
        initial: vp.width >= INSPECTOR_OPEN_AT ? 320 : 260,
      };
    case 'inspector':
      return {
        min: 240,
        max: clampMax(240, Math.min(760, vp.width * 0.45)),
        initial: vp.width >= INSPECTOR_OPEN_AT ? 380 : 320,
      };
    case 'bottom':
      return {
        min: 120,
        max: clampMax(120, vp.height - 44 - 160),
        initial: Math.round(vp.height * 0.3),
      };
  }
}

const clamp = (v: number, l: PaneLimits): number => Math.min(l.max, Math.max(l.min, v));

/** The pane's size as drawn: the user's, else the default, within the window's limits. */
export function paneSize(layout: Layout, id: PaneId, vp: Viewport): number {
  const l = paneLimits(id, vp);
  return clamp(layout[id].size ?? l.initial, l);
}

/** Whether the pane is folded: the user's choice, else the inspector on a narrow window. */
export function paneCollapsed(layout: Layout, id: PaneId, vp: Viewport): boolean {
  return layout[id].collapsed ?? (id === 'inspector' && vp.width < INSPECTOR_OPEN_AT);
}

export function withSize(layout: Layout, id: PaneId, size: number | undefined): Layout {
  const s = size === undefined ? undefined : Math.round(size);
  return layout[id].size === s ? layout : { ...layout, [id]: { ...layout[id], size: s } };
}

export function withCollapsed(layout: Layout, id: PaneId, collapsed: boolean): Layout {
  return layout[id].collapsed === collapsed
    ? layout
    : { ...layout, [id]: { ...layout[id], collapsed } };
}

export const LAYOUT_KEY = 'sva-explorer/layout';

/** What was saved, field by field: anything unreadable is as if never chosen. */
export function loadLayout(kv: KeyValue): Layout {
  let v: unknown;
  try {
    v = JSON.parse(kv.getItem(LAYOUT_KEY) ?? 'null');
  } catch {
    return DEFAULT_LAYOUT;
  }
  if (!v || typeof v !== 'object') return DEFAULT_LAYOUT;
  const pane = (p: unknown): PaneLayout => {
    if (!p || typeof p !== 'object') return UNSET;
    const { size, collapsed } = p as Record<string, unknown>;
    return {
      size:
        typeof size === 'number' && Number.isFinite(size) && size >= 0 && size <= 100_000
          ? Math.round(size)
          : undefined,
      collapsed: typeof collapsed === 'boolean' ? collapsed : undefined,
    };
  };
  const o = v as Record<string, unknown>;
  return {
    timeline: pane(o['timeline']),
    inspector: pane(o['inspector']),
    bottom: pane(o['bottom']),
  };
}

export function saveLayout(kv: KeyValue, layout: Layout): void {
  try {
    kv.setItem(LAYOUT_KEY, JSON.stringify(layout));
  } catch {
    // Storage full or disabled: the layout lasts for this page only.
  }
}

/**
 * Saves the layout whenever the user changes it, debounced (a pointer drag is one write, not one
 * per pixel). `flush` writes what is pending now (the page is going away); `stop` also unsubscribes.
 */
export function startLayoutSync(
  store: Pick<AppStore, 'subscribe' | 'getState'>,
  kv: KeyValue,
  delayMs = 250,
): { flush(): void; stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    timer = undefined;
    saveLayout(kv, store.getState().layout);
  };
  const unsub = store.subscribe((s, prev) => {
    if (s.layout === prev.layout) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(flush, delayMs);
  });
  return {
    flush,
    stop: () => {
      unsub();
      flush();
    },
  };
}
