// A model built with a neighbouring op's tables (modelReuse.ts) is the model built from scratch,
// at every op of scenarios that grow, rewrite and tear down translation tables — in both
// directions (the op after as the hint, as a jump builds the model before the op; the op before,
// as a step builds the next). It relies on each op's writes being every word the op changed.
import { describe, expect, it } from 'vitest';
import { cloneWorld, stressScenario, type OpDoc, type ScenarioDoc } from '../scenario/index.ts';
import { buildModel } from './model.ts';
import { timelineOf, worldAt } from './testkit.ts';
import { clearTableCache } from './tree.ts';
import type { Timeline } from '../scenario/index.ts';

/** The model after op `op` read afresh: nothing from the hint, nothing from the table cache. */
const modelAt = (t: Timeline, op: number) => {
  clearTableCache();
  return buildModel(worldAt(t, op));
};

const OPS: OpDoc[] = [
  { op: 'device', name: 'gpu', sid: 256, bus: 'pci', pasidBits: 20, ats: true },
  { op: 'domain', name: 'gpu-dom', type: 'dma' },
  { op: 'attach', dev: 'gpu', domain: 'gpu-dom' },
  { op: 'map', domain: 'gpu-dom', iova: '0x10_0000', size: '0x40_0000', prot: 'rw' },
  { op: 'process', name: 'app' },
  { op: 'mmap', proc: 'app', addr: '0x7f00_0000_0000', size: '0x20_0000', prot: 'rw' },
  { op: 'touch', proc: 'app', addr: '0x7f00_0000_0000', access: 'w' },
  { op: 'touch', proc: 'app', addr: '0x7f00_0010_0000', access: 'w' },
  { op: 'bind', dev: 'gpu', proc: 'app' },
  { op: 'unmap', domain: 'gpu-dom', iova: '0x10_0000', size: '0x20_0000' },
  { op: 'munmap', proc: 'app', addr: '0x7f00_0000_0000', size: '0x20_0000' },
  { op: 'map', domain: 'gpu-dom', iova: '0x10_0000', size: '0x1000', prot: 'r' },
  { op: 'exit', proc: 'app' },
];
const doc: ScenarioDoc = { format: 'sva-explorer/scenario', version: 1, ops: OPS };

const written = (t: Timeline, op: number): bigint[] =>
  (t.records[op]?.writes ?? []).map((w) => w.pa);

// The stress scenario is long: every op of its last stretch (walks, faults, the accel's
// binds) and every fifth before it.
describe.each([
  ['map, touch, unmap, munmap', doc, 0],
  ['the stress scenario', stressScenario, 12],
])('a model from a neighbour’s tables (%s)', (_, d, tail) => {
  const t = timelineOf(d);
  const n = t.records.length;
  const checked = (op: number): boolean => tail === 0 || op >= n - tail || op % 5 === 0;

  it('runs every op', () => {
    expect(t.records.filter((r) => r.status === 'error').map((r) => r.error)).toEqual([]);
  });

  it('equals the model read afresh, the op after as the hint', () => {
    for (let op = -1; op < n - 1; op++) {
      if (!checked(op)) continue;
      const hint = { from: modelAt(t, op + 1), written: written(t, op + 1) };
      expect(buildModel(worldAt(t, op), hint), `op ${op}`).toEqual(modelAt(t, op));
    }
  });

  it('equals the model read afresh, the op before as the hint', () => {
    for (let op = 0; op < n; op++) {
      if (!checked(op)) continue;
      const hint = { from: modelAt(t, op - 1), written: written(t, op) };
      expect(buildModel(worldAt(t, op), hint), `op ${op}`).toEqual(modelAt(t, op));
    }
  });
});

it('takes tables over only where the op wrote nothing: without its writes, a change is missed', () => {
  const t = timelineOf(doc);
  // The unmap clears leaf entries of gpu-dom's tables: told nothing was written, the model before
  // it would keep the tables of the model after it, entries gone.
  const UNMAP = 9;
  expect(t.records[UNMAP]!.writes.length).toBeGreaterThan(0);
  const wrong = buildModel(worldAt(t, UNMAP - 1), { from: modelAt(t, UNMAP), written: [] });
  expect(wrong).not.toEqual(modelAt(t, UNMAP - 1));
  const right = buildModel(worldAt(t, UNMAP - 1), {
    from: modelAt(t, UNMAP),
    written: written(t, UNMAP),
  });
  expect(right).toEqual(modelAt(t, UNMAP - 1));
});

describe('the table cache (tree.ts)', () => {
  const t = timelineOf(doc);
  const n = t.records.length;

  it('gives the model read afresh at every op, visited in any order', () => {
    // A shuffled order: each op's tables were cached at other ops, before and after it.
    const order = Array.from({ length: n + 1 }, (_, i) => i - 1);
    for (let i = order.length - 1; i > 0; i--) {
      const j = (i * 7 + 3) % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    clearTableCache();
    const warm = new Map(order.map((op) => [op, buildModel(worldAt(t, op))]));
    for (const op of order) expect(warm.get(op), `op ${op}`).toEqual(modelAt(t, op));
  });

  it('takes a table whose words read the same, and reads one whose words changed', () => {
    const TOUCHED = 7;
    clearTableCache();
    const a = buildModel(worldAt(t, TOUCHED));
    const b = buildModel(worldAt(t, TOUCHED));
    const tree = (m: typeof a) => m.trees.find((x) => x.owners.some((o) => o.via === 'mm'))!;
    const leaf = (m: typeof a) => tree(m).tables.find((x) => x.level === 3)!;
    expect(leaf(b)).toBe(leaf(a)); // the cached object itself
    // A new valid page descriptor in that table, by hand: the table is read again and shows it.
    const w = cloneWorld(worldAt(t, TOUCHED));
    const slot = leaf(a).entries.length === 512 ? 0 : 511;
    expect(leaf(a).entries.some((e) => e.index === slot)).toBe(false);
    w.mem.write64(leaf(a).pa + BigInt(slot * 8), 0x4000_0000n | 0x703n);
    const c = buildModel(w);
    expect(leaf(c)).not.toBe(leaf(a));
    expect(leaf(c).entries.map((e) => e.index)).toContain(slot);
    clearTableCache();
    expect(buildModel(w)).toEqual(c);
  });

  it('reads a table again when only the high half of a descriptor changed', () => {
    const TOUCHED = 7;
    clearTableCache();
    const a = buildModel(worldAt(t, TOUCHED));
    const tree = (m: typeof a) => m.trees.find((x) => x.owners.some((o) => o.via === 'mm'))!;
    const leaf = (m: typeof a) => tree(m).tables.find((x) => x.level === 3)!;
    const e = leaf(a).entries[0]!;
    // UXN (bit 54, VMSAv8-64 stage 1 page descriptor) flipped: the word's low 32 bits stay.
    const xn = e.desc ^ (1n << 54n);
    expect(xn & 0xffff_ffffn).toBe(e.desc & 0xffff_ffffn);
    expect(xn).not.toBe(e.desc);
    const w = cloneWorld(worldAt(t, TOUCHED));
    w.mem.write64(e.pa, xn);
    const c = buildModel(w);
    expect(leaf(c)).not.toBe(leaf(a));
    expect(leaf(c).entries.find((x) => x.pa === e.pa)?.desc).toBe(xn);
  });
});
