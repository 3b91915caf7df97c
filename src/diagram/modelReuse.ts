// Building a model from a neighbouring op's: the worlds after op N − 1 and after op N differ only
// in the words op N wrote, so a translation table none of those words touches reads the same in
// both. A random jump builds both models (the op's, and the one before it for what the op
// changed); with a 64 MB buffer each is thousands of entries, read once instead of twice.
import type { DiagramModel, TreeNode } from './model.ts';
import type { ReuseTable, TreeTable } from './tree.ts';

/**
 * A neighbouring op's model and the word addresses written between the two worlds (every write of
 * the op between them, whatever its value).
 */
export interface ModelHint {
  readonly from: DiagramModel;
  readonly written: readonly bigint[];
}

/** The hint's tables as a ReuseTable per host-tree geometry (granule shift, input size). */
export function reuserOf(hint: ModelHint): (g: number, ias: number) => ReuseTable {
  const words = [...hint.written].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  /** Whether no written word lies in [pa, pa + bytes). */
  const untouched = (pa: bigint, bytes: number): boolean => {
    // The first written word at or above pa, by bisection.
    let lo = 0;
    let hi = words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (words[mid]! < pa) lo = mid + 1;
      else hi = mid;
    }
    return lo === words.length || words[lo]! >= pa + BigInt(bytes);
  };
  const byGeo = new Map<string, ReuseTable>();
  return (g, ias) => {
    const key = `${g}|${ias}`;
    let r = byGeo.get(key);
    if (r) return r;
    const byPa = new Map<bigint, TreeTable>();
    for (const tr of hint.from.trees)
      if (tr.g === g && tr.inputSize === ias) for (const t of tr.tables) byPa.set(t.pa, t);
    // The same table: same place in the tree (level, input range, parent) and memory untouched.
    r = (pa, level, ia, parent, bytes) => {
      const t = byPa.get(pa);
      if (!t || t.level !== level || t.ia !== ia || t.parent !== parent || t.ipa !== undefined)
        return undefined;
      return untouched(pa, bytes) ? t : undefined;
    };
    byGeo.set(key, r);
    return r;
  };
}

/**
 * The last TreeNode built per tree (root and geometry), handed out again while nothing in it
 * changed: the same table objects (walkTree reuses a table whose memory reads the same) and the
 * same owners. What is laid out per tree is memoised on the node's identity (layoutTree.ts), so a
 * jump to another op lays out again only the trees that differ there. Bounded, oldest out first.
 */
const lastNodes = new Map<string, { node: TreeNode; owners: string }>();
const NODES_KEPT = 256;

export function sameTreeNode(n: TreeNode): TreeNode {
  const key = `${n.id}|${n.g}|${n.inputSize}`;
  const owners = JSON.stringify(n.owners);
  const old = lastNodes.get(key);
  lastNodes.delete(key);
  const keep = old && old.owners === owners && sameTree(old.node, n) ? old.node : n;
  lastNodes.set(key, { node: keep, owners });
  if (lastNodes.size > NODES_KEPT) lastNodes.delete(lastNodes.keys().next().value!);
  return keep;
}

function sameTree(a: TreeNode, b: TreeNode): boolean {
  if (
    a.root !== b.root ||
    a.kind !== b.kind ||
    a.role !== b.role ||
    a.leaves !== b.leaves ||
    a.mappedBytes !== b.mappedBytes ||
    a.tables.length !== b.tables.length
  )
    return false;
  return a.tables.every((t, i) => t === b.tables[i]);
}
