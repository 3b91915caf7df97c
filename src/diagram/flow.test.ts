import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario, Timeline } from '../scenario/index.ts';
import { flowOf, type FlowStep } from './flow.ts';

function faultingDma(file: string): { steps: FlowStep[] } {
  const p = parseScenario(
    readFileSync(new URL(`../scenario/golden/${file}`, import.meta.url), 'utf8'),
  );
  if (!p.ok) throw new Error(p.error);
  const t = new Timeline(p.scenario);
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
    const retry = at(steps, (s) => s.title === 'device retries');
    expect(event).toBeGreaterThan(0);
    expect(steps[event]!.words?.length).toBe(4);
    expect(event).toBeLessThan(pte);
    expect(pte).toBeLessThan(resume);
    expect(resume).toBeLessThan(retry);
    expect(steps[steps.length - 1]!.detail).toMatch(/^translated: PA 0x/);
  });
});
