// The per-timeline caches: each returns what the diagram's pure functions compute afresh (the
// diagram testkit), the same object on a second ask, and a fresh one for another timeline.
import { describe, expect, it } from 'vitest';
import { buildModel, NO_CHANGES, opChanges, worldAtSeq, writtenUpTo } from '../diagram/index.ts';
import { findFault, flowAt as flowFresh, modelAt as modelFresh } from '../diagram/testkit.ts';
import { cloneWorld, runOp, seedStory } from '../scenario/index.ts';
import { timelineOf } from '../scenario/run.testkit.ts';
import { changesAt, faultFrom, flowAt, modelAt, staleAt, staleHitsAt, worldAt } from './derived.ts';

const seed = timelineOf(seedStory);
const DMA = 26; // accel reads VA 0x7f00_0000_0000 through PASID 3
const PRI = 27; // the ATS request denied, then a page request

describe('derived caches', () => {
  it('worldAt: the world after op n (−1 = boot), one object per timeline and op', () => {
    expect(worldAt(seed, DMA)).toBe(worldAt(seed, DMA));
    expect(worldAt(seed, -1).kernel?.processes.size).toBe(0);
    const other = timelineOf(seedStory);
    expect(worldAt(other, DMA)).not.toBe(worldAt(seed, DMA));
    expect(worldAt(other, DMA).mem.read64(0x4000_0000n)).toBe(
      seed.stateAt(DMA + 1).mem.read64(0x4000_0000n),
    );
  });

  it('worldAt from the world before it: the world the timeline replays, op by op', () => {
    const t = timelineOf(seedStory);
    // Forward, so each world is made from the one before it (cached) and the op.
    for (let op = -1; op < t.length; op++) {
      const w = worldAt(t, op);
      const fresh = t.stateAt(op + 1);
      expect([...w.mem.nonZeroWords()], `op ${op}`).toEqual([...fresh.mem.nonZeroWords()]);
      expect(w.kernel, `op ${op}`).toEqual(fresh.kernel);
      expect(w.tampered, `op ${op}`).toBe(fresh.tampered);
      // The SMMU's caches and queues: the next op sees the same hardware (same record).
      const next = t.scenario.ops[op + 1];
      if (next)
        expect(runOp(cloneWorld(w), next, op + 1), `op ${op}`).toEqual(
          runOp(cloneWorld(fresh), next, op + 1),
        );
    }
  });

  it('modelAt and flowAt: what the diagram computes afresh, cached', () => {
    expect(modelAt(seed, DMA)).toEqual(modelFresh(seed, DMA));
    expect(modelAt(seed, DMA)).toBe(modelAt(seed, DMA));
    expect(flowAt(seed, PRI)).toEqual(flowFresh(seed, PRI));
    expect(flowAt(seed, PRI)).toBe(flowAt(seed, PRI));
    expect(flowAt(seed, -1)).toEqual([]);
  });

  it('inside an op: the model and changes up to a step’s writes', () => {
    const steps = flowAt(seed, PRI);
    const r = seed.records[PRI]!;
    const upTo = writtenUpTo(steps, 0, r);
    expect(upTo).toBeDefined();
    const early = modelAt(seed, PRI, upTo);
    expect(early).toBe(modelAt(seed, PRI, upTo));
    const writes = r.writes.filter((w) => (w.seq ?? 0) <= upTo!);
    expect(changesAt(seed, PRI, upTo)).toEqual(opChanges(modelAt(seed, PRI - 1), early, writes));
    expect(changesAt(seed, PRI)).toEqual(
      opChanges(modelAt(seed, PRI - 1), modelAt(seed, PRI), r.writes),
    );
    expect(changesAt(seed, PRI)).toBe(changesAt(seed, PRI));
    expect(changesAt(seed, -1)).toBe(NO_CHANGES);
  });

  it('inside an op: the model from the model before it is the model read afresh', () => {
    const t = timelineOf(seedStory);
    let checked = 0;
    for (const r of t.records) {
      const op = r.index;
      if (r.writes.length === 0) continue;
      const steps = flowAt(t, op);
      for (const step of [0, Math.floor(steps.length / 2), steps.length - 1]) {
        const upTo = writtenUpTo(steps, step, r);
        if (upTo === undefined) continue;
        modelAt(t, op - 1); // cached: the op's unwritten tables come from it
        const fresh = buildModel(worldAtSeq(r, worldAt(t, op), upTo));
        expect(modelAt(t, op, upTo), `op ${op} step ${step}`).toEqual(fresh);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('faultFrom: the fault search over the cached flows', () => {
    const from = { op: -1, step: 0 };
    expect(faultFrom(seed, from, 1)).toEqual(findFault(seed, from, 1));
    expect(faultFrom(seed, from, 1)).toMatchObject({ op: PRI, kind: 'ats-denied' });
  });
});

describe('stale cache entries, cached per timeline', () => {
  it('the seed story keeps its caches coherent: nothing stale at any op', () => {
    for (let op = -1; op < seed.length; op++) expect(staleAt(seed, op).all).toEqual([]);
    expect(staleHitsAt(seed, DMA)).toEqual([]);
  });

  it('a PTE rewritten without TLBI: stale since that op, and the next access says so', () => {
    // After the seed story's op 26 the TLB holds accel's walk of 0x7f00_0000_0000 (PASID 3).
    const leaf = worldAt(seed, DMA)
      .smmu.tlb.entries()
      .find((e) => e.sid === 0x100)!.src[3]!;
    const now = leaf.value + 0x1000n;
    const t = timelineOf({
      ...seedStory,
      ops: [
        ...seedStory.ops.slice(0, DMA + 1),
        { op: 'write64', pa: `0x${leaf.pa.toString(16)}`, value: `0x${now.toString(16)}` },
        { op: 'dma', dev: 'accel', pasid: 3, addr: '0x7f00_0000_0000', access: 'r' },
      ],
    });
    const W = DMA + 1;
    expect(staleAt(t, W).all).toEqual([
      expect.objectContaining({ cache: 'tlb', since: W }),
      expect.objectContaining({ cache: 'atc', since: W }),
    ]);
    expect(staleAt(t, W)).toBe(staleAt(t, W));
    expect(staleAt(t, W).at(leaf.pa)).toHaveLength(2);
    // accel has ATS: its ATC answers the access without asking the SMMU.
    expect(staleHitsAt(t, W + 1)).toEqual([
      expect.objectContaining({ cache: 'atc', since: W, step: undefined }),
    ]);
  });
});
