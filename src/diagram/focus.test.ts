import { describe, expect, it } from 'vitest';
import { timelineOf } from '../scenario/run.testkit.ts';
import { seedStory } from '../scenario/index.ts';
import { flowOf, type FlowStep } from './flow.ts';
import { focusOf } from './focus.ts';

const t = timelineOf(seedStory);
/**
 * The address of the level-3 descriptor for `va` in a process's tables, by the spec's arithmetic
 * (4 KB granule, 48-bit VA: level L is indexed by VA[47−9L:39−9L]; a table descriptor's next
 * table is bits [47:12]), reading memory after op `op`.
 */
function l3EntryOf(op: number, proc: string, va: bigint): bigint {
  const w = t.stateAt(op + 1);
  let table = w.kernel!.processes.get(proc)!.mm.pgd;
  for (let level = 0; level < 3; level++) {
    const desc = w.mem.read64(table + ((va >> BigInt(39 - 9 * level)) & 0x1ffn) * 8n)!;
    table = desc & 0x0000_ffff_ffff_f000n;
  }
  return table + ((va >> 12n) & 0x1ffn) * 8n;
}

const flow = (i: number): FlowStep[] => flowOf(t.records[i]!, t.stateAt(i), t.stateAt(i + 1));

describe('focusOf', () => {
  it('follows a 4-level walk: current = the word read, path = the reads so far', () => {
    // Op 26: accel, PASID 3, VA 0x7f00_0000_0000: L1STD, STE, L1CD, CD, then L0..L3.
    const steps = flow(26);
    const reads = steps.filter((s) => s.kind === 'read').map((s) => s.pa!);
    expect(reads).toHaveLength(8);
    expect(focusOf(steps, 0)).toEqual({ path: [], lane: 'device' });
    const l0 = steps.findIndex((s) => s.trace?.kind === 'tt' && s.trace.level === 0);
    const f = focusOf(steps, l0);
    expect(f.lane).toBe('smmu');
    expect(f.current).toBe(steps[l0]!.pa);
    // L0 entry 254 (VA[47:39] of 0x7f00_0000_0000) of the pgd.
    expect(f.current).toBe(t.stateAt(27).kernel!.processes.get('ml')!.mm.pgd + 254n * 8n);
    expect(f.path).toEqual(reads.slice(0, 5));
    const last = focusOf(steps, steps.length - 1);
    expect(last.current).toBeUndefined(); // the result reads nothing
    expect(last.path).toEqual(reads);
  });

  it('keeps the failed walk as the path while the kernel acts; a retry starts a new path', () => {
    // Op 27: the ATS request faults at L3 → PRI → PTE written → CMD_PRI_RESP → retry.
    const steps = flow(27);
    const pte = steps.findIndex((s) => s.kind === 'write');
    const resp = steps.findIndex((s) => s.title === 'CMD_PRI_RESP');
    const retry = steps.findIndex((s) => s.title === 'device retries');
    const firstWalk = steps.slice(0, pte).filter((s) => s.trace && s.pa !== undefined);
    const atPte = focusOf(steps, pte);
    expect(atPte.lane).toBe('mm');
    const l3 = l3EntryOf(27, 'ml', 0x7f00_0000_2000n);
    expect(atPte.current).toBe(l3); // the L3 entry the kernel fills
    // Two cached configs (STE, CD) and four descriptor reads.
    expect(atPte.path).toEqual(firstWalk.map((s) => s.pa));
    expect(atPte.path).toHaveLength(6);
    expect(focusOf(steps, resp)).toMatchObject({ lane: 'cmdq', current: steps[resp]!.pa });
    expect(focusOf(steps, retry)).toEqual({ path: [], lane: 'device' });
    const end = focusOf(steps, steps.length - 1);
    expect(end.path).toHaveLength(6);
    expect(end.path[end.path.length - 1]).toBe(l3);
  });

  it('has no path for an op without a device access, and clamps the step', () => {
    const steps = flow(25); // bind: CD written, CFGI_CD + CMD_SYNC
    expect(focusOf(steps, 1)).toEqual({ current: steps[1]!.pa, path: [], lane: 'mm' });
    expect(focusOf(steps, 99).lane).toBe(steps[steps.length - 1]!.lane);
    expect(focusOf(steps, -5).lane).toBe(steps[0]!.lane);
    expect(focusOf([], 0)).toEqual({ path: [], lane: 'device' });
  });
});
