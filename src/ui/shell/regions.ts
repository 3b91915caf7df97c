// The page's regions, for the skip links and F6: each is a landmark with an id, and a place in it
// where keyboard focus lands (the timeline's current op, the diagram's canvas, the stepper tab's
// panel, the inspector). Opening a folded pane (or leaving focus mode) is the caller's part.
import type { PaneId } from '../../state/index.ts';

export type RegionId = 'diagram' | 'stepper' | 'timeline' | 'inspector';

export const REGIONS: readonly {
  readonly id: RegionId;
  readonly label: string;
  /** The pane that holds it (the diagram has none: it is always shown). */
  readonly pane: PaneId | undefined;
}[] = [
  { id: 'diagram', label: 'the diagram', pane: undefined },
  { id: 'stepper', label: 'the stepper', pane: 'bottom' },
  { id: 'timeline', label: 'the timeline', pane: 'timeline' },
  { id: 'inspector', label: 'the inspector', pane: 'inspector' },
];

/** The landmark element of each pane (App gives them these ids). */
export const paneElementId = (p: PaneId | 'diagram'): string => `pane-${p}`;

const first = (root: Element | null, selector: string): HTMLElement | null =>
  root?.querySelector<HTMLElement>(selector) ?? null;

/** Where focus lands in each region (null until the region is drawn). */
function target(id: RegionId): HTMLElement | null {
  switch (id) {
    case 'diagram':
      return first(document.getElementById(paneElementId('diagram')), '[data-testid="diagram"]');
    case 'timeline':
      return first(
        document.getElementById(paneElementId('timeline')),
        '[aria-current="step"], .tl-main',
      );
    case 'stepper':
      // The Stepper tab's panel, where ← → step and Space plays.
      return document.getElementById('tabpanel-stepper');
    case 'inspector': {
      const pane = document.getElementById(paneElementId('inspector'));
      return first(pane, '[data-region-focus]');
    }
  }
}

/**
 * Moves keyboard focus into a region. The caller has just opened its pane (or left focus mode),
 * so the region may be drawn a moment later: focus lands once it is shown (a few frames at most).
 */
export function focusRegion(id: RegionId): void {
  let tries = 10;
  const land = (): void => {
    if (id === 'stepper') {
      // The bottom panel keeps which tab is shown: pick the Stepper tab as a click would.
      const tab = document.getElementById('tab-stepper');
      if (tab && tab.getAttribute('aria-selected') !== 'true') tab.click();
    }
    const el = target(id);
    if (el && !el.closest('[hidden]')) {
      el.focus();
      if (document.activeElement === el) return;
    }
    if (tries-- > 0) setTimeout(land, 16);
  };
  setTimeout(land, 0);
}
