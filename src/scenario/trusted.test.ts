// parseTrusted skips the schema for the page's own seed story (the store's first build): it must
// give exactly what the full parse gives there, and it must still apply the context rules.
import { describe, expect, test } from 'vitest';
import { parseScenario, parseTrusted } from './parse.ts';
import { seedStory } from './presets/seedStory.ts';
import type { ScenarioDoc } from './format.ts';

describe('parseTrusted', () => {
  test('the seed story passes the schema, and both parses agree on it', () => {
    const full = parseScenario(seedStory);
    expect(full.ok).toBe(true);
    expect(parseTrusted(seedStory)).toEqual(full);
  });

  test('the context rules still run: a misaligned mmap is refused, naming the op and field', () => {
    const i = seedStory.ops.findIndex((o) => o.op === 'mmap');
    expect(i).toBeGreaterThanOrEqual(0);
    const ops = seedStory.ops.map((o, j) => (j === i ? { ...o, addr: '0x1001' } : o));
    const bad = { ...seedStory, ops } as ScenarioDoc;
    expect(parseTrusted(bad)).toEqual({
      ok: false,
      error: `ops[${i}].addr: must be a multiple of 0x1000`,
    });
    // What the full parse says about the same document (the schema lets it through).
    expect(parseScenario(bad)).toEqual(parseTrusted(bad));
  });
});
