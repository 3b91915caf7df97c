// Timeline checkpoints (docs/decisions/0003-checkpoint-memory.md): placed by replay work, so a
// jump never replays a huge op, and stateAt(n) is the world running forward gives, wherever the
// checkpoints fall.
import { describe, expect, it } from 'vitest';
import type { OpDoc } from './format.ts';
import { digest } from './invariants/digest.ts';
import { opsTimeline } from './run.testkit.ts';
import { createWorld } from './world.ts';
import { runOp } from './run.ts';
import { CHECKPOINT_WORK, replayWork } from './timeline.ts';

const small = (i: number): OpDoc => ({
  op: 'touch',
  proc: 'app',
  addr: `0x${(0x10000 + (i % 16) * 0x1000).toString(16)}`,
  access: i % 3 ? 'r' : 'w',
});

const ops: OpDoc[] = [
  { op: 'device', name: 'gpu', sid: 0x100, bus: 'platform' },
  { op: 'domain', name: 'd' },
  { op: 'attach', dev: 'gpu', domain: 'd' },
  { op: 'process', name: 'app' },
  { op: 'mmap', proc: 'app', addr: '0x10000', size: '0x10000', prot: 'rw' },
  ...Array.from({ length: 100 }, (_, i) => small(i)),
  // 32 MB of 4 KB pages: 8,192 leaves written, then 8,192 TLBIs.
  {
    op: 'map',
    domain: 'd',
    iova: '0x4000_0000',
    size: '0x200_0000',
    prot: 'rw',
    pa: '0x8020_1000',
  },
  { op: 'unmap', domain: 'd', iova: '0x4000_0000', size: '0x200_0000' },
  ...Array.from({ length: 150 }, (_, i) => small(i + 7)),
];

describe('timeline checkpoints', () => {
  const t = opsTimeline(ops);
  const marks = t.checkpointsAt();

  it('every CHECKPOINT_WORK of replay work, and right after an op that is that much alone', () => {
    expect(marks[0]).toBe(0);
    const big = ops.findIndex((o) => o.op === 'map' && 'domain' in o);
    expect(replayWork(t.records[big]!)).toBeGreaterThan(CHECKPOINT_WORK);
    expect(replayWork(t.records[big + 1]!)).toBeGreaterThan(CHECKPOINT_WORK);
    expect(marks).toContain(big + 1);
    expect(marks).toContain(big + 2);
    // Between checkpoints, less than the budget plus one op's work.
    for (let k = 1; k < marks.length; k++) {
      let work = 0;
      for (let i = marks[k - 1]!; i < marks[k]!; i++) work += replayWork(t.records[i]!);
      expect(work).toBeGreaterThanOrEqual(CHECKPOINT_WORK);
      expect(work - replayWork(t.records[marks[k]! - 1]!)).toBeLessThan(CHECKPOINT_WORK);
    }
  });

  it('stateAt(n) is the world running the first n ops forward gives', () => {
    const w = createWorld(t.scenario).world;
    const at = new Map<number, string>([[0, digest(w)]]);
    t.scenario.ops.forEach((o, i) => {
      runOp(w, o, i);
      at.set(i + 1, digest(w));
    });
    for (const n of [0, 1, 63, 64, 65, 104, 105, 106, 107, 108, 170, 200, t.length])
      expect(digest(t.stateAt(n))).toBe(at.get(n));
  });
});
