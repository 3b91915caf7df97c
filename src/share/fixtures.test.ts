// Frozen links. fixtures/v<N>.json holds links produced once by the version-N encoder, each with
// the document it was made from, written by hand. They must decode to that scenario forever: a
// format change that breaks one fails here (and needs a migration, not a new fixture). Meaning is
// compared (parsed ops, platform, title, cursor), not spelling: "0x1000_0000", "268435456" and
// "0x10000000" are the same address.
import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HARDWARE_OPS, KERNEL_OPS, parseScenario, type ScenarioDoc } from '../scenario/index.ts';
import { OP_FIELDS } from './compact.ts';
import { decodeLink } from './link.ts';
import { LINK_VERSION } from './migrate.ts';

interface Fixture {
  readonly name: string;
  readonly link: string;
  readonly doc: ScenarioDoc;
}

const file = (v: number): URL => new URL(`./fixtures/v${v}.json`, import.meta.url);
const versions = Array.from({ length: LINK_VERSION }, (_, i) => i + 1);

function meaning(doc: unknown): unknown {
  const p = parseScenario(doc);
  if (!p.ok) throw new Error(p.error);
  return p.scenario;
}

describe('frozen link fixtures', () => {
  it('exist for every link version up to the current one', () => {
    for (const v of versions) expect(existsSync(file(v)), `fixtures/v${v}.json`).toBe(true);
  });

  for (const v of versions.filter((n) => existsSync(file(n)))) {
    const fixtures = JSON.parse(readFileSync(file(v), 'utf8')) as Fixture[];
    describe(`version ${v}`, () => {
      it('has fixtures, each a link of its version', () => {
        expect(fixtures.length).toBeGreaterThan(0);
        for (const f of fixtures) expect(f.link.startsWith(`#s=${v}.`), f.name).toBe(true);
      });
      for (const f of fixtures)
        it(`decodes "${f.name}" to the scenario it was made from`, () => {
          const d = decodeLink(f.link);
          if (!d.ok) throw new Error(d.error);
          expect(d.scenario).toEqual(meaning(f.doc));
        });
    });
  }
});

describe('version 1 fixtures cover the format', () => {
  const docs = (JSON.parse(readFileSync(file(1), 'utf8')) as Fixture[]).map((f) => f.doc);
  const ops = docs.flatMap((d) => d.ops as unknown as Record<string, unknown>[]);

  it('every op of the format appears in one', () => {
    const seen = new Set(ops.map((o) => o.op));
    for (const op of [...KERNEL_OPS, 'dma', ...HARDWARE_OPS]) expect(seen, op).toContain(op);
  });

  it('every field of every op appears in one (the positional order of link v1 is pinned)', () => {
    for (const [op, fields] of Object.entries(OP_FIELDS))
      for (const f of fields)
        expect(
          ops.some((o) => o.op === op && o[f] !== undefined),
          `${op}.${f}`,
        ).toBe(true);
  });

  it('the platform fields, a cursor, a non-default kernel and a non-ASCII title appear', () => {
    const smmu = new Set(docs.flatMap((d) => Object.keys(d.platform?.smmu ?? {})));
    const cpu = new Set(docs.flatMap((d) => Object.keys(d.platform?.cpu ?? {})));
    for (const k of ['sidBits', 'ssidBits', 'streamTable', 'stall', 'httu', 'ramBase', 'ramSize'])
      expect(smmu, k).toContain(k);
    for (const k of ['granule', 'vaBits', 'asidBits']) expect(cpu, k).toContain(k);
    expect(docs.some((d) => d.cursor !== undefined)).toBe(true);
    expect(docs.some((d) => d.kernel === 'mainline')).toBe(true);
    expect(docs.some((d) => /[^\x20-\x7e]/.test(d.title ?? ''))).toBe(true);
  });
});
