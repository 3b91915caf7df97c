// A linear CD table of 2^20 CDs (SMMU_IDR0.CD2L=0, a 20-bit-PASID device: S1CDMax=20, 64 MB of
// table, SMMUv3 §5.4.1) is drawn from the pages that hold CDs, not by reading a million slots:
// the audit's 193-character link made every diagram build read all of them (4 s per cursor move).
import { describe, expect, it, vi } from 'vitest';
import type { ScenarioDoc } from '../scenario/index.ts';
import { timelineOf, worldAt } from './testkit.ts';
import { buildModel } from './model.ts';

const doc: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 1,
  platform: { smmu: { cd2l: false } },
  ops: [
    { op: 'device', name: 'gpu', sid: 256, bus: 'pci', pasidBits: 20 },
    { op: 'domain', name: 'gpu-dom', type: 'dma' },
    { op: 'attach', dev: 'gpu', domain: 'gpu-dom' },
    { op: 'process', name: 'app' },
    { op: 'bind', dev: 'gpu', proc: 'app' },
  ],
};

describe('a linear CD table of 2^20 entries', () => {
  const t = timelineOf(doc);
  it('runs, and the table is linear with S1CDMax = 20', () => {
    expect(t.records.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const m = buildModel(worldAt(t, 4));
    const table = m.cdTables.find((c) => c.domain === 'gpu-dom')!;
    expect(table.s1cdmax).toBe(20);
    expect(table.l1).toEqual([]);
  });

  it('shows CD 0 (the domain) and CD 1 (the bound process), the rest as one gap', () => {
    const w = worldAt(t, 4);
    const read = vi.spyOn(w.mem, 'read64');
    const table = buildModel(w).cdTables.find((c) => c.domain === 'gpu-dom')!;
    expect(table.rows.map((r) => r.ssid)).toEqual([0, 1]);
    expect(table.gaps).toEqual([{ after: 1, count: 2 ** 20 - 2 }]);
    // The first page of the table holds both CDs: 64 slots of 8 words, plus the STE and the
    // trees' tables — thousands of reads, where all slots were 8 million.
    expect(read.mock.calls.length).toBeLessThan(20_000);
    read.mockRestore();
  });
});
