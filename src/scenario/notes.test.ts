// Notes and tours in the document: what the schema accepts, what it refuses (one short sentence
// naming the field), and that they never change what the ops do.
import { describe, expect, it } from 'vitest';
import type { ScenarioDoc } from './format.ts';
import { MAX_NOTES, MAX_STOPS, MAX_TEXT } from './notes.ts';
import { parseScenario } from './parse.ts';

const ops: ScenarioDoc['ops'] = [
  { op: 'process', name: 'p' },
  { op: 'device', name: 'gpu', sid: 32 },
];
const doc = (d: Partial<ScenarioDoc>): ScenarioDoc => ({
  format: 'sva-explorer/scenario',
  version: 1,
  ops,
  ...d,
});
const error = (d: Partial<ScenarioDoc>): string => {
  const p = parseScenario(doc(d));
  if (p.ok) throw new Error('expected a refusal');
  return p.error;
};

describe('notes and tours', () => {
  it('parse into moments, parsed targets and the text unchanged', () => {
    const p = parseScenario(
      doc({
        notes: [
          { at: { op: 1, step: 3 }, text: '<b>not html</b>' },
          { at: { op: 0, step: 0 }, on: { struct: 'ste', pa: '0x8_0000', level: 0 }, text: 'x' },
        ],
        tours: [
          {
            title: 'T',
            stops: [{ at: { op: 1, step: 0 }, focus: { device: 'gpu', pasid: 1 }, text: 's' }],
          },
        ],
      }),
    );
    if (!p.ok) throw new Error(p.error);
    expect(p.scenario.notes).toEqual([
      { at: { op: 1, step: 3 }, text: '<b>not html</b>' },
      {
        at: { op: 0, step: 0 },
        on: { kind: 'struct', struct: 'ste', pa: 0x80000n, level: 0 },
        text: 'x',
      },
    ]);
    expect(p.scenario.tours[0]!.stops[0]!.focus).toEqual({
      kind: 'device',
      device: 'gpu',
      pasid: 1,
    });
  });

  it('are empty when the document has none', () => {
    const p = parseScenario(doc({}));
    expect(p.ok && [p.scenario.notes, p.scenario.tours]).toEqual([[], []]);
  });

  it('refuse a moment past the last op, naming the field', () => {
    expect(error({ notes: [{ at: { op: 2, step: 0 }, text: 'x' }] })).toContain(
      'notes[0].at.op: must point at one of the 2 ops',
    );
    expect(
      error({
        tours: [{ title: 't', stops: [{ at: { op: 0, step: 0 }, focus: { op: 9 }, text: 'x' }] }],
      }),
    ).toContain('tours[0].stops[0].focus.op');
  });

  it('refuse empty or overlong text and too many notes or stops', () => {
    expect(error({ notes: [{ at: { op: 0, step: 0 }, text: '' }] })).toContain('notes[0].text');
    expect(
      error({ notes: [{ at: { op: 0, step: 0 }, text: 'x'.repeat(MAX_TEXT + 1) }] }),
    ).toContain(`at most ${MAX_TEXT} characters`);
    const note = { at: { op: 0, step: 0 }, text: 'x' };
    expect(error({ notes: Array.from({ length: MAX_NOTES + 1 }, () => note) })).toContain(
      `at most ${MAX_NOTES} notes`,
    );
    expect(
      error({ tours: [{ title: 't', stops: Array.from({ length: MAX_STOPS + 1 }, () => note) }] }),
    ).toContain(`at most ${MAX_STOPS} stops`);
    expect(error({ tours: [{ title: 't', stops: [] }] })).toContain('at least one stop');
  });

  it('refuse an unknown target shape or register', () => {
    expect(
      error({ notes: [{ at: { op: 0, step: 0 }, on: { pid: 3 } as never, text: 'x' }] }),
    ).toContain('notes[0].on');
    expect(
      error({ notes: [{ at: { op: 0, step: 0 }, on: { reg: 'NOPE' } as never, text: 'x' }] }),
    ).toContain('notes[0].on');
  });

  it('never change the ops', () => {
    const a = parseScenario(doc({}));
    const b = parseScenario(doc({ notes: [{ at: { op: 1, step: 0 }, text: 'hi' }] }));
    expect(a.ok && b.ok && b.scenario.ops).toEqual(a.ok && a.scenario.ops);
  });
});
