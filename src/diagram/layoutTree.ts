// One translation-table tree as rows: a row per table page (indented by level), and, for pages the
// user opened, a row per valid entry. Long lists stop at a limit with a "… N more" row, so a tree
// with thousands of pages costs only what is on screen. Leaves are grouped into runs of
// physically contiguous frames for the frames box beside the tree.
import { levelBits, startLevel } from '../engine/index.ts';
import type { TreeNode } from './model.ts';
import type { TreeTable } from './tree.ts';
import { G, tableKey, type TreeRow, type ViewState } from './layoutTypes.ts';

export interface RunSpec {
  readonly id: string;
  readonly pa: bigint;
  readonly bytes: bigint;
  readonly leaves: number;
}

export interface TreeMeasure {
  readonly rows: readonly TreeRow[];
  readonly h: number;
  readonly runs: readonly RunSpec[];
  readonly moreRuns: number;
  /** Table page → next table page (from the row that points at it). */
  readonly nest: readonly { from: string; to: string }[];
  /** Visible leaf-holding row → the run (or "more runs" row) its frames fall in. */
  readonly leaf: readonly { from: string; to: string }[];
}

/** Most leaf entries of one open table that each get their own arrow to the frames. */
const FAN_MAX = 8;

/** Scoped by tree: two trees may map the same frame, and each draws its own frames box. */
export const runId = (tree: TreeNode, pa: bigint): string =>
  `run:${tree.root.toString(16)}:${pa.toString(16)}`;
export const entryId = (pa: bigint): string => `pte:${pa.toString(16)}`;
export const moreRunsId = (tree: string): string => `${tree}:more-runs`;

export function capacity(tree: TreeNode, level: number): number {
  const [hi, lo] = levelBits(tree.g, level, tree.inputSize);
  const top = level === startLevel(tree.g, tree.inputSize) ? tree.inputSize - 1 : hi;
  return 2 ** (top - lo + 1);
}

type FrameRuns = { readonly runs: readonly RunSpec[]; readonly runOf: (pa: bigint) => string };

/**
 * Per tree, by identity: a tree whose tables did not change is the same TreeNode from model to
 * model (model.ts), and sorting its thousands of leaves is the costliest part of laying it out
 * (the lens lays a chain out several times to find the context that fits, lensContext.ts).
 */
const runsOf = new WeakMap<TreeNode, FrameRuns>();

/** Contiguous physical runs of every leaf in the tree, lowest PA first. */
export function frameRuns(tree: TreeNode): FrameRuns {
  let r = runsOf.get(tree);
  if (!r) runsOf.set(tree, (r = computeRuns(tree)));
  return r;
}

function computeRuns(tree: TreeNode): FrameRuns {
  const leaves = tree.tables
    .flatMap((t) => t.entries)
    .filter((e) => e.kind !== 'table')
    .sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  const runs: { pa: bigint; bytes: bigint; leaves: number }[] = [];
  for (const e of leaves) {
    const last = runs[runs.length - 1];
    if (last && last.pa + last.bytes === e.target) {
      last.bytes += e.size;
      last.leaves++;
    } else if (!last || last.pa + last.bytes < e.target) {
      runs.push({ pa: e.target, bytes: e.size, leaves: 1 });
    } else last.leaves++; // an alias of a frame already counted
  }
  const specs = runs.map((r) => ({ id: runId(tree, r.pa), ...r }));
  const shown = specs.slice(0, G.runsMax);
  const runOf = (pa: bigint): string => {
    const r = shown.find((s) => pa >= s.pa && pa < s.pa + s.bytes);
    return r ? r.id : moreRunsId(tree.id);
  };
  return { runs: specs, runOf };
}

/**
 * What of the view a tree's rows depend on: its fold, its table limit, and the opened pages and
 * entry limits keyed under it. Two views that agree on these lay the tree out alike.
 */
function viewKey(tree: TreeNode, view: ViewState): string {
  if (view.collapsed.has(tree.id)) return 'c';
  const under = `${tree.id}|`;
  let k = `${view.shown.get(tree.id) ?? ''}`;
  for (const e of view.expanded) if (e.startsWith(under)) k += `|e${e}`;
  for (const [e, n] of view.shown) if (e.startsWith(under)) k += `|s${e}=${n}`;
  return k;
}

/** The last few measures of a tree, by view key (a jump back reuses them). */
const measured = new WeakMap<TreeNode, Map<string, TreeMeasure>>();
const MEASURES_KEPT = 4;

/**
 * The tree's rows for `view`, memoised per tree (by identity) and the part of the view it reads.
 * Callers treat the result as read-only.
 */
export function measureTree(tree: TreeNode, view: ViewState): TreeMeasure {
  const key = viewKey(tree, view);
  let byView = measured.get(tree);
  if (!byView) measured.set(tree, (byView = new Map<string, TreeMeasure>()));
  let m = byView.get(key);
  if (!m) {
    m = computeMeasure(tree, view);
    if (byView.size >= MEASURES_KEPT) byView.delete(byView.keys().next().value!);
    byView.set(key, m);
  }
  return m;
}

function computeMeasure(tree: TreeNode, view: ViewState): TreeMeasure {
  if (view.collapsed.has(tree.id))
    return { rows: [], h: G.treeHead, runs: [], moreRuns: 0, nest: [], leaf: [] };
  const start = startLevel(tree.g, tree.inputSize);
  const kids = new Map<string, TreeTable[]>();
  const byPa = new Map<bigint, TreeTable>();
  for (const t of tree.tables) {
    byPa.set(t.pa, t);
    if (t.parent) kids.set(t.parent, [...(kids.get(t.parent) ?? []), t]);
  }
  const { runs, runOf } = frameRuns(tree);
  const rows: TreeRow[] = [];
  const nest: { from: string; to: string }[] = [];
  const leaf: { from: string; to: string }[] = [];
  // Each link once, in the order first met (a Set: a table of hundreds of leaves meets the same
  // few links over and over).
  const linked = new Set<string>();
  const leafLink = (from: string, to: string): void => {
    const k = `${from}>${to}`;
    if (linked.has(k)) return;
    linked.add(k);
    leaf.push({ from, to });
  };
  const tableLimit = view.shown.get(tree.id) ?? G.tablesStep;
  let listed = 0;
  let hiddenTables = 0;
  let y = G.treeHead;
  const push = (r: TreeRow): void => {
    rows.push(r);
    y += G.row;
  };
  // A table reached twice (tables written by hand that point back up: a cycle) is listed once.
  const seen = new Set<string>();
  const visit = (t: TreeTable, from: string | undefined): void => {
    if (seen.has(t.id)) return;
    seen.add(t.id);
    if (listed >= tableLimit) {
      hiddenTables++;
      for (const c of kids.get(t.id) ?? []) visit(c, undefined);
      return;
    }
    listed++;
    const key = tableKey(tree.id, t.id);
    const open = view.expanded.has(key);
    const depth = t.level - start;
    if (from) nest.push({ from, to: t.id });
    push({
      kind: 'table',
      id: t.id,
      y,
      depth,
      table: t,
      expanded: open,
      capacity: capacity(tree, t.level),
    });
    if (!open) {
      for (const e of t.entries) if (e.kind !== 'table') leafLink(t.id, runOf(e.target));
      for (const c of kids.get(t.id) ?? []) visit(c, t.id);
      return;
    }
    const limit = view.shown.get(key) ?? G.entriesStep;
    const later: TreeTable[] = [];
    // Past a handful of leaves, one arrow per entry is a fan, not information: the table row
    // speaks for them.
    const leavesShown = t.entries.slice(0, limit).filter((e) => e.kind !== 'table').length;
    const perEntry = leavesShown <= FAN_MAX;
    if (!perEntry)
      for (const e of t.entries) if (e.kind !== 'table') leafLink(t.id, runOf(e.target));
    t.entries.forEach((e, i) => {
      const child = e.kind === 'table' ? byPa.get(e.target) : undefined;
      if (i >= limit) {
        if (child) later.push(child);
        return;
      }
      const id = entryId(e.pa);
      push({ kind: 'entry', id, y, depth: depth + 1, entry: e, level: t.level });
      if (child) visit(child, id);
      else if (e.kind !== 'table' && perEntry) leafLink(id, runOf(e.target));
    });
    if (t.entries.length > limit) {
      const more = `${t.id}:more`;
      push({
        kind: 'more',
        id: more,
        y,
        depth: depth + 1,
        target: key,
        hidden: t.entries.length - limit,
        what: 'entries',
      });
      for (const c of later) visit(c, more);
    }
  };
  for (const root of tree.tables.filter((t) => !t.parent)) visit(root, undefined);
  if (hiddenTables > 0)
    push({
      kind: 'more',
      id: `${tree.id}:more`,
      y,
      depth: 0,
      target: tree.id,
      hidden: hiddenTables,
      what: 'tables',
    });
  return {
    rows,
    h: y + G.pad / 2,
    runs: runs.slice(0, G.runsMax),
    moreRuns: Math.max(0, runs.length - G.runsMax),
    nest,
    leaf,
  };
}
