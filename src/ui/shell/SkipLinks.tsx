// The first stops of the Tab order: links to the diagram, the stepper, the timeline and the
// inspector, hidden until focused. Following one opens its pane if it is folded (and leaves focus
// mode for a pane it hides), then moves focus there — the stepper is two Tabs and Enter away.
import type { MouseEvent } from 'react';
import { useAppStore } from '../storeContext.ts';
import { focusRegion, paneElementId, REGIONS, type RegionId } from './regions.ts';

export function SkipLinks() {
  const store = useAppStore();
  const go = (
    e: MouseEvent<HTMLAnchorElement>,
    id: RegionId,
    pane: (typeof REGIONS)[number]['pane'],
  ) => {
    e.preventDefault();
    const s = store.getState();
    if (pane) {
      if (s.focusMode) s.setFocusMode(false);
      s.setPaneCollapsed(pane, false);
    }
    focusRegion(id);
  };
  return (
    <nav className="skip-links" aria-label="Skip links">
      <ul>
        {REGIONS.map((r) => (
          <li key={r.id}>
            <a
              href={`#${paneElementId(r.pane ?? 'diagram')}`}
              data-testid={`skip-${r.id}`}
              onClick={(e) => go(e, r.id, r.pane)}
            >
              Skip to {r.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
