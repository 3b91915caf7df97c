// The document schema (validate.ts, and zod) is loaded on demand: parseScenario works only once
// it is loaded or installed, and says so instead of letting an unchecked document through.
import { describe, expect, test, vi } from 'vitest';
import type { ScenarioDoc } from './format.ts';
import type * as ParseModule from './parse.ts';

/** A fresh copy of parse.ts: this file's setup installed the schema in the shared one. */
async function freshParse(): Promise<typeof ParseModule> {
  vi.resetModules();
  return import('./parse.ts');
}

const doc: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 2,
  ops: [{ op: 'process', name: 'sh' }],
};

describe('loading the document schema', () => {
  test('before it is loaded parseScenario refuses to run; parseTrusted needs none', async () => {
    const m = await freshParse();
    expect(m.validationLoaded()).toBe(false);
    expect(() => m.parseScenario(doc)).toThrow(/not loaded/);
    expect(m.parseTrusted(doc).ok).toBe(true);
  });

  test('loadValidation loads it: unknown fields are refused again, naming where', async () => {
    const m = await freshParse();
    await m.loadValidation();
    expect(m.validationLoaded()).toBe(true);
    expect(m.parseScenario(doc).ok).toBe(true);
    const bad = { ...doc, ops: [{ op: 'process', name: 'sh', colour: 'red' }] };
    expect(m.parseScenario(bad)).toEqual({ ok: false, error: 'ops[0].colour: unknown field' });
    // What the schema alone catches: parseTrusted would take this document.
    expect(m.parseTrusted(bad as never).ok).toBe(true);
  });
});
