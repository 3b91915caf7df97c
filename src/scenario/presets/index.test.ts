import { describe, expect, it } from 'vitest';
import { parseScenario } from '../parse.ts';
import { PRESETS } from './index.ts';

describe('the example presets', () => {
  it('are all valid documents with distinct ids', () => {
    for (const p of PRESETS) expect(parseScenario(p.doc).ok, p.id).toBe(true);
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
  });

  it('label the goldens by number and behaviour', () => {
    const pri = PRESETS.find((p) => p.id === 'pri')!;
    expect(pri.label).toMatch(/^9\. PRI — a page request is answered Success/);
    expect(PRESETS.find((p) => p.id === 'munmap-no-btm')!.label).toMatch(/^8b\. munmap/);
  });
});
