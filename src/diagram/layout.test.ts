import { describe, expect, it } from 'vitest';
import { seedStory, type ScenarioDoc } from '../scenario/index.ts';
import { layoutDiagram } from './layout.ts';
import { EMPTY_VIEW, G, tableKey, type Box, type Layout, type ViewState } from './layoutTypes.ts';
import { modelAt, timelineOf } from './testkit.ts';

const seed = timelineOf(seedStory);
const model = modelAt(seed, seed.length - 1);

const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function expectSane(l: Layout): void {
  for (let i = 0; i < l.boxes.length; i++)
    for (let j = i + 1; j < l.boxes.length; j++)
      expect(overlaps(l.boxes[i]!, l.boxes[j]!), `${l.boxes[i]!.id} / ${l.boxes[j]!.id}`).toBe(
        false,
      );
  for (const e of l.edges) {
    expect(l.anchors.has(e.from), e.id).toBe(true);
    expect(l.anchors.has(e.to), e.id).toBe(true);
    expect(e.d).toMatch(/^M[-\d.]+,[-\d.]+/);
  }
  for (const b of l.boxes) expect(b.y + b.h).toBeLessThanOrEqual(l.height);
}

const openAll = (m = model): ViewState => ({
  ...EMPTY_VIEW,
  expanded: new Set(m.trees.flatMap((t) => t.tables.map((x) => tableKey(t.id, x.id)))),
});

describe('layoutDiagram', () => {
  it('places boxes without overlap and every edge between existing anchors', () => {
    expectSane(layoutDiagram(model, EMPTY_VIEW));
    expectSane(layoutDiagram(model, openAll()));
    const folded = new Set([...model.cdTables, ...model.trees].map((x) => x.id));
    expectSane(layoutDiagram(model, { ...EMPTY_VIEW, collapsed: folded }));
  });

  it('reads left to right: streams, CD tables, trees, frames, processes', () => {
    const l = layoutDiagram(model, EMPTY_VIEW);
    const x = (k: Box['kind']): number => l.boxes.find((b) => b.kind === k)!.x;
    expect(x('stream')).toBeLessThan(x('cdtable'));
    expect(x('cdtable')).toBeLessThan(x('tree'));
    expect(x('tree')).toBeLessThan(x('frames'));
    expect(x('frames')).toBeLessThan(x('process'));
  });

  it('draws the shared tree once, with an arrow from the CD row and one from the process', () => {
    const l = layoutDiagram(model, EMPTY_VIEW);
    const shared = model.trees.filter((t) => t.role === 'shared');
    expect(shared).toHaveLength(1);
    const id = shared[0]!.id;
    expect(l.boxes.filter((b) => b.id === id)).toHaveLength(1);
    const incoming = l.edges.filter((e) => e.to === id);
    expect(incoming.map((e) => [e.from, e.kind]).sort()).toEqual([
      ['cd:accel-dom:3', 'cd'],
      ['proc:ml', 'mm'],
    ]);
  });

  it('points the three media streams at one CD table whose CD 0 is the global io-pgtable', () => {
    const l = layoutDiagram(model, EMPTY_VIEW);
    const to = l.edges.filter((e) => e.to === 'cdt:media').map((e) => e.from);
    expect(to.sort()).toEqual(['ste:16', 'ste:17', 'ste:18']);
    const tree = l.boxes.find(
      (b) => b.kind === 'tree' && b.tree.role === 'io-global' && b.streams === 3,
    );
    expect(tree).toBeDefined();
  });

  it('lists entries only for opened tables, and folds long lists behind "… N more"', () => {
    const closed = layoutDiagram(model, EMPTY_VIEW);
    const rows = (l: Layout) =>
      l.boxes.flatMap((b) => (b.kind === 'tree' ? b.rows : [])).map((r) => r.kind);
    expect(rows(closed)).not.toContain('entry');
    expect(rows(layoutDiagram(model, openAll()))).toContain('entry');
  });
});

describe('a tree with 1,000 mapped pages', () => {
  const doc: ScenarioDoc = {
    format: 'sva-explorer/scenario',
    version: 1,
    kernel: 'rfc2017',
    ops: [
      { op: 'device', name: 'nic', sid: 1, bus: 'pci' },
      { op: 'domain', name: 'd', type: 'dma' },
      { op: 'attach', dev: 'nic', domain: 'd' },
      { op: 'map', domain: 'd', iova: '0x100000', size: String(1000 * 4096), prot: 'rw' },
    ],
  };
  const t = timelineOf(doc);
  const m = modelAt(t, t.length - 1);
  const big = m.trees.find((x) => x.leaves === 1000)!;

  it('renders one row per table page until a table is opened', () => {
    const l = layoutDiagram(m, EMPTY_VIEW);
    const box = l.boxes.find((b) => b.id === big.id);
    expect(box?.kind === 'tree' && box.rows.length).toBe(big.tables.length);
    expectSane(l);
  });

  it('shows a bounded number of entries with a "more" expander, growing on demand', () => {
    const l3 = big.tables.find((x) => x.entries.length === 512)!;
    const key = tableKey(big.id, l3.id);
    const open = { ...EMPTY_VIEW, expanded: new Set([key]) };
    const count = (v: ViewState) => {
      const b = layoutDiagram(m, v).boxes.find((x) => x.id === big.id)!;
      const rows = b.kind === 'tree' ? b.rows : [];
      return {
        entries: rows.filter((r) => r.kind === 'entry').length,
        more: rows.find((r) => r.kind === 'more' && r.what === 'entries'),
      };
    };
    const first = count(open);
    expect(first.entries).toBe(G.entriesStep);
    expect(first.more?.kind === 'more' && first.more.hidden).toBe(512 - G.entriesStep);
    const grown = count({ ...open, shown: new Map([[key, 200]]) });
    expect(grown.entries).toBe(200);
    expectSane(layoutDiagram(m, { ...open, shown: new Map([[key, 200]]) }));
  });
});
