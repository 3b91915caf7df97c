// A model built with a neighbouring op's tables (modelReuse.ts) is the model built from scratch,
// at every op of scenarios that grow, rewrite and tear down translation tables — in both
// directions (the op after as the hint, as a jump builds the model before the op; the op before,
// as a step builds the next). It relies on each op's writes being every word the op changed.
import { describe, expect, it } from 'vitest';
import { stressScenario, type OpDoc, type ScenarioDoc } from '../scenario/index.ts';
import { buildModel } from './model.ts';
import { modelAt, timelineOf, worldAt } from './testkit.ts';

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

const written = (t: ReturnType<typeof timelineOf>, op: number): bigint[] =>
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
