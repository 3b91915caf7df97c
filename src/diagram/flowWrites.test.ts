import { describe, expect, it } from 'vitest';
import { timelineOf } from '../scenario/run.testkit.ts';
import { seedStory } from '../scenario/index.ts';
import { flowOf } from './flow.ts';
import { worldAtSeq, writtenUpTo } from './flowWrites.ts';

const t = timelineOf(seedStory);

describe('the world in the middle of an op', () => {
  // Op 27: the accelerator's write faults on an invalid L3 entry, the PRI handler fills it, the
  // retry translates.
  const OP = 27;
  const r = t.records[OP]!;
  const before = t.stateAt(OP);
  const after = t.stateAt(OP + 1);
  const steps = flowOf(r, before, after);
  const pteWrite = steps.findIndex((s) => s.kind === 'write');
  const pte = steps[pteWrite]!.pa!;

  it('is the world before the op until the first write, then each write as it lands', () => {
    const fault = steps.findIndex((s) => s.kind === 'event' || s.kind === 'page-request');
    expect(fault).toBeGreaterThan(0);
    expect(fault).toBeLessThan(pteWrite);
    const atFault = writtenUpTo(steps, fault, r);
    expect(atFault).toBe(-1);
    // The entry the walk faulted on: invalid then, as it was before the op.
    expect(worldAtSeq(r, after, atFault!).mem.read64(pte)).toBe(before.mem.read64(pte));
    expect(before.mem.read64(pte)! & 1n).toBe(0n);
    // At the write step the handler's PTE is there, as the op left it.
    const atWrite = writtenUpTo(steps, pteWrite, r);
    expect(worldAtSeq(r, after, atWrite!).mem.read64(pte)).toBe(after.mem.read64(pte));
    expect(after.mem.read64(pte)! & 1n).toBe(1n);
  });

  it('needs no rewinding for an op that writes nothing, or once every write has happened', () => {
    const walk = t.records[26]!;
    expect(walk.writes).toHaveLength(0);
    expect(writtenUpTo(flowOf(walk, t.stateAt(26), t.stateAt(27)), 3, walk)).toBeUndefined();
    expect(writtenUpTo(steps, steps.length - 1, r)).toBeUndefined();
  });
});
