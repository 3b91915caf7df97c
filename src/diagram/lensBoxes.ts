// What each card of the lens lists, at a detail, for the chain in focus: the rows on the chain,
// and the rest folded into one row ("… 2 more CDs", "… 3 more tables") that opens on demand. At
// 'rows' detail (or opened) a table or tree lists everything, as the full diagram did. Heights
// follow from the rows, so the placement (lens.ts) only stacks them.
import type { Chain } from './chain.ts';
import { entryIdOf } from './chainFind.ts';
import { LINE, ROW, type DetailGeom } from './lensGeom.ts';
import type { CdTableNode, DiagramModel, TreeNode } from './model.ts';
import type { Box, Bounds } from './layoutTypes.ts';
import {
  G,
  tableKey,
  type CdTableRow,
  type Detail,
  type StrtabRow,
  type TreeRow,
  type ViewState,
} from './layoutTypes.ts';
import { capacity, frameRuns, measureTree, runId, type RunSpec } from './layoutTree.ts';
import type { TreeTable } from './tree.ts';

/** The group id that opens a chain table's or tree's folded rows. */
export const rowsGroup = (id: string): string => `rows:${id}`;

export interface Measured<R> {
  readonly rows: readonly R[];
  readonly h: number;
}

/** The stream table: L1STD rows of a 2-level table (those on the chain; all listed at 'rows'). */
export function strtabRows(
  m: DiagramModel,
  chain: Chain,
  detail: Detail,
  g: DetailGeom,
): Measured<StrtabRow> {
  if (detail === 'summary' || m.strtab.fmt === 'linear') return { rows: [], h: g.strtabHead };
  const all = detail === 'rows' || chain.ids.size === 0;
  const shown = m.strtab.l1.filter((l) => all || chain.ids.has(l.id));
  const rows: StrtabRow[] = shown.map((l1, i) => ({
    kind: 'l1std',
    id: l1.id,
    y: g.strtabHead + i * ROW,
    l1,
  }));
  const rest = m.strtab.l1Count - shown.length;
  if (rest > 0)
    rows.push({ kind: 'gap', id: 'strtab:gap', y: g.strtabHead + shown.length * ROW, count: rest });
  return { rows, h: g.strtabHead + rows.length * ROW + G.pad / 2 };
}

/**
 * A CD table's rows. On the chain: its L1CDs and CDs on the chain, then one fold row for the
 * other valid CDs and the invalid ones. Opened, at 'rows' detail, or with no chain at all: every
 * valid CD with the runs of invalid ones between them. Off the chain: the fold row only.
 */
export function cdTableRows(
  t: CdTableNode,
  chain: Chain,
  onChain: boolean,
  view: ViewState,
  detail: Detail,
  g: DetailGeom,
): Measured<CdTableRow> {
  if (detail === 'summary') return { rows: [], h: g.cdtHead };
  const rows: CdTableRow[] = [];
  let y = g.cdtHead;
  const push = (r: CdTableRow): void => {
    rows.push(r);
    y += ROW;
  };
  const full = view.open.has(rowsGroup(t.id)) || (onChain && detail === 'rows');
  const invalid = 2 ** t.s1cdmax - t.rows.length;
  if (full) {
    for (const l1 of t.l1) push({ kind: 'l1cd', id: `l1cd:${t.domain}:${l1.index}`, y, l1 });
    const gapAt = (after: number): void => {
      const gap = t.gaps.find((x) => x.after === after);
      if (gap) push({ kind: 'gap', id: `${t.id}:gap:${after}`, y, count: gap.count });
    };
    gapAt(-1);
    for (const r of t.rows) {
      push({ kind: 'cd', id: r.id, y, row: r });
      gapAt(r.ssid);
    }
  } else {
    const mine = (id: string) => onChain && chain.ids.has(id);
    for (const l1 of t.l1) {
      const id = `l1cd:${t.domain}:${l1.index}`;
      if (mine(id)) push({ kind: 'l1cd', id, y, l1 });
    }
    let shown = 0;
    for (const r of t.rows)
      if (mine(r.id)) {
        push({ kind: 'cd', id: r.id, y, row: r });
        shown++;
      }
    if (t.rows.length - shown > 0 || invalid > 0)
      push({
        kind: 'fold',
        id: `${t.id}:fold`,
        y,
        count: t.rows.length - shown,
        invalid,
        target: rowsGroup(t.id),
      });
  }
  return { rows, h: y + G.pad / 2 };
}

export interface TreeMeasured extends Measured<TreeRow> {
  /** Table → next table (rows detail), leaf row → frames run. */
  readonly nest: readonly { from: string; to: string }[];
  readonly leaf: readonly { from: string; to: string }[];
  readonly runs: readonly RunSpec[];
  readonly moreRuns: number;
}

/** The tables of a tree in walk order (depth first from the root). */
function tablesInOrder(tree: TreeNode): TreeTable[] {
  const kids = new Map<string, TreeTable[]>();
  for (const t of tree.tables) if (t.parent) kids.set(t.parent, [...(kids.get(t.parent) ?? []), t]);
  const out: TreeTable[] = [];
  const visit = (t: TreeTable): void => {
    out.push(t);
    for (const c of kids.get(t.id) ?? []) visit(c);
  };
  for (const r of tree.tables.filter((t) => !t.parent)) visit(r);
  return out;
}

/**
 * A tree's rows. On the chain, at 'cards': one row per level of the walk (the table and the entry
 * read in it), the chain's frames beside it, and the other tables folded. Opened or at 'rows': the
 * full tree (measureTree) with the walk's table pages opened. Off the chain: the fold row only.
 */
export function treeRows(
  tree: TreeNode,
  chain: Chain,
  onChain: boolean,
  view: ViewState,
  detail: Detail,
  g: DetailGeom,
): TreeMeasured {
  const none = { nest: [], leaf: [], runs: [], moreRuns: 0 };
  if (detail === 'summary') return { rows: [], h: g.treeHead, ...none };
  const full = view.open.has(rowsGroup(tree.id)) || (onChain && detail === 'rows');
  if (full) {
    // The walk's table pages opened, on top of what the user opened.
    const expanded = new Set(view.expanded);
    for (const t of tree.tables)
      if (chain.ids.has(t.id) && t.entries.some((e) => chain.ids.has(entryIdOf(e.pa))))
        expanded.add(tableKey(tree.id, t.id));
    const m = measureTree(tree, { ...view, collapsed: new Set(), expanded });
    const shift = g.treeHead - G.treeHead;
    return {
      rows: m.rows.map((r) => ({ ...r, y: r.y + shift })),
      h: m.h + shift,
      nest: m.nest,
      leaf: m.leaf,
      runs: m.runs,
      moreRuns: m.moreRuns,
    };
  }
  const rows: TreeRow[] = [];
  let y = g.treeHead;
  const leaf: { from: string; to: string }[] = [];
  const tables = onChain ? tablesInOrder(tree).filter((t) => chain.ids.has(t.id)) : [];
  const start = tree.tables.find((t) => !t.parent)?.level ?? 0;
  // A tree on the chain with no walk through it: its root table stands for it.
  if (onChain && tables.length === 0 && tree.tables[0]) tables.push(tablesInOrder(tree)[0]!);
  for (const t of tables) {
    const entries = t.entries.filter((e) => chain.ids.has(entryIdOf(e.pa)));
    const depth = t.level - start;
    if (entries.length === 0)
      rows.push({
        kind: 'table',
        id: t.id,
        y,
        depth,
        table: t,
        expanded: false,
        capacity: capacity(tree, t.level),
      });
    for (const e of entries) {
      const id = entryIdOf(e.pa);
      rows.push({
        kind: 'walk',
        id,
        y,
        depth,
        table: t,
        entry: e,
        level: t.level,
        capacity: capacity(tree, t.level),
      });
      if (e.kind !== 'table') leaf.push({ from: id, to: runId(tree, e.target) });
      y += ROW;
    }
    if (entries.length === 0) y += ROW;
  }
  const rest = tree.tables.length - tables.length;
  if (rest > 0) {
    rows.push({
      kind: 'fold',
      id: `${tree.id}:fold`,
      y,
      depth: 0,
      count: rest,
      target: rowsGroup(tree.id),
    });
    y += ROW;
  }
  const runs = chainRuns(tree, chain, onChain);
  return { rows, h: y + G.pad / 2, nest: [], leaf, runs: runs.runs, moreRuns: runs.more };
}

/** The frames beside a tree on the chain: the ones the walk ended in, the rest counted. */
function chainRuns(
  tree: TreeNode,
  chain: Chain,
  onChain: boolean,
): { runs: RunSpec[]; more: number } {
  const all = frameRuns(tree).runs;
  if (!onChain) return { runs: [], more: 0 };
  const mine = chain.frames.filter((f) => f.tree === tree.id);
  const runs = mine.map((f) => {
    const r = all.find((x) => f.pa >= x.pa && f.pa < x.pa + x.bytes);
    return { id: runId(tree, f.pa), pa: f.pa, bytes: f.size, leaves: r ? 1 : 0 };
  });
  return { runs, more: Math.max(0, all.length - runs.length) };
}

/** Height of a frames box listing `runs` (and "… N more" when some are not listed). */
export const framesH = (g: DetailGeom, runs: number, more: boolean, detail: Detail): number =>
  detail === 'summary' ? LINE : g.framesHead + (runs + (more ? 1 : 0)) * ROW + G.pad / 2;

/** VMAs a process card lists at a detail. */
export const vmasShown = (detail: Detail, vmas: number): number =>
  detail === 'summary' ? 0 : Math.min(vmas, G.vmasMax);

export function procH(g: DetailGeom, detail: Detail, vmas: number): number {
  if (detail === 'summary') return g.procH;
  const shown = vmasShown(detail, vmas);
  return g.procH + (shown + (vmas > shown ? 1 : 0)) * (ROW - 2) + G.pad / 2;
}

/** The box around `boxes` (what Fit fits). */
export function boundsOf(boxes: readonly Box[]): Bounds | undefined {
  if (boxes.length === 0) return undefined;
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const r = Math.max(...boxes.map((b) => b.x + b.w));
  const bt = Math.max(...boxes.map((b) => b.y + b.h));
  return { x, y, width: r - x, height: bt - y };
}

/** Trees in the order CD rows point at them, then CPU-only trees in process order. */
export function treeOrder(m: DiagramModel): TreeNode[] {
  const byId = new Map(m.trees.map((t) => [t.id, t]));
  const out: TreeNode[] = [];
  const take = (id: string | undefined): void => {
    const t = id === undefined ? undefined : byId.get(id);
    if (t && !out.includes(t)) out.push(t);
  };
  for (const t of m.cdTables) for (const r of t.rows) take(r.tree);
  for (const p of m.processes) take(p.tree);
  for (const t of m.trees) take(t.id);
  return out;
}
