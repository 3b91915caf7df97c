import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScenarioDoc } from '../format.ts';
import { parseScenario } from '../parse.ts';
import { openTimeline } from '../timeline.ts';
import { expectedErrors, PRESETS, seedStory } from './index.ts';

describe('the example presets', () => {
  it('are all valid documents with distinct ids', () => {
    for (const p of PRESETS) expect(parseScenario(p.doc).ok, p.id).toBe(true);
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
  });

  it('offer every golden scenario', () => {
    const dir = new URL('../golden/', import.meta.url);
    const titles = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => (JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { title: string }).title);
    expect(titles.length).toBeGreaterThan(0);
    for (const t of titles)
      expect(
        PRESETS.some((p) => p.doc.title === t),
        t,
      ).toBe(true);
  });

  it('label the goldens by number and behaviour', () => {
    const pri = PRESETS.find((p) => p.id === 'pri')!;
    expect(pri.label).toMatch(/^9\. PRI — a page request is answered Success/);
    expect(PRESETS.find((p) => p.id === 'munmap-no-btm')!.label).toMatch(/^8b\. munmap/);
  });
});

describe('expected errors', () => {
  const run = (doc: ScenarioDoc) => {
    const p = parseScenario(doc);
    if (!p.ok) throw new Error(p.error);
    const t = openTimeline(p.scenario);
    if (!t.ok) throw new Error(t.error);
    return t.timeline.records.filter((r) => r.status === 'error').map((r) => [r.index, r.error]);
  };

  it('are exactly the errors each example shows: no more, no fewer', () => {
    for (const p of PRESETS) {
      if (p.id === 'stress') continue; // long; it declares none and is checked in stress.test.ts
      expect(run(p.doc), p.id).toEqual((p.expectedErrors ?? []).map((e) => [e.op, e.error]));
    }
  });

  it('are declared where the goldens intend them: 6 (-ESRCH), 7 and M3 (-ENOSPC)', () => {
    const ops = (id: string) => PRESETS.find((p) => p.id === id)!.expectedErrors?.map((e) => e.op);
    expect(ops('exit-then-unbind')).toEqual([8, 9]);
    expect(ops('pasid-wrap')).toEqual([13]);
    expect(ops('mainline-pasid-lowest-free')).toEqual([11, 13, 17]);
  });

  it('hold while the document runs the example, ops added after it included', () => {
    const g6 = PRESETS.find((p) => p.id === 'exit-then-unbind')!.doc;
    expect(expectedErrors(g6).map((e) => e.op)).toEqual([8, 9]);
    const more = { ...g6, ops: [...g6.ops, { op: 'process' as const, name: 'late' }] };
    expect(expectedErrors(more).map((e) => e.op)).toEqual([8, 9]);
  });

  it('do not hold once the example is changed: another kernel, platform or op', () => {
    const g6 = PRESETS.find((p) => p.id === 'exit-then-unbind')!.doc;
    expect(expectedErrors({ ...g6, kernel: 'mainline' })).toEqual([]);
    expect(expectedErrors({ ...g6, platform: { smmu: { btm: false } } })).toEqual([]);
    expect(expectedErrors({ ...g6, ops: g6.ops.slice(1) })).toEqual([]);
    expect(expectedErrors(seedStory)).toEqual([]);
  });
});
