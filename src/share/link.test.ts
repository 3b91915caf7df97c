// Links: encode → decode keeps the meaning of any valid scenario; and whatever a link holds —
// random text, truncations and bit flips of a real link, well-formed deflate of JSON in the wrong
// shape — decoding answers with one sentence and never throws or hangs.
import fc from 'fast-check';
import { deflateSync, inflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseScenario, seedStory } from '../scenario/index.ts';
import { doc, linkOf } from './arbitraries.testkit.ts';
import { decodeLink, encodeLink, LINK_PREFIX, MAX_JSON } from './link.ts';

/** What a scenario means: its parsed ops (bigints), title, profile, platform and cursor. */
function meaning(d: unknown): unknown {
  const p = parseScenario(d);
  if (!p.ok) throw new Error(p.error);
  return p.scenario;
}

/** Decodes without throwing, within a second, and any error is one line. */
function settle(s: string): ReturnType<typeof decodeLink> {
  const t = performance.now();
  const r = decodeLink(s);
  expect(performance.now() - t).toBeLessThan(1000);
  if (!r.ok) expect(r.error).toMatch(/^[^\n]+$/);
  return r;
}

describe('link size', () => {
  it('keeps the default scenario under 1,000 characters', () => {
    expect(encodeLink(seedStory).length).toBeLessThan(1000);
  });
});

describe('encode → decode', () => {
  it('is the identity on the meaning of random valid scenarios', () => {
    fc.assert(
      fc.property(doc, (d) => {
        const r = decodeLink(encodeLink(d));
        if (!r.ok) throw new Error(r.error);
        expect(r.scenario).toEqual(meaning(d));
        // The document it gives back is itself valid and encodes to the same link.
        expect(encodeLink(r.doc)).toBe(encodeLink(d));
      }),
      { numRuns: 300 },
    );
  });
});

describe('hostile links', () => {
  const real = encodeLink(seedStory);
  it('random strings never throw', () =>
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => void settle(s)),
      { numRuns: 500 },
    ));
  it('random payloads after a valid prefix never throw', () =>
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => void settle(`${LINK_PREFIX}1.${s}`)),
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
      error: 'the link is version 3; this page reads up to 2',
    });
  });
  it('refuses a decompression bomb without allocating it', () => {
    const bomb = deflateSync(new Uint8Array(MAX_JSON * 4), { level: 9 });
    let bin = '';
    for (const b of bomb) bin += String.fromCharCode(b);
    const s = btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(decodeLink(`${LINK_PREFIX}1.${s}`)).toEqual({
      ok: false,
      error: 'the link expands to more than 4 MB: not loaded',
    });
  });
});

describe('well-formed payloads of the wrong shape', () => {
  // Names that a plain object lookup finds on Object.prototype.
  const inherited = [
    'constructor',
    '__proto__',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'isPrototypeOf',
    '__defineGetter__',
  ];

  it('refuses the audit link (op "constructor") with a sentence naming the op', () => {
    const r = settle('#s=1.q1bKV7KKjlZKzs8rLikqTS7JL1KKja0FAA');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toMatch(
        /^the link's scenario is invalid: ops\[0\]\.op: unknown op "constructor"/,
      );
  });

  const cases: [string, unknown][] = [
    ...inherited.map((n): [string, unknown] => [`op named ${n}`, { o: [[n, 'x', 1]] }]),
    ...inherited.map((n): [string, unknown] => [`object op named ${n}`, { o: [{ op: n }] }]),
    ['top level null', null],
    ['top level array', [['exit', 'p']]],
    ['top level number', 7],
    ['ops not a list', { o: { 0: ['exit', 'p'] } }],
    ['ops a string', { o: 'exit' }],
    ['an op that is a number', { o: [5] }],
    ['an op name that is a number', { o: [[1, 'p']] }],
    ['a field of the wrong type', { o: [['exit', { proc: 'p' }]] }],
    ['a number field given as a number', { o: [['touch', 'p', 4096, 'r']] }],
    ['a number field that is not hex', { o: [['touch', 'p', 'zz', 'r']] }],
    ['values beyond the op’s fields', { o: [['exit', 'p', 'extra']] }],
    ['a huge op array', { o: [['touch', 'p', '1000', 'r', ...Array<null>(100_000).fill(null)]] }],
    ['a cursor that is text', { o: [['exit', 'p']], c: 'ab' }],
    ['a cursor of one number', { o: [['exit', 'p']], c: [0] }],
    ['a cursor past the ops', { o: [['exit', 'p']], c: [1, 0] }],
    ['a negative cursor', { o: [['exit', 'p']], c: [-1, 0] }],
    ['a title that is not text', { o: [], t: { toString: 'x' } }],
    ['an overlong title', { o: [], t: 'x'.repeat(1_000_000) }],
    ['a kernel named constructor', { o: [], k: 'constructor' }],
    ['a platform that is a list', { o: [], p: [] }],
    ['a platform with an inherited key', { o: [], p: { constructor: {} } }],
    ['an smmu with __proto__', JSON.parse('{"o":[],"p":{"smmu":{"__proto__":{"sidBits":4}}}}')],
    ['100,000 ops', { o: Array.from({ length: 100_000 }, () => ['exit', 'p']) }],
  ];
  for (const [what, value] of cases)
    it(`refuses ${what}`, () => {
      expect(settle(linkOf(value)).ok).toBe(false);
    });

  it('refuses random wrong shapes around valid scenarios', () => {
    // Values no field of any op accepts (null is not among them: it means "left out").
    const wrong = fc.constantFrom<unknown>({}, [], -1, JSON.parse('{"__proto__":1}'), [[]]);
    // Each mutation makes a valid compact document invalid in one place.
    const mutate = fc.oneof(
      fc.tuple(fc.nat(), fc.constantFrom(...inherited)).map(([i, n]) => (o: unknown[][]) => {
        const a = o[i % o.length]!;
        if (Array.isArray(a)) a[0] = n;
        else (a as Record<string, unknown>)['op'] = n;
      }),
      fc.tuple(fc.nat(), fc.nat(), wrong).map(([i, j, w]) => (o: unknown[][]) => {
        const a = o[i % o.length]!;
        if (Array.isArray(a)) a[1 + (j % Math.max(a.length - 1, 1))] = w;
        else (a as Record<string, unknown>)['name'] = w;
      }),
      fc.tuple(fc.nat(), fc.jsonValue()).map(([i, w]) => (o: unknown[][]) => {
        const a = o[i % o.length]!;
        if (Array.isArray(a)) a.push(...Array<null>(12).fill(null), w ?? 0);
        else (a as Record<string, unknown>)['bogus'] = w;
      }),
    );
    fc.assert(
      fc.property(
        doc.filter((d) => d.ops.length > 0),
        mutate,
        (d, m) => {
          const link = encodeLink(d);
          const ok = decodeLink(link);
          if (!ok.ok) throw new Error(ok.error);
          const compactDoc = JSON.parse(JSON.stringify(expandBack(link))) as { o: unknown[][] };
          m(compactDoc.o);
          expect(settle(linkOf(compactDoc)).ok).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** The compact JSON inside a link (the test's own inflate, not the code under test). */
function expandBack(link: string): unknown {
  const s = link
    .slice(link.indexOf('.') + 1)
    .replace(/-/g, '+')
    .replace(/_/g, '/');
  const bin = atob(s + '='.repeat((4 - (s.length % 4)) % 4));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(inflateSync(bytes))) as unknown;
}
