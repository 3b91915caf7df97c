import { describe, expect, it } from 'vitest';
import { timelineOf } from '../run.testkit.ts';
import { STRESS, stressScenario } from './stress.ts';

describe('the stress preset', () => {
  const t = timelineOf(stressScenario);
  const end = t.stateAt(t.length);
  const k = end.kernel!;

  it('runs every op without an error', () => {
    expect(t.records.filter((r) => r.error !== undefined).map((r) => r.index)).toEqual([]);
  });

  it('holds 10 processes and 64 live PASIDs: 6 GPUs × 10 private + 4 shared', () => {
    expect(k.processes.size).toBe(10);
    const used = [...k.idr.used.values()];
    expect(used.length).toBe(64);
    expect(used.filter((u) => u.kind === 'private').length).toBe(60);
    expect(used.filter((u) => u.kind === 'process').length).toBe(4);
    // The cyclic IDR hands them out in bind order from 1: gpu0 gets 1–10, …, accel 61–64.
    expect([...k.idr.used.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 64 }, (_, i) => i + 1),
    );
    expect(k.idr.used.get(36)).toEqual({ kind: 'private', dev: 'gpu3', proc: 'p5' });
    expect(k.idr.used.get(61)).toEqual({ kind: 'process', proc: 'p0' });
  });

  it('maps 1,000 pages in the global io-pgtable, and every device access translates', () => {
    expect(STRESS.globalPages).toBe(1000);
    const walks = t.records.filter((r) => r.op.op === 'dma');
    expect(walks.map((r) => r.dma?.outcome)).toEqual([
      'translated',
      'translated',
      'translated',
      'translated',
    ]);
    // The last access faults through PRI (the CPU never touched 0x7f00_0000_8000) and retries.
    expect(walks[3]!.dma!.attempts.length).toBe(2);
    expect(walks[3]!.pageRequests.length).toBe(1);
  });
});
