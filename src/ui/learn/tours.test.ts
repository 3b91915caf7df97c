// Every shipped tour on the live engine: each stop's op and step exist in its scenario's run, the
// step is the one its text talks about (titles as the Stepper shows them, listed here by hand from
// the trace the spec describes), and its focus resolves to something on the page at that moment.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  openTimeline,
  parseScenario,
  parseTarget,
  loadShippedTours,
  SHIPPED_COUNT,
  type ScenarioDoc,
} from '../../scenario/index.ts';
import { flowAt, modelAt } from '../../state/index.ts';
import { resolveTarget } from './resolve.ts';

// As the page gets them: from their own chunk (the stall tour stands on the stall story).
const SHIPPED = await loadShippedTours();
const stallStory = SHIPPED.find((s) => s.tour.title === 'A stall fault')!.doc;

const open = (doc: ScenarioDoc) => {
  const p = parseScenario(doc);
  if (!p.ok) throw new Error(p.error);
  const o = openTimeline(p.scenario);
  if (!o.ok) throw new Error(o.error);
  return o.timeline;
};

// Which Stepper step each stop lands on (null: a stop at step 0 of an op that is not an access).
const STEPS: Record<string, (RegExp | null)[]> = {
  'A 4-level walk': [
    /^device access$/,
    /^ste$/,
    /^cd$/,
    /^decision$/,
    /^L0 descriptor$/,
    /^L3 descriptor$/,
    /^result$/,
  ],
  'A PRI fault': [
    /^device access$/,
    /^L3 descriptor$/,
    /^result$/,
    /^page request/,
    /^CPU page table .*L3/,
    /^CMD_PRI_RESP$/,
    /^result$/,
  ],
  "The seed's story": [
    null,
    null,
    /^device access$/,
    null,
    /^device access$/,
    null,
    /^CD table .* written$/,
    /^tlb hit$/,
    /^CD table .* written$/,
    /^CD table .* written$/,
  ],
  'A stall fault': [
    /^device access$/,
    /^F_TRANSLATION$/,
    /^result$/,
    /^mm$/,
    /^CMD_RESUME$/,
    /^result$/,
    /^CMD_RESUME$/,
  ],
};

describe('shipped tours', () => {
  it('the stall tour stands on golden 10 as its file has it', () => {
    const file = JSON.parse(readFileSync('src/scenario/golden/10-stall.json', 'utf8')) as {
      ops: unknown;
    };
    expect(stallStory.ops).toEqual(file.ops);
  });

  for (const { tour, doc } of SHIPPED)
    it(`${tour.title}: every stop is on a live step and its focus is on the page`, () => {
      const t = open(doc);
      tour.stops.forEach((s, i) => {
        expect(s.at.op, `${tour.title} stop ${i}`).toBeLessThan(t.records.length);
        const flow = flowAt(t, s.at.op);
        expect(s.at.step, `${tour.title} stop ${i}`).toBeLessThan(Math.max(1, flow.length));
        const want = STEPS[tour.title]?.[i];
        if (want) expect(flow[s.at.step]!.title, `${tour.title} stop ${i}`).toMatch(want);
        if (!s.focus || 'op' in s.focus) return;
        const sel = resolveTarget(parseTarget(s.focus), modelAt(t, s.at.op));
        expect(sel, `${tour.title} stop ${i}: ${JSON.stringify(s.focus)}`).not.toBeNull();
      });
    });
});

describe('the shipped tours, loaded when the Tours list opens', () => {
  it('are as many as the first view counts, each its own', () => {
    expect(SHIPPED.length).toBe(SHIPPED_COUNT);
    expect(new Set(SHIPPED.map((s) => s.tour.title)).size).toBe(SHIPPED_COUNT);
  });
});
