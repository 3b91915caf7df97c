// The page's grid: header across the top; the timeline pane on the left; the diagram in the
// middle with the inspector pane to its right; the bottom panel under both. Each pane has a
// separator (resize) and folds to a rail; focus mode hides every pane but the diagram. Sizes come
// from the store's layout and the window (state/layout.ts) as CSS variables of the grid. A folded
// pane keeps its content mounted but hidden, so it comes back as it was (scroll, open notes) and
// the stepper's keys keep working while the bottom panel is folded.
import type { CSSProperties, ReactNode } from 'react';
import { paneCollapsed, paneSize, type PaneId } from '../../state/index.ts';
import { useApp } from '../storeContext.ts';
import { Header } from './Header.tsx';
import { Rail } from './PaneToggle.tsx';
import { paneElementId } from './regions.ts';
import { Separator } from './Separator.tsx';
import { SkipLinks } from './SkipLinks.tsx';
import { useViewport } from './useViewport.ts';

/** A folded pane's rail: wide enough for its button, its name written down the strip. */
const RAIL = 30;
const SEP = 5;

export interface PaneSlots {
  readonly timeline: ReactNode;
  readonly diagram: ReactNode;
  readonly inspector: ReactNode;
  readonly bottom: ReactNode;
  /** Dialogs and popovers that float over the page (not in a grid cell). */
  readonly floating?: ReactNode;
}

export function Panes({ timeline, diagram, inspector, bottom, floating }: PaneSlots) {
  const vp = useViewport();
  const layout = useApp((s) => s.layout);
  const focus = useApp((s) => s.focusMode);
  const folded = (p: PaneId) => paneCollapsed(layout, p, vp);
  const track = (p: PaneId) => (folded(p) ? `${RAIL}px` : `${paneSize(layout, p, vp)}px`);
  const sep = (p: PaneId) => (folded(p) ? '0px' : `${SEP}px`);
  const style = {
    '--pane-timeline': track('timeline'),
    '--pane-inspector': track('inspector'),
    '--pane-bottom': track('bottom'),
    '--sep-timeline': sep('timeline'),
    '--sep-inspector': sep('inspector'),
    '--sep-bottom': sep('bottom'),
  } as CSSProperties;

  const pane = (
    p: PaneId,
    Tag: 'aside' | 'section',
    label: string,
    rail: string,
    content: ReactNode,
  ) => (
    <Tag
      id={paneElementId(p)}
      className={`pane pane-${p}`}
      aria-label={label}
      data-collapsed={folded(p) || undefined}
      data-testid={`pane-${p}`}
    >
      {folded(p) && <Rail pane={p} label={rail} />}
      <div className="pane-body" hidden={folded(p)}>
        {content}
      </div>
    </Tag>
  );

  return (
    <div className="app" data-testid="app" data-focus-mode={focus || undefined} style={style}>
      <SkipLinks />
      <Header />
      {pane('timeline', 'aside', 'Timeline', 'Timeline', timeline)}
      {!folded('timeline') && <Separator pane="timeline" vp={vp} />}
      <main id={paneElementId('diagram')} className="center" aria-label="Diagram">
        {diagram}
      </main>
      {!folded('inspector') && <Separator pane="inspector" vp={vp} />}
      {pane('inspector', 'aside', 'Inspector', 'Inspector', inspector)}
      {!folded('bottom') && <Separator pane="bottom" vp={vp} />}
      {pane(
        'bottom',
        'section',
        'Stepper, queues, caches and PASIDs',
        'Stepper · Queues · Caches · PASIDs',
        bottom,
      )}
      {floating}
    </div>
  );
}
