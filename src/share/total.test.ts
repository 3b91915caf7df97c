// decodeLink is total: even a failure nobody foresaw (here: expand throwing, as it did for an op
// named "constructor") comes back as one sentence, never as an exception that blanks the page.
import { describe, expect, it, vi } from 'vitest';
import type * as Compact from './compact.ts';

vi.mock('./compact.ts', async (real) => ({
  ...(await real<typeof Compact>()),
  expand: () => {
    throw new TypeError('order.forEach is not a function');
  },
}));

// The test setup (cli/onDemand.testkit.ts) loaded link.ts with the real compact.ts: load it anew,
// with the mock, and install what it loads on demand in the new copies.
vi.resetModules();
const scenario = await import('../scenario/index.ts');
scenario.installValidation(scenario.validateScenario);
(await import('./codec.ts')).installCodec(await import('fflate'));
const { decodeLink, encodeLink } = await import('./link.ts');

describe('decodeLink', () => {
  it('turns an unforeseen exception into one sentence', () => {
    expect(decodeLink(encodeLink(scenario.seedStory))).toEqual({
      ok: false,
      error: 'the link is damaged: its data is not a scenario',
    });
  });
  it('answers input that is not even text', () => {
    expect(decodeLink(undefined as unknown as string)).toEqual({
      ok: false,
      error: 'the link is not text',
    });
  });
});
