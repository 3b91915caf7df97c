import { describe, expect, it } from 'vitest';
import { decodeStructure } from '../engine/index.ts';
import { goldenTimeline, timelineOf } from '../scenario/run.testkit.ts';
import { seedStory } from '../scenario/index.ts';
import { flowOf, type FlowStep } from './flow.ts';
import { wordsAt } from './flowWrites.ts';

function faultingDma(file: string): { steps: FlowStep[] } {
  const t = goldenTimeline(file);
  const i = t.records.findIndex((r) => (r.dma?.attempts.length ?? 0) > 1);
  return { steps: flowOf(t.records[i]!, t.stateAt(i), t.stateAt(i + 1)) };
}

const at = (steps: FlowStep[], pred: (s: FlowStep) => boolean): number => steps.findIndex(pred);

describe('fault flows play in the order the hardware and kernel act', () => {
  it('PRI: failed translation request → page request → PTE written → CMD_PRI_RESP → retried walk', () => {
    const { steps } = faultingDma('09-pri.json');
    const request = at(steps, (s) => s.kind === 'page-request');
    const pte = at(steps, (s) => s.kind === 'write' && s.title.startsWith('CPU page table'));
    const resp = at(steps, (s) => s.title === 'CMD_PRI_RESP');
    const retry = at(steps, (s) => s.title === 'device retries');
    // PCIe PRI: after a Success response it is the device that sends its request again.
    expect(steps[retry]!.lane).toBe('device');
    expect(steps[retry]!.detail).toMatch(/^ATS Translation Request again/);
    const lastRead = steps.length - 1 - [...steps].reverse().findIndex((s) => s.kind === 'read');
    expect(at(steps, (s) => s.kind === 'read')).toBeLessThan(request);
    expect(request).toBeLessThan(pte);
    expect(pte).toBeLessThan(resp);
    expect(resp).toBeLessThan(retry);
    expect(retry).toBeLessThan(lastRead);
    // An ATS Translation Request records no event (§3.9.1.2): nothing in the event-queue lane.
    expect(steps.some((s) => s.lane === 'evtq')).toBe(false);
  });

  it('stall: event with Stall=1 → PTE written → CMD_RESUME → retried walk', () => {
    const { steps } = faultingDma('10-stall.json');
    const event = at(steps, (s) => s.lane === 'evtq');
    const pte = at(steps, (s) => s.kind === 'write');
    const resume = at(steps, (s) => s.title === 'CMD_RESUME');
    // The stalled transaction is held in the SMMU; CMD_RESUME (Retry) makes the SMMU translate it
    // again — the device sent it once and does not act again (smmuv3.md §8).
    const retry = at(steps, (s) => s.title === 'SMMU retries the stalled transaction');
    expect(steps[retry]!.lane).toBe('smmu');
    expect(steps[retry]!.detail).toContain('STAG 0');
    expect(steps.filter((s) => s.lane === 'device')).toHaveLength(1);
    expect(event).toBeGreaterThan(0);
    expect(steps[event]!.words?.length).toBe(4);
    expect(event).toBeLessThan(pte);
    expect(pte).toBeLessThan(resume);
    expect(resume).toBeLessThan(retry);
    expect(steps[steps.length - 1]!.detail).toMatch(/^translated: PA 0x/);
  });
});

describe('an ATS Translation Request that faults', () => {
  it('completes with no permissions (Success, R=W=0) rather than being terminated', () => {
    const { steps } = faultingDma('09-pri.json');
    // The first result: the failed walk of the first attempt.
    const result = steps.find((s) => s.kind === 'result' && s.attempt === 0)!;
    expect(result.detail).toMatch(/^ATS translation completed with no permissions/);
    expect(result.detail).toContain('R=W=0');
    expect(result.detail).toContain('unsuccessful translation');
    expect(steps.some((s) => s.detail.includes('terminated silently'))).toBe(false);
  });
});

describe('bind publishes the CD the way arm_smmu_write_ctx_desc does', () => {
  const t = timelineOf(seedStory);
  const BIND = 25; // bind accel ↔ ml (shared tables), PASID 3
  const r = t.records[BIND]!;
  const after = t.stateAt(BIND + 1);
  const steps = flowOf(r, t.stateAt(BIND), after);
  const k = after.kernel!;
  // CD 3's address from the spec: L1CD[3 >> 10] (bit 0 V, L2Ptr bits [55:12]) points at a leaf of
  // 1,024 CDs of 64 bytes; CD 3 is 3 × 64 bytes into it.
  const table = k.domains.get('accel-dom')!.cdtable!;
  const l1 = after.mem.read64(table.base)!;
  const leaf = l1 & 0x00ff_ffff_ffff_f000n;
  const cd = leaf + 3n * 64n;
  const ml = [...k.processes.values()].find((x) => x.name === 'ml')!;
  // CD dword 0: V bit 31, ASID bits [63:48]; dword 1: TTB0 bits [51:4].
  const v = (dw0: bigint) => (dw0 >> 31n) & 1n;
  const cmd = (s: FlowStep) => decodeStructure('command', s.words!);

  it('dwords 1–3, CFGI_CD + SYNC, then dword 0 with V=1, CFGI_CD + SYNC', () => {
    expect(l1 & 1n).toBe(1n);
    const acts = steps.filter((s) => s.lane !== 'kernel');
    expect(acts.map((s) => (s.kind === 'write' ? 'write' : s.title))).toEqual([
      'write',
      'CMD_CFGI_CD',
      'CMD_SYNC',
      'write',
      'CMD_CFGI_CD',
      'CMD_SYNC',
    ]);
    const [body, cfgi1, , valid, cfgi2] = acts as [
      FlowStep,
      FlowStep,
      FlowStep,
      FlowStep,
      FlowStep,
    ];
    // First write: from dword 1 (TTB0 = the pgd of ml: the CPU's own tables), dword 0 untouched.
    expect(body.pa).toBe(cd + 8n);
    expect(body.words![0]! & 0x000f_ffff_ffff_fff0n).toBe(ml.mm.pgd);
    // Second write: dword 0 alone, V=1, the process's CPU ASID.
    expect(valid.pa).toBe(cd);
    expect(valid.words).toHaveLength(1);
    expect(v(valid.words![0]!)).toBe(1n);
    expect(valid.words![0]! >> 48n).toBe(BigInt(ml.mm.asid));
    for (const c of [cfgi1, cfgi2])
      expect(cmd(c)).toMatchObject({ SubstreamID: 3n, StreamID: 0x100n, Leaf: 1n });
  });

  it('each write step shows the CD as it was at that moment', () => {
    const writes = steps.filter((s) => s.kind === 'write');
    const [first, second] = writes.map((s) => wordsAt(r, after, cd, 8, s.seq!)!);
    // After the first group the SMMU may read the CD but finds V=0: nothing is live yet.
    expect(v(first![0]!)).toBe(0n);
    expect(first![1]! & 0x000f_ffff_ffff_fff0n).toBe(ml.mm.pgd);
    expect(v(second![0]!)).toBe(1n);
    expect(second).toEqual(after.mem.readWords(cd, 8));
  });
});
