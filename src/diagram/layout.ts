// Model → positioned boxes and edges, laid out the way the hardware reads, left to right:
// streams (STEs) → CD tables → translation-table trees → frames, with processes on the far right.
// Each column is a stack; a box is pulled down to line up with the first row that points at it
// (so most arrows run straight across), but never up into the box above it.
import { linkPath } from './linkPath.ts';
import type { DiagramModel, TreeNode } from './model.ts';
import {
  G,
  type Anchor,
  type Box,
  type CdTableBox,
  type CdTableRow,
  type Edge,
  type EdgeKind,
  type FramesBox,
  type Layout,
  type ProcessBox,
  type Pt,
  type StreamBox,
  type TreeBox,
  type ViewState,
} from './layoutTypes.ts';
import { measureTree, moreRunsId } from './layoutTree.ts';
import { placeVms } from './layoutVm.ts';

/** Column x positions. */
export const COLS = (() => {
  const stream = 0;
  const cdt = stream + G.streamW + G.colGap;
  const tree = cdt + G.cdtW + G.colGap;
  const frames = tree + G.treeW + G.framesGap;
  const proc = frames + G.framesW + G.colGap;
  return { stream, cdt, tree, frames, proc, right: proc + G.procW };
})();

export function layoutDiagram(model: DiagramModel, view: ViewState): Layout {
  const boxes: Box[] = [];
  const anchors = new Map<string, Anchor>();
  const anchor = (id: string, x: number, y: number, w: number): void => {
    anchors.set(id, { l: { x, y }, r: { x: x + w, y } });
  };

  // Streams: one card per STE, by SID.
  let y = 0;
  for (const s of model.streams) {
    const b: StreamBox = {
      kind: 'stream',
      id: s.id,
      x: COLS.stream,
      y,
      w: G.streamW,
      h: G.streamH,
      stream: s,
      detail: 'rows',
    };
    boxes.push(b);
    anchor(s.id, b.x, y + G.streamH - G.row / 2 - G.pad / 2, G.streamW);
    y += G.streamH + G.nodeGap;
  }

  // CD tables, in the order their first stream appears.
  const streamIdx = (sids: readonly number[]): number => {
    const i = model.streams.findIndex((s) => sids.includes(s.sid));
    return i < 0 ? Infinity : i;
  };
  const tables = [...model.cdTables].sort((a, b) => streamIdx(a.sids) - streamIdx(b.sids));
  y = 0;
  for (const t of tables) {
    const collapsed = view.collapsed.has(t.id);
    const rows: CdTableRow[] = [];
    let ry = G.cdtHead;
    if (!collapsed) {
      for (const l1 of t.l1) {
        rows.push({ kind: 'l1cd', id: `l1cd:${t.domain}:${l1.index}`, y: ry, l1 });
        ry += G.row;
      }
      const gapAt = (after: number): void => {
        const g = t.gaps.find((x) => x.after === after);
        if (!g) return;
        rows.push({ kind: 'gap', id: `${t.id}:gap:${after}`, y: ry, count: g.count });
        ry += G.row;
      };
      gapAt(-1);
      for (const r of t.rows) {
        rows.push({ kind: 'cd', id: r.id, y: ry, row: r });
        ry += G.row;
        gapAt(r.ssid);
      }
    }
    const h = ry + G.pad / 2;
    const first = model.streams.find((s) => s.cdTable === t.id);
    const want = first ? anchors.get(first.id)!.r.y - G.cdtHead / 2 : 0;
    const by = Math.max(y, want);
    const devs = model.streams.filter((s) => s.cdTable === t.id).map((s) => s.dev);
    const b: CdTableBox = {
      kind: 'cdtable',
      id: t.id,
      x: COLS.cdt,
      y: by,
      w: G.cdtW,
      h,
      table: t,
      collapsed,
      rows,
      devs,
      detail: 'rows',
    };
    boxes.push(b);
    anchor(t.id, b.x, by + G.cdtHead / 2, G.cdtW);
    for (const r of rows) anchor(r.id, b.x, by + r.y + G.row / 2, G.cdtW);
    // A folded table's rows still own their arrows: they leave from the header.
    if (collapsed) for (const r of t.rows) anchors.set(r.id, anchors.get(t.id)!);
    y = by + h + G.nodeGap;
  }

  // Trees: first the ones CD rows point at (in row order), then CPU-only ones (process order).
  const treeById = new Map(model.trees.map((t) => [t.id, t]));
  const order: TreeNode[] = [];
  const seen = new Set<string>();
  const take = (id: string | undefined): void => {
    const t = id ? treeById.get(id) : undefined;
    if (t && !seen.has(t.id)) {
      seen.add(t.id);
      order.push(t);
    }
  };
  for (const t of tables) for (const r of t.rows) take(r.tree);
  for (const p of model.processes) take(p.tree);
  for (const t of model.trees) take(t.id);

  const edges: Edge[] = [];
  const inner: { from: string; to: string; kind: EdgeKind }[] = [];
  y = 0;
  for (const t of order) {
    const m = measureTree(t, view);
    const firstCd = t.owners.find((o) => o.via === 'cd' && anchors.has(o.from));
    const want = firstCd ? anchors.get(firstCd.from)!.r.y - 20 : 0;
    const by = Math.max(y, want);
    const streams = new Set(
      t.owners.flatMap((o) => {
        const table =
          o.via === 'cd' ? tables.find((x) => x.rows.some((r) => r.id === o.from)) : undefined;
        return table ? table.sids : [];
      }),
    ).size;
    const b: TreeBox = {
      kind: 'tree',
      id: t.id,
      x: COLS.tree,
      y: by,
      w: G.treeW,
      h: m.h,
      tree: t,
      collapsed: view.collapsed.has(t.id),
      rows: m.rows,
      streams,
      detail: 'rows',
    };
    boxes.push(b);
    anchor(t.id, b.x, by + 20, G.treeW);
    for (const r of m.rows)
      anchor(
        r.id,
        b.x + G.pad + r.depth * G.indent,
        by + r.y + G.row / 2,
        G.treeW - G.pad - r.depth * G.indent,
      );
    let bottom = by + m.h;
    if (m.runs.length > 0) {
      const fy = by + G.treeHead;
      const runs = m.runs.map((r, i) => ({ ...r, y: G.framesHead + i * G.row }));
      const fh = G.framesHead + (runs.length + (m.moreRuns ? 1 : 0)) * G.row + G.pad / 2;
      const f: FramesBox = {
        kind: 'frames',
        id: `frames:${t.id}`,
        x: COLS.frames,
        y: fy,
        w: G.framesW,
        h: fh,
        tree: t.id,
        runs,
        more: m.moreRuns,
      };
      boxes.push(f);
      for (const r of runs) anchor(r.id, f.x, fy + r.y + G.row / 2, G.framesW);
      if (m.moreRuns)
        anchor(
          moreRunsId(t.id),
          f.x,
          fy + G.framesHead + runs.length * G.row + G.row / 2,
          G.framesW,
        );
      bottom = Math.max(bottom, fy + fh);
    }
    inner.push(...m.nest.map((e) => ({ ...e, kind: 'nest' as const })));
    inner.push(...m.leaf.map((e) => ({ ...e, kind: 'leaf' as const })));
    y = bottom + G.nodeGap * 1.5;
  }

  // Processes, lined up with the tree their mm points at.
  const procs = [...model.processes].sort(
    (a, b) => (anchors.get(a.tree)?.l.y ?? 0) - (anchors.get(b.tree)?.l.y ?? 0),
  );
  y = 0;
  for (const p of procs) {
    const vmasShown = Math.min(p.vmas.length, G.vmasMax);
    const h =
      G.procHead + (vmasShown + (p.vmas.length > vmasShown ? 1 : 0)) * (G.row - 2) + G.pad / 2;
    const want = (anchors.get(p.tree)?.r.y ?? 0) - 20;
    const by = Math.max(y, want);
    const b: ProcessBox = {
      kind: 'process',
      id: p.id,
      x: COLS.proc,
      y: by,
      w: G.procW,
      h,
      proc: p,
      vmasShown,
      detail: 'rows',
    };
    boxes.push(b);
    anchor(p.id, b.x, by + 20, G.procW);
    y = by + h + G.nodeGap;
  }

  // Edges between boxes, then the ones inside trees.
  const add = (from: string, to: string, kind: EdgeKind, role?: TreeNode['role']): void => {
    const a = anchors.get(from);
    const b = anchors.get(to);
    if (!a || !b) return;
    const leftward = kind === 'mm';
    const src = leftward ? a.l : a.r;
    const dst = leftward ? b.r : b.l;
    const d =
      kind === 'nest'
        ? elbow(dst, a)
        : linkPath([src.x, src.y], [dst.x + (leftward ? 4 : -4), dst.y]);
    edges.push({ id: `${from}->${to}`, from, to, kind, ...(role ? { role } : {}), d, src, dst });
  };
  for (const s of model.streams) if (s.cdTable) add(s.id, s.cdTable, 'ste');
  for (const t of tables)
    for (const r of t.rows) if (r.tree) add(r.id, r.tree, 'cd', treeById.get(r.tree)?.role);
  for (const p of model.processes) add(p.id, p.tree, 'mm', treeById.get(p.tree)?.role);
  for (const e of inner) add(e.from, e.to, e.kind);

  // Each VM in a band below the host's structures (layoutVm.ts).
  placeVms(model, view, { boxes, edges, anchors }, layoutDiagram, COLS);
  const width = Math.max(COLS.right, ...boxes.map((b) => b.x + b.w));
  const height = Math.max(0, ...boxes.map((b) => b.y + b.h));
  return { boxes, edges, anchors, width, height, detail: 'rows', chain: undefined };
}

/** Table → next table inside a tree: down the indent gutter, then right into the child's row. */
function elbow(dst: Pt, from: Anchor): string {
  // An open table's entry sits at its child's indent: hook in from just left of both rows.
  const x = Math.min(from.l.x + 6, dst.x - 6);
  return `M${x},${from.l.y + 6}V${dst.y}H${dst.x}`;
}
