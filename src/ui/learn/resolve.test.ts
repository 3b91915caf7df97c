// Every stop of the shipped tour selects something that exists at its moment, and the thing
// selected is the one its text talks about.
import { describe, expect, it } from 'vitest';
import {
  firstVisitTour,
  openTimeline,
  parseScenario,
  parseTarget,
  seedStory,
} from '../../scenario/index.ts';
import { modelAt } from '../../state/index.ts';
import { resolveTarget } from './resolve.ts';

const p = parseScenario(seedStory);
if (!p.ok) throw new Error(p.error);
const opened = openTimeline(p.scenario);
if (!opened.ok) throw new Error('the seed story did not open');
const timeline = opened.timeline;

describe('resolveTarget', () => {
  it('finds every focus of the first-visit tour at its moment', () => {
    for (const s of firstVisitTour.stops) {
      if (!s.focus || 'op' in s.focus) continue;
      const sel = resolveTarget(parseTarget(s.focus), modelAt(timeline, s.at.op));
      expect(sel, JSON.stringify(s.focus)).not.toBeNull();
    }
  });

  it('selects the STE of a device and the CD of a device and PASID', () => {
    const m = modelAt(timeline, 19);
    const gpu = m.streams.find((s) => s.dev === 'gpu')!;
    expect(resolveTarget({ kind: 'device', device: 'gpu' }, m)).toMatchObject({
      struct: 'ste',
      pa: gpu.stePa,
    });
    // STE address = Stream table walk; the CD row of SSID 2 of the table the STE points at.
    const row = m.cdTables.find((t) => t.id === gpu.cdTable)!.rows.find((r) => r.ssid === 2)!;
    expect(resolveTarget({ kind: 'device', device: 'gpu', pasid: 2 }, m)).toMatchObject({
      struct: 'cd',
      pa: row.pa,
    });
  });

  it('gives null for a name that does not exist at that moment', () => {
    const m = modelAt(timeline, 0);
    expect(resolveTarget({ kind: 'device', device: 'accel' }, m)).toBeNull();
    expect(resolveTarget({ kind: 'process', process: 'ml' }, m)).toBeNull();
    expect(resolveTarget({ kind: 'op', op: 3 }, m)).toBeNull();
  });
});
