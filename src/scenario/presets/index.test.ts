import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../parse.ts';
import { PRESETS } from './index.ts';

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
