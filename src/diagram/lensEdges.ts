// The lens's arrows: the stream table (or its L1STD) → each STE hanging off it, STE → CD table,
// CD row → tree, owner (process mm, domain, VM) → tree, nested STE → stage 2, leaf → frames,
// table → next table. An arrow whose end lies left of its start (a wrapped layout: the trees sit
// under the CD tables) is routed round the boxes at right angles instead of a curve doubling back
// across them.
import { linkPath } from './linkPath.ts';
import type { DiagramModel, TreeNode } from './model.ts';
import type { Anchor, Edge, EdgeKind, Pt } from './layoutTypes.ts';

export function lensEdges(
  m: DiagramModel,
  anchors: ReadonlyMap<string, Anchor>,
  inner: readonly { from: string; to: string; kind: EdgeKind }[],
  wrap: boolean,
): Edge[] {
  const edges: Edge[] = [];
  const trees = new Map(m.trees.map((t) => [t.id, t]));
  const add = (from: string, to: string, kind: EdgeKind, role?: TreeNode['role']): void => {
    const a = anchors.get(from);
    const b = anchors.get(to);
    if (!a || !b || edges.some((e) => e.id === `${from}->${to}`)) return;
    const leftward = kind === 'mm' || kind === 'own';
    const src = leftward ? a.l : a.r;
    const dst = leftward ? b.r : b.l;
    let d: string;
    if (kind === 'nest') d = elbow(dst, a);
    else if (kind === 'hang') d = `M${a.l.x + 6},${a.l.y + 8}V${dst.y}H${dst.x - 3}`;
    else if (!leftward && dst.x < src.x + 16) d = around(src, dst, wrap);
    else d = linkPath([src.x, src.y], [dst.x + (leftward ? 4 : -4), dst.y]);
    edges.push({ id: `${from}->${to}`, from, to, kind, ...(role ? { role } : {}), d, src, dst });
  };
  for (const s of m.streams) {
    const l1 = m.strtab.fmt === '2level' ? `l1std:${s.sid >>> m.strtab.split}` : undefined;
    add(l1 && anchors.has(l1) ? l1 : m.strtab.id, s.id, 'hang');
    if (s.cdTable) add(s.id, s.cdTable, 'ste');
  }
  for (const t of m.cdTables)
    for (const r of t.rows) if (r.tree) add(r.id, r.tree, 'cd', trees.get(r.tree)?.role);
  for (const p of m.processes) add(p.id, p.tree, 'mm', trees.get(p.tree)?.role);
  for (const d of m.domains) {
    const t = m.cdTables.find((x) => x.domain === d.name);
    const tree = t?.rows.find((r) => r.ssid === 0)?.tree;
    if (tree && anchors.has(d.id)) add(d.id, tree, 'own', trees.get(tree)?.role);
  }
  // A nested STE → its VM's stage 2 (S2TTB); the VM → its stage 2, as a domain → its tables.
  for (const vm of m.vms) {
    for (const s of vm.streams) add(`ste:${s.sid}`, vm.s2.id, 's2', 'stage2');
    add(vm.id, vm.s2.id, 'own', 'stage2');
  }
  for (const e of inner) add(e.from, e.to, e.kind);
  return edges;
}

/** Table → next table inside a tree: down the indent gutter, then right into the child's row. */
function elbow(dst: Pt, from: Anchor): string {
  const x = Math.min(from.l.x + 6, dst.x - 6);
  return `M${x},${from.l.y + 6}V${dst.y}H${dst.x}`;
}

/** Out to the right, down into the gap above the target, back left, and in from its left. */
function around(src: Pt, dst: Pt, wrap: boolean): string {
  const out = src.x + 10;
  const mid = wrap ? dst.y - 26 : (src.y + dst.y) / 2;
  const inX = dst.x - 8;
  return `M${src.x},${src.y}H${out}V${mid}H${inX}V${dst.y}H${dst.x - 4}`;
}
