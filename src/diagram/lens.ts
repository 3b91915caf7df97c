// The lens: the chain in focus (chain.ts) laid out in four narrow columns, the way the hardware
// reads — the stream table with its STEs hanging off it, the CD tables, the translation tables
// (one row per level of the walk), then the frames and the owners (processes, domains). What is
// off the chain folds into summary boxes ("3 more streams") that open on demand. When the pane is
// too narrow for the four columns at scale 1, the right half wraps under the left (two bands), so
// the chain still fits at a readable size instead of being scaled down.
import type { Chain } from './chain.ts';
import { lensEdges } from './lensEdges.ts';
import { BAND, columns, GEOM, HANG, ROW, STACK } from './lensGeom.ts';
import { boundsOf, cdTableRows, framesH, strtabRows, treeOrder, treeRows } from './lensBoxes.ts';
import { placeOwners, SIDE_GROUPS } from './lensSide.ts';
import { lensModel, nestedOf } from './lensVm.ts';
import type { DiagramModel } from './model.ts';
import {
  G,
  type Anchor,
  type Box,
  type Detail,
  type Layout,
  type SummaryBox,
  type ViewState,
} from './layoutTypes.ts';
import { moreRunsId } from './layoutTree.ts';

/** Summary group ids (the view's `open` set holds the ones the user opened). */
export const GROUPS = {
  streams: 'more:streams',
  cdts: 'more:cdts',
  trees: 'more:trees',
  ...SIDE_GROUPS,
} as const;

/** The width one band of four columns needs at `detail` (plus the fit margins). */
export const lensWidth = (detail: Detail): number => columns(GEOM[detail]).right;

export interface LensOptions {
  readonly detail: Detail;
  /** The pane's width in CSS px: narrower than one band wraps into two. */
  readonly avail: number;
}

export function layoutLens(
  host: DiagramModel,
  view: ViewState,
  chain: Chain,
  o: LensOptions,
): Layout {
  // A VM's guest CD tables, guest trees and stage 2 take their place among the host's.
  const m = lensModel(host);
  const detail = o.detail;
  const g = GEOM[detail];
  const c = columns(g);
  const wrap = o.avail < c.right + 32;
  const boxes: Box[] = [];
  const anchors = new Map<string, Anchor>();
  const onChain = new Set<string>();
  const anchor = (id: string, x: number, y: number, w: number): void => {
    anchors.set(id, { l: { x, y }, r: { x: x + w, y } });
  };
  const everything = chain.ids.size === 0;
  const on = (id: string): boolean => everything || chain.ids.has(id);
  const col = { stream: 0, cdt: 0, tree: 0, side: 0 };
  // The right half's x: beside the left half, or under it (wrapped).
  const tx = wrap ? HANG : c.tree;
  const sx = wrap ? HANG + g.treeW + g.gap : c.side;
  const summary = (
    key: keyof typeof col,
    x: number,
    w: number,
    group: string,
    title: string,
    names: readonly string[],
    changed: number,
  ): void => {
    if (names.length === 0) return;
    const b: SummaryBox = {
      kind: 'summary',
      id: group,
      x,
      y: col[key],
      w,
      h: g.summaryH,
      group,
      title,
      names,
      open: view.open.has(group),
      changed,
    };
    boxes.push(b);
    anchor(group, x, b.y + b.h / 2, w);
    col[key] = b.y + b.h + STACK;
  };

  // 1. The stream table, with the STE cards on the chain hanging off it.
  const st = strtabRows(m, chain, detail, g);
  boxes.push({
    kind: 'strtab',
    id: m.strtab.id,
    x: c.stream,
    y: 0,
    w: g.streamW,
    h: st.h,
    strtab: m.strtab,
    rows: st.rows,
    detail,
    streams: m.streams.length,
  });
  onChain.add(m.strtab.id);
  anchor(m.strtab.id, c.stream, 13, g.streamW);
  for (const r of st.rows) anchor(r.id, c.stream, r.y + G.row / 2, g.streamW);
  col.stream = st.h + STACK;
  const openStreams = view.open.has(GROUPS.streams);
  const offStreams = m.streams.filter((s) => !on(s.id));
  for (const s of m.streams) {
    if (!on(s.id) && !openStreams) continue;
    const w = g.streamW - HANG;
    // A nested STE names the guest STE it was built from on one more line.
    const n = nestedOf(m, s.sid);
    const guest = n && { vm: n.vm.name, vsid: n.stream.vsid, ste: n.stream.guest };
    const h = g.streamH + (guest && detail !== 'summary' ? ROW - 2 : 0);
    boxes.push({
      kind: 'stream',
      id: s.id,
      x: c.stream + HANG,
      y: col.stream,
      w,
      h,
      stream: s,
      detail,
      ...(guest ? { guest } : {}),
    });
    if (on(s.id)) onChain.add(s.id);
    const mid = col.stream + (detail === 'summary' ? h / 2 : g.streamH - G.row / 2 - G.pad / 2);
    anchor(s.id, c.stream + HANG, mid, w);
    col.stream += h + STACK;
  }
  // Wrapped, the left half's summaries go under the owners, so the chain's two bands stay close.
  const later: (() => void)[] = [];
  const fold = (
    f: (k: keyof typeof col, x: number, w: number) => void,
    k: keyof typeof col,
    x: number,
    w: number,
  ) => (wrap ? later.push(() => f('side', sx, g.sideW)) : f(k, x, w));
  fold(
    (k, x, w) =>
      summary(
        k,
        x,
        w,
        GROUPS.streams,
        openStreams ? 'Hide streams off the chain' : `${offStreams.length} more streams`,
        offStreams.map((s) => s.dev),
        0,
      ),
    'stream',
    c.stream + HANG,
    g.streamW - HANG,
  );

  // 2. CD tables: the chain's rows; other tables as one summary (opened: folded cards).
  const openCdts = view.open.has(GROUPS.cdts);
  const offCdts = m.cdTables.filter((t) => !on(t.id));
  for (const t of m.cdTables) {
    const mine = on(t.id);
    if (!mine && !openCdts) continue;
    const r = cdTableRows(t, chain, mine && !everything, view, detail, g);
    const first = m.streams.find((s) => s.cdTable === t.id && anchors.has(s.id));
    const want = first ? anchors.get(first.id)!.r.y - g.cdtHead / 2 : 0;
    const y = Math.max(col.cdt, wrap ? 0 : want);
    const devs = m.streams.filter((s) => s.cdTable === t.id).map((s) => s.dev);
    boxes.push({
      kind: 'cdtable',
      id: t.id,
      x: c.cdt,
      y,
      w: g.cdtW,
      h: r.h,
      table: t,
      collapsed: false,
      rows: r.rows,
      devs,
      detail,
    });
    if (mine) onChain.add(t.id);
    anchor(t.id, c.cdt, y + Math.min(g.cdtHead, 26) / 2, g.cdtW);
    for (const row of r.rows) anchor(row.id, c.cdt, y + row.y + G.row / 2, g.cdtW);
    // A row not listed still owns its arrow: it leaves from the table's header.
    for (const row of t.rows) if (!anchors.has(row.id)) anchors.set(row.id, anchors.get(t.id)!);
    col.cdt = y + r.h + STACK;
  }
  fold(
    (k, x, w) =>
      summary(
        k,
        x,
        w,
        GROUPS.cdts,
        openCdts ? 'Hide CD tables off the chain' : `${offCdts.length} more CD tables`,
        offCdts.map((t) => t.domain),
        0,
      ),
    'cdt',
    c.cdt,
    g.cdtW,
  );

  // The right half: in place, or wrapped under the left half.
  const top = wrap ? Math.max(col.stream, col.cdt) - STACK + BAND : 0;
  col.tree = top;
  col.side = top;

  // 3. Trees, in CD-row order, then CPU-only ones; each with its chain frames beside it.
  const order = treeOrder(m);
  const openTrees = view.open.has(GROUPS.trees);
  const offTrees = order.filter((t) => !on(t.id));
  const inner: { from: string; to: string; kind: 'nest' | 'leaf' }[] = [];
  for (const t of order) {
    const mine = on(t.id);
    if (!mine && !openTrees) continue;
    const r = treeRows(t, chain, mine && !everything, view, detail, g);
    const firstCd = t.owners.find((ow) => ow.via === 'cd' && anchors.has(ow.from));
    // Level with the top of the CD table its first CD row is in (the row's arrow rises a little):
    // level with the row itself, a tree sat a table header lower, and its owner lower still.
    const owning =
      firstCd &&
      boxes.find((b) => b.kind === 'cdtable' && b.rows.some((row) => row.id === firstCd.from));
    const want = firstCd && !wrap ? (owning?.y ?? anchors.get(firstCd.from)!.r.y - 20) : top;
    // A guest's stage 1 goes under its CD table (the stage-1 column), so its stage 2 — the
    // tables every guest read goes through — has the tree column to itself beside it.
    const guest = t.role === 'guest' && !wrap;
    const [x0, w0] = guest ? [c.cdt, g.cdtW] : [tx, g.treeW];
    const y = guest ? col.cdt : Math.max(col.tree, want);
    const streams = new Set(
      t.owners.flatMap(
        (ow) => m.cdTables.find((x) => x.rows.some((row) => row.id === ow.from))?.sids ?? [],
      ),
    ).size;
    boxes.push({
      kind: 'tree',
      id: t.id,
      x: x0,
      y,
      w: w0,
      h: r.h,
      tree: t,
      collapsed: false,
      rows: r.rows,
      streams,
      detail,
    });
    if (mine) onChain.add(t.id);
    anchor(t.id, x0, y + 20, w0);
    for (const row of r.rows) {
      const x = x0 + G.pad + row.depth * G.indent;
      anchor(row.id, x, y + row.y + G.row / 2, w0 - G.pad - row.depth * G.indent);
      if (row.kind === 'walk') anchor(row.table.id, x, y + row.y + G.row / 2, w0 - G.pad);
    }
    if (guest) col.cdt = y + r.h + STACK;
    else col.tree = y + r.h + STACK;
    inner.push(...r.nest.map((e) => ({ ...e, kind: 'nest' as const })));
    inner.push(...r.leaf.map((e) => ({ ...e, kind: 'leaf' as const })));
    if (r.runs.length === 0 || detail === 'summary') continue;
    const fy = Math.max(col.side, y);
    const runs = r.runs.map((run, i) => ({ ...run, y: g.framesHead + i * G.row }));
    const fh = framesH(g, runs.length, r.moreRuns > 0, detail);
    boxes.push({
      kind: 'frames',
      id: `frames:${t.id}`,
      x: sx,
      y: fy,
      w: g.sideW,
      h: fh,
      tree: t.id,
      runs,
      more: r.moreRuns,
    });
    if (mine) onChain.add(`frames:${t.id}`);
    for (const run of runs) anchor(run.id, sx, fy + run.y + G.row / 2, g.sideW);
    if (r.moreRuns)
      anchor(moreRunsId(t.id), sx, fy + g.framesHead + runs.length * G.row + G.row / 2, g.sideW);
    col.side = fy + fh + STACK;
  }
  summary(
    'tree',
    tx,
    g.treeW,
    GROUPS.trees,
    openTrees ? 'Hide page tables off the chain' : `${offTrees.length} more page-table trees`,
    offTrees.map((t) => t.owners[0]?.label ?? t.id),
    0,
  );

  // 4. Owners: the processes, domains and VMs on the chain, lined up with their tree.
  placeOwners({
    m,
    view,
    g,
    detail,
    x: sx,
    on,
    anchors,
    col,
    place: (b, dy) => {
      boxes.push(b);
      if (on(b.id)) onChain.add(b.id);
      anchor(b.id, b.x, b.y + dy, b.w);
      col.side = b.y + b.h + STACK;
    },
    summary: (group, title, names) => summary('side', sx, g.sideW, group, title, names, 0),
  });
  for (const f of later) f();

  const edges = lensEdges(m, anchors, inner, wrap);
  const width = Math.max(0, ...boxes.map((b) => b.x + b.w));
  const height = Math.max(0, ...boxes.map((b) => b.y + b.h));
  return {
    boxes,
    edges,
    anchors,
    width,
    height,
    detail,
    chain: boundsOf(boxes.filter((b) => onChain.has(b.id))),
  };
}
