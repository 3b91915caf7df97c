// A tree that did not change from one model to the next is the same TreeNode (modelReuse.ts
// sameTreeNode), and what is laid out per tree is memoised on that identity and on the part of
// the view the tree reads (layoutTree.ts): a jump lays out again only the trees that differ.
import { describe, expect, it } from 'vitest';
import type { OpDoc } from '../scenario/index.ts';
import { EMPTY_VIEW, tableKey, type ViewState } from './layoutTypes.ts';
import { frameRuns, measureTree } from './layoutTree.ts';
import type { DiagramModel, TreeNode } from './model.ts';
import { modelAt, timelineOf } from './testkit.ts';

const OPS: OpDoc[] = [
  { op: 'device', name: 'gpu', sid: 256, bus: 'pci', pasidBits: 20, ats: true },
  { op: 'domain', name: 'gpu-dom', type: 'dma' },
  { op: 'attach', dev: 'gpu', domain: 'gpu-dom' },
  { op: 'map', domain: 'gpu-dom', iova: '0x10_0000', size: '0x40_0000', prot: 'rw' },
  { op: 'process', name: 'app' },
  { op: 'mmap', proc: 'app', addr: '0x7f00_0000_0000', size: '0x20_0000', prot: 'rw' },
  { op: 'touch', proc: 'app', addr: '0x7f00_0000_0000', access: 'w' }, // 6
  { op: 'touch', proc: 'app', addr: '0x7f00_0010_0000', access: 'w' }, // 7: a PTE in app's tree
  { op: 'bind', dev: 'gpu', proc: 'app' }, // 8: a CD now points at app's tree too
];
const t = timelineOf({ format: 'sva-explorer/scenario', version: 1, ops: OPS });
const dom = (m: DiagramModel): TreeNode =>
  m.trees.find((x) => x.owners.some((o) => o.owner.kind === 'domain'))!;
const app = (m: DiagramModel): TreeNode =>
  m.trees.find((x) => x.owners.some((o) => o.via === 'mm'))!;

describe('tree identity across models', () => {
  it('runs every op', () => {
    expect(t.records.map((r) => r.status)).not.toContain('error');
  });

  it('gives the same node for a tree read twice from the same world', () => {
    const a = modelAt(t, 7);
    const b = modelAt(t, 7);
    expect(a).not.toBe(b);
    expect(app(b)).toBe(app(a));
    expect(dom(b)).toBe(dom(a));
  });

  it('gives a new node to a tree an op wrote into, the same to one it did not', () => {
    const before = modelAt(t, 6);
    const after = modelAt(t, 7);
    expect(app(after)).not.toBe(app(before));
    expect(app(after).leaves).toBe(app(before).leaves + 1);
    expect(dom(after)).toBe(dom(before));
  });

  it('gives a new node to a tree that gained an owner (its tables unchanged)', () => {
    const before = modelAt(t, 7);
    const after = modelAt(t, 8);
    expect(app(after)).not.toBe(app(before));
    expect(app(after).tables).toEqual(app(before).tables);
    expect(app(after).owners.length).toBe(app(before).owners.length + 1);
    expect(app(after).kind).toBe('shared');
  });
});

describe('per-tree layout memo', () => {
  const m = modelAt(t, 8);
  const tree = dom(m);
  const page = tree.tables.find((x) => x.level === 3)!;
  const opened: ViewState = { ...EMPTY_VIEW, expanded: new Set([tableKey(tree.id, page.id)]) };
  /** The same tree under a new identity: laid out afresh. */
  const fresh = (): TreeNode => ({ ...tree });

  it('lays a tree out as afresh', () => {
    expect(measureTree(tree, EMPTY_VIEW)).toEqual(measureTree(fresh(), EMPTY_VIEW));
    expect(measureTree(tree, opened)).toEqual(measureTree(fresh(), opened));
    expect(frameRuns(tree).runs).toEqual(frameRuns(fresh()).runs);
  });

  it('reuses the measure for views that agree on the tree', () => {
    const a = measureTree(tree, EMPTY_VIEW);
    // Another tree's page opened, another tree folded: nothing this tree reads.
    const other: ViewState = {
      ...EMPTY_VIEW,
      collapsed: new Set([app(m).id]),
      expanded: new Set([tableKey(app(m).id, app(m).tables[0]!.id)]),
      shown: new Map([[app(m).id, 3]]),
    };
    expect(measureTree(tree, other)).toBe(a);
    expect(measureTree(tree, { ...EMPTY_VIEW })).toBe(a);
  });

  it('measures again when the view opens, limits or folds this tree', () => {
    const a = measureTree(tree, EMPTY_VIEW);
    const b = measureTree(tree, opened);
    expect(b).not.toBe(a);
    // The opened page lists its entries; folded, a page lists none.
    expect(b.rows.filter((r) => r.kind === 'entry').length).toBeGreaterThan(0);
    expect(a.rows.filter((r) => r.kind === 'entry')).toEqual([]);
    const limited = { ...opened, shown: new Map([[tableKey(tree.id, page.id), 64]]) };
    expect(measureTree(tree, limited).rows.length).toBeGreaterThan(b.rows.length);
    const folded = { ...EMPTY_VIEW, collapsed: new Set([tree.id]) };
    expect(measureTree(tree, folded).rows).toEqual([]);
  });
});
