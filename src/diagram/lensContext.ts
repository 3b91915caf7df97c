// The room the chain leaves in the pane, spent on context. With no interaction the lens shows the
// chain in focus and folds the rest into summaries; when the pane has room for more at scale 1,
// the summaries open by themselves, one kind at a time in the order below (other devices first,
// then the owners, then the other tables), as long as the whole layout still fits the pane. A
// larger pane opens as many kinds or more: more context, never less. The user's own clicks on a
// summary flip it from that state (the view's `open` set is read as toggles over it).
import { GROUPS, layoutLens, type LensOptions } from './lens.ts';
import type { Chain } from './chain.ts';
import type { Layout, ViewState } from './layoutTypes.ts';
import type { DiagramModel } from './model.ts';

/** The summaries context may open, in the order they are tried. */
export const CONTEXT_ORDER: readonly string[] = [
  GROUPS.streams,
  GROUPS.procs,
  GROUPS.domains,
  GROUPS.vms,
  GROUPS.cdts,
  GROUPS.trees,
];

/** The fit's margin on each side (panZoomMath's default). */
const MARGIN = 16;

export interface PaneSize {
  readonly avail: number;
  readonly availH: number;
}

/** The whole layout fits a pane of that size at scale 1. */
export const fitsPane = (l: Pick<Layout, 'width' | 'height'>, p: PaneSize): boolean =>
  l.width + 2 * MARGIN <= p.avail && l.height + 2 * MARGIN <= p.availH;

const withOpen = (view: ViewState, open: ReadonlySet<string>): ViewState => ({ ...view, open });

/** The layouts of one chain in one model and view (but for its open set), by options and set. */
interface Laid {
  readonly m: DiagramModel;
  readonly view: Omit<ViewState, 'open'>;
  readonly byKey: Map<string, Layout>;
}
const laid = new WeakMap<Chain, Laid>();
const LAYOUTS_KEPT = 16;

/**
 * layoutLens, memoised per chain: the search for context below lays the chain out once per
 * summary kind, and the lens then lays out the view it settled on — the same layout as the
 * search's last fitting one. Layouts are read-only.
 */
export function lensLayout(m: DiagramModel, view: ViewState, chain: Chain, o: LensOptions): Layout {
  let e = laid.get(chain);
  const same =
    e?.m === m &&
    e.view.collapsed === view.collapsed &&
    e.view.expanded === view.expanded &&
    e.view.shown === view.shown;
  if (!e || !same) laid.set(chain, (e = { m, view, byKey: new Map() }));
  const key = `${o.detail}|${o.avail}|${[...view.open].sort().join(',')}`;
  let l = e.byKey.get(key);
  if (!l) {
    l = layoutLens(m, view, chain, o);
    if (e.byKey.size >= LAYOUTS_KEPT) e.byKey.delete(e.byKey.keys().next().value!);
    e.byKey.set(key, l);
  }
  return l;
}

/** The summaries the pane has room to open (none when the chain alone does not fit). */
export function contextGroups(
  m: DiagramModel,
  view: ViewState,
  chain: Chain,
  o: LensOptions & PaneSize,
): ReadonlySet<string> {
  const auto = new Set<string>();
  if (chain.ids.size === 0) return auto;
  const lo = { detail: o.detail, avail: o.avail };
  const base = lensLayout(m, withOpen(view, auto), chain, lo);
  if (!fitsPane(base, o)) return auto;
  for (const g of CONTEXT_ORDER) {
    if (!base.boxes.some((b) => b.kind === 'summary' && b.group === g)) continue;
    const next = new Set([...auto, g]);
    if (fitsPane(lensLayout(m, withOpen(view, next), chain, lo), o)) auto.add(g);
  }
  return auto;
}

/** The view the lens lays out: the user's toggles over the context the pane opened. */
export function withContext(view: ViewState, auto: ReadonlySet<string>): ViewState {
  if (auto.size === 0) return view;
  const open = new Set(view.open);
  for (const g of auto) if (!open.delete(g)) open.add(g);
  return withOpen(view, open);
}
