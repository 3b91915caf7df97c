// How a link spells notes and tours: positional lists appended as `n` and `r`, worked out by
// hand from compactNotes.ts's header, and links without them unchanged.
import { describe, expect, it } from 'vitest';
import type { ScenarioDoc } from '../scenario/index.ts';
import { compact, expand } from './compact.ts';
import { linkOf } from './arbitraries.testkit.ts';
import { decodeLink, encodeLink } from './link.ts';

const base: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 1,
  ops: [{ op: 'process', name: 'p' }],
};

describe('notes and tours in a link', () => {
  const doc: ScenarioDoc = {
    ...base,
    notes: [
      { at: { op: 0, step: 2 }, text: 'plain' },
      { at: { op: 0, step: 0 }, on: { struct: 'cd', pa: '0x8_1000', level: 1 }, text: 'on a CD' },
    ],
    tours: [
      { title: 'Tour', stops: [{ at: { op: 0, step: 1 }, focus: { reg: 'CR0' }, text: 's' }] },
    ],
  };

  it('are written as [op, step, text, target?] and [title, stops], pa in bare hex', () => {
    const c = compact(doc);
    expect(c.n).toEqual([
      [0, 2, 'plain'],
      [0, 0, 'on a CD', { struct: 'cd', pa: '81000', level: 1 }],
    ]);
    expect(c.r).toEqual([['Tour', [[0, 1, 's', { reg: 'CR0' }]]]]);
    expect(expand(c).notes).toEqual([
      { at: { op: 0, step: 2 }, text: 'plain' },
      { at: { op: 0, step: 0 }, on: { struct: 'cd', pa: '0x81000', level: 1 }, text: 'on a CD' },
    ]);
  });

  it('leave a document without notes spelt as before', () => {
    expect(compact({ ...base, notes: [], tours: [] })).toEqual(compact(base));
    expect(encodeLink({ ...base, notes: [] })).toBe(encodeLink(base));
  });

  it('survive a link and come back as text, hostile markup included', () => {
    const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const r = decodeLink(
      encodeLink({ ...doc, notes: [{ at: { op: 0, step: 0 }, text: hostile }] }),
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.scenario.notes[0]!.text).toBe(hostile);
    expect(r.scenario.tours[0]!.title).toBe('Tour');
  });

  it('refuse an extra positional field or a wrong shape with a named error, never a throw', () => {
    const o = [['process', 'p']];
    const err = (v: object): string => {
      const r = decodeLink(linkOf({ o, ...v }));
      return r.ok ? 'accepted' : r.error;
    };
    expect(err({ n: [[0, 0, 'x', { reg: 'CR0' }, 'extra']] })).toContain('notes[0]');
    expect(err({ n: 'nope' })).toContain('notes: must be a list of notes');
    expect(err({ r: [['t', [[0, 0, 'x']], 9]] })).toContain('tours[0]');
    expect(err({ n: [[5, 0, 'x']] })).toContain('notes[0].at.op');
    expect(err({ n: Array.from({ length: 101 }, () => [0, 0, 'x']) })).toContain('101 notes');
  });
});
