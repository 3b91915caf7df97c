// The stepper in the diagram: which drawn rows the current step and the path so far touch, what
// must be opened for them to be drawn at all, and the connector drawn along the path. Pure:
// model/layout in, view additions and marks out. The rows are found by the PA of the structure
// read or written (an STE, an L1CD or CD, a translation table descriptor). A write's PA is that
// of its first word, often not the structure's first (a CD is written from dword 1, V last), so
// a PA anywhere inside an STE or CD finds its row.
import { assertNever } from '../engine/index.ts';
import type { Focus } from './focus.ts';
import type { DiagramModel, TreeNode } from './model.ts';
import { G, tableKey, type Anchor, type Layout, type ViewState } from './layoutTypes.ts';
import type { TreeTable } from './tree.ts';

/** A row the step touches. `exact`: the row is that structure (not the table page holding it). */
export interface StepMark {
  readonly id: string;
  readonly pa: bigint;
  readonly exact: boolean;
}

export interface StepMarks {
  readonly current: StepMark | undefined;
  /** Rows of the walk so far, in order, without repeats; the current one last if it is on it. */
  readonly path: readonly StepMark[];
}

/** STEs and CDs are 64 bytes and 64-byte aligned (§5.2, §5.4): the base of the one holding `pa`. */
const base64 = (pa: bigint): bigint => pa & ~63n;
/** L1 descriptors and translation table descriptors are 8 bytes. */
const base8 = (pa: bigint): bigint => pa & ~7n;

/** The table page of `tree` holding the descriptor at `pa` (a table page is one granule). */
function tableHolding(tree: TreeNode, pa: bigint): TreeTable | undefined {
  const bytes = 1n << BigInt(tree.g);
  return tree.tables.find((t) => pa >= t.pa && pa < t.pa + bytes);
}

/**
 * `view` plus what the PAs need to be drawn: their CD table or tree unfolded, the table page
 * holding each descriptor opened, and enough of its entries (and of the tree's tables) listed.
 * Returns `view` itself when nothing needs opening, so memoised layouts stay valid.
 */
export function revealPas(model: DiagramModel, view: ViewState, pas: readonly bigint[]): ViewState {
  if (pas.length === 0) return view;
  const collapsed = new Set(view.collapsed);
  const expanded = new Set(view.expanded);
  const shown = new Map(view.shown);
  let changed = false;
  const open = (id: string) => (changed = collapsed.delete(id) || changed);
  for (const pa of pas) {
    for (const c of model.cdTables)
      if (c.rows.some((r) => r.pa === base64(pa)) || c.l1.some((l) => l.pa === base8(pa)))
        open(c.id);
    for (const tree of model.trees) {
      const t = tableHolding(tree, pa);
      if (!t) continue;
      open(tree.id);
      const key = tableKey(tree.id, t.id);
      if (!expanded.has(key)) {
        expanded.add(key);
        changed = true;
      }
      const at = t.entries.findIndex((e) => e.pa === pa);
      const listed = shown.get(key) ?? G.entriesStep;
      if (at >= listed) {
        shown.set(key, Math.ceil((at + 1) / G.entriesStep) * G.entriesStep);
        changed = true;
      }
      const tables = shown.get(tree.id) ?? G.tablesStep;
      if (tree.tables.length > tables) {
        shown.set(tree.id, tree.tables.length);
        changed = true;
      }
    }
  }
  return changed ? { ...view, collapsed, expanded, shown } : view;
}

/** PA → the row drawing that structure, and the table pages by range, for one layout. */
export interface RowIndex {
  /** 8-byte rows (L1CDs, translation table descriptors) by their address. */
  readonly exact: ReadonlyMap<bigint, string>;
  /** 64-byte rows (STEs, CDs) by their base. */
  readonly blocks: ReadonlyMap<bigint, string>;
  readonly pages: readonly { readonly id: string; readonly lo: bigint; readonly hi: bigint }[];
}

export function indexRows(layout: Layout): RowIndex {
  const exact = new Map<bigint, string>();
  const blocks = new Map<bigint, string>();
  const pages: { id: string; lo: bigint; hi: bigint }[] = [];
  for (const b of layout.boxes) {
    switch (b.kind) {
      case 'stream':
        // A stream without an STE in memory (a 2-level table with no L2 for it) has no address.
        if (b.stream.ste.length) blocks.set(b.stream.stePa, b.id);
        break;
      case 'cdtable':
        for (const r of b.rows)
          if (r.kind === 'cd') blocks.set(r.row.pa, r.id);
          else if (r.kind === 'l1cd') exact.set(r.l1.pa, r.id);
        break;
      case 'tree': {
        const bytes = 1n << BigInt(b.tree.g);
        for (const r of b.rows)
          if (r.kind === 'entry') exact.set(r.entry.pa, r.id);
          else if (r.kind === 'walk') {
            // One level of the lens's walk: the entry read, and its table page around it.
            exact.set(r.entry.pa, r.id);
            pages.push({ id: r.id, lo: r.table.pa, hi: r.table.pa + bytes });
          } else if (r.kind === 'table')
            pages.push({ id: r.id, lo: r.table.pa, hi: r.table.pa + bytes });
        break;
      }
      case 'strtab':
        for (const r of b.rows) if (r.kind === 'l1std') exact.set(r.l1.pa, r.id);
        break;
      case 'frames':
      case 'process':
      case 'domain':
      case 'summary':
        break; // no structure in simulated memory drawn as a row
      default:
        assertNever(b, 'box');
    }
  }
  return { exact, blocks, pages };
}

/** The row of the structure containing `pa`, else the table page holding it (not exact). */
function markFor(index: RowIndex, pa: bigint): StepMark | undefined {
  const id = index.exact.get(base8(pa)) ?? index.blocks.get(base64(pa));
  if (id !== undefined) return { id, pa, exact: true };
  const page = index.pages.find((p) => pa >= p.lo && pa < p.hi);
  return page ? { id: page.id, pa, exact: false } : undefined;
}

export function stepMarks(index: RowIndex, focus: Focus): StepMarks {
  const path: StepMark[] = [];
  for (const pa of focus.path) {
    const m = markFor(index, pa);
    if (m && path[path.length - 1]?.id !== m.id) path.push(m);
  }
  const current = focus.current !== undefined ? markFor(index, focus.current) : undefined;
  return { current, path };
}

/**
 * The connector along the path: from each row to the next. A row to its right is reached from
 * its right edge; a row in the same column (the next table down a tree) by a loop on the left.
 */
export function pathD(anchors: ReadonlyMap<string, Anchor>, path: readonly StepMark[]): string {
  const pts = path.map((m) => anchors.get(m.id)).filter((a): a is Anchor => a !== undefined);
  let d = '';
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    if (b.l.x > a.r.x) {
      const mx = (a.r.x + b.l.x) / 2;
      d += `M${a.r.x},${a.r.y}C${mx},${a.r.y} ${mx},${b.l.y} ${b.l.x},${b.l.y}`;
    } else {
      const x = Math.min(a.l.x, b.l.x) - 14;
      d += `M${a.l.x},${a.l.y}C${x},${a.l.y} ${x},${b.l.y} ${b.l.x},${b.l.y}`;
    }
  }
  return d;
}
