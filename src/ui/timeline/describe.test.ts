// What a timeline row says about a DMA whose fault was answered: the golden PRI and stall
// scenarios. Only a PRI response Success (the device asks again, PCIe PRI) and CMD_RESUME with
// Retry (the SMMU translates the stalled transaction again) are retries; InvalidRequest ends the
// access at the device and CMD_RESUME with Abort terminates it (smmuv3.md §7.2, §8).
import { describe, expect, it } from 'vitest';
import { loadPresets } from '../../scenario/index.ts';
import { goldenTimeline, timelineOf } from '../../scenario/run.testkit.ts';
import { recordResult } from './describe.ts';

const golden = goldenTimeline;

describe('recordResult after a fault was answered', () => {
  it('09-pri: Success retries; InvalidRequest (no VMA, no write permission) does not', () => {
    const t = golden('09-pri.json');
    const text = (i: number) => recordResult(t.records[i]!).text;
    // Op 7: the write faults, the page is made resident, PRI Success, the retry translates.
    expect(text(7)).toMatch(/^dma: translated → PA 0x[0-9a-f_]+ · PRI SUCCESS → retried$/);
    // Op 9: no VMA; op 10: a write to a read-only VMA. Answered InvalidRequest: the access fails.
    expect(text(9)).toBe('dma: aborted · PRI INVALID');
    expect(text(10)).toBe('dma: aborted · PRI INVALID');
    expect(recordResult(t.records[9]!).tone).toBe('fault');
  });

  it('10-stall: CMD_RESUME Retry retries; CMD_RESUME Abort terminates', () => {
    const t = golden('10-stall.json');
    const text = (i: number) => recordResult(t.records[i]!).text;
    expect(text(6)).toMatch(/^dma: translated → PA 0x[0-9a-f_]+ · stall → CMD_RESUME retry$/);
    expect(text(8)).toBe('dma: aborted · stall → CMD_RESUME abort');
  });

  it('never says retried for an access that was not retried', () => {
    for (const f of ['09-pri.json', '10-stall.json']) {
      const t = golden(f);
      for (const r of t.records) {
        const retried = r.dma?.attempts.some((a) => a.kind === 'retry') ?? false;
        if (recordResult(r).text.includes('retried')) expect(retried).toBe(true);
      }
    }
  });
});

describe('recordResult of an access that hit a stale cached copy', () => {
  it('08b with its PTE rewritten behind the SMMU (no TLBI): the next dma says stale TLB hit', async () => {
    const g = goldenTimeline('08-munmap-no-btm.json');
    const g08b = (await loadPresets()).find((p) => p.id === 'munmap-no-btm')!.doc;
    // Op 8 filled the TLB (and the ATC: gpu has ATS) for 0x7fff_0000_1000 through PASID 1.
    const leaf = g.stateAt(9).smmu.tlb.entries()[0]!.src.at(-1)!;
    const t = timelineOf({
      ...g08b,
      ops: [
        ...g08b.ops.slice(0, 9),
        { op: 'write64', pa: `0x${leaf.pa.toString(16)}`, value: '0x0' },
        { op: 'dma', dev: 'gpu', pasid: 1, addr: '0x7fff_0000_1000', access: 'r' },
      ],
    });
    // The ATC answers first, from the copy the SMMU's stale answer left there.
    expect(recordResult(t.records[10]!).text).toMatch(
      /^dma: translated → PA 0x[0-9a-f_]+ · stale ATC hit$/,
    );
    expect(recordResult(g.records[8]!).text).not.toContain('stale');
  });
});
