import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, type OpDoc, type ScenarioDoc } from '../scenario/index.ts';
import { seedStory } from '../scenario/presets/seedStory.ts';
import fixtures from './fixtures/v1.json';
import { decodeLink, encodeLink, LINK_PREFIX, MAX_JSON } from './link.ts';
import { deflateSync, strToU8 } from 'fflate';

/** What a scenario means: its parsed ops (bigints), title, profile, platform and cursor. */
function meaning(doc: unknown): unknown {
  const p = parseScenario(doc);
  if (!p.ok) throw new Error(p.error);
  return p.scenario;
}

describe('frozen links of version 1', () => {
  // These strings were produced once and committed; a format change that breaks one fails here.
  for (const f of fixtures) {
    it(`decodes "${f.name}" to the scenario it was made from`, () => {
      const d = decodeLink(f.link);
      expect(d.ok).toBe(true);
      if (d.ok) expect(d.scenario).toEqual(meaning(f.doc));
    });
  }
});

describe('link size', () => {
  it('keeps the default scenario under 1,000 characters', () => {
    expect(encodeLink(seedStory).length).toBeLessThan(1000);
  });
});

const name = fc.constantFrom('gpu', 'dsp', 'bash', 'p1', 'media', 'a.b');
const page = fc
  .bigInt({ min: 0n, max: (1n << 35n) - 1n })
  .map((n) => `0x${(n << 12n).toString(16)}`);
const size = fc.integer({ min: 1, max: 64 }).map((n) => `0x${(n * 4096).toString(16)}`);
const prot = fc.constantFrom('r', 'rw', 'rx', 'rwx', 'w');
const access = fc.constantFrom<'r' | 'w' | 'x'>('r', 'w', 'x');
const op: fc.Arbitrary<OpDoc> = fc.oneof(
  fc.record({
    op: fc.constant('device' as const),
    name,
    sid: fc.integer({ min: 0, max: 65535 }),
    bus: fc.constantFrom('pci' as const, 'platform' as const),
    pasidBits: fc.integer({ min: 0, max: 20 }),
    ats: fc.boolean(),
  }),
  fc.record({
    op: fc.constant('domain' as const),
    name,
    type: fc.constantFrom('dma' as const, 'identity' as const, 'blocked' as const),
  }),
  fc.record({ op: fc.constant('attach' as const), dev: name, domain: name }),
  fc.record({ op: fc.constant('process' as const), name }),
  fc.record({
    op: fc.constant('mmap' as const),
    proc: name,
    addr: page,
    size,
    prot,
    populate: fc.boolean(),
  }),
  fc.record({
    op: fc.constant('bind' as const),
    dev: name,
    proc: name,
    tables: fc.constantFrom('shared' as const, 'private' as const),
  }),
  fc.record({ op: fc.constant('unbind' as const), dev: name, proc: name }),
  fc.record({ op: fc.constant('map' as const), domain: name, iova: page, size, prot }),
  fc.record({
    op: fc.constant('dma' as const),
    dev: name,
    pasid: fc.integer({ min: 0, max: 1000 }),
    addr: page,
    access,
    count: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ op: fc.constant('touch' as const), proc: name, addr: page, access }),
  fc.record({ op: fc.constant('exit' as const), proc: name }),
  fc.record({ op: fc.constant('write64' as const), pa: page, value: page }),
);
const doc: fc.Arbitrary<ScenarioDoc> = fc
  .record({
    ops: fc.array(op, { maxLength: 40 }),
    kernel: fc.constantFrom('rfc2017' as const, 'mainline' as const),
    title: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  })
  .map(({ ops, kernel, title }) => ({
    format: 'sva-explorer/scenario' as const,
    version: 1 as const,
    kernel,
    ops,
    ...(title !== undefined ? { title } : {}),
  }));

describe('encode → decode', () => {
  it('is the identity on the meaning of random valid scenarios', () => {
    fc.assert(
      fc.property(doc, (d) => {
        const r = decodeLink(encodeLink(d));
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.scenario).toEqual(meaning(d));
      }),
      { numRuns: 300 },
    );
  });
});

describe('hostile links', () => {
  const real = encodeLink(seedStory);
  const settle = (s: string): void => {
    const t = performance.now();
    const r = decodeLink(s);
    expect(performance.now() - t).toBeLessThan(1000);
    if (!r.ok) expect(r.error).toMatch(/^[^\n]+$/);
  };
  it('random strings never throw', () =>
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => settle(s)),
      { numRuns: 500 },
    ));
  it('random payloads after a valid prefix never throw', () =>
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => settle(`${LINK_PREFIX}1.${s}`)),
      { numRuns: 500 },
    ));
  it('every truncation of a real link fails cleanly or decodes', () => {
    for (let n = 0; n < real.length; n++) settle(real.slice(0, n));
  });
  it('bit flips of a real link fail cleanly or decode', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: LINK_PREFIX.length, max: real.length - 1 }),
        fc.integer({ min: 0, max: 5 }),
        (i, b) => {
          const ch = String.fromCharCode(real.charCodeAt(i) ^ (1 << b));
          settle(real.slice(0, i) + ch + real.slice(i + 1));
        },
      ),
      { numRuns: 500 },
    );
  });
  it('names a future version instead of guessing', () => {
    expect(decodeLink(`${LINK_PREFIX}3.${real.slice(5)}`)).toEqual({
      ok: false,
      error: 'the link is version 3; this page reads up to 1',
    });
  });
  it('refuses a decompression bomb without allocating it', () => {
    const bomb = deflateSync(new Uint8Array(MAX_JSON * 4), { level: 9 });
    const s = btoa(String.fromCharCode(...bomb))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(decodeLink(`${LINK_PREFIX}1.${s}`)).toEqual({
      ok: false,
      error: 'the link expands to more than 4 MB: not loaded',
    });
  });
  it('refuses a valid scenario that would spin the page', () => {
    const heavy = {
      format: 'sva-explorer/scenario',
      version: 1,
      ops: Array.from({ length: 3 }, () => ({
        op: 'dma',
        sid: 1,
        addr: '0x0',
        access: 'r',
        count: 900000,
      })),
    };
    const json = JSON.stringify({
      o: heavy.ops.map((o) => ['dma', null, 1, null, null, '0', 'r', null, o.count]),
    });
    const s = btoa(String.fromCharCode(...deflateSync(strToU8(json))))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    const r = decodeLink(`${LINK_PREFIX}1.${s}`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/at most 1,000,000/);
  });
});
