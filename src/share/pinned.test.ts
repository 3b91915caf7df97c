// Links of format version 1 that say "mainline" keep their meaning: the migration pins them to the
// era v6.11, the model that carried the name before eras. fixtures/v1-mainline-results.json holds
// version-1 links made before eras (the golden scenarios M1–M5, the v1 link fixtures that say
// mainline, and some rfc2017 goldens re-labelled mainline) with a digest of every op's result as
// the pre-era code gave it (notes left out: they name functions, not results). Every op still
// gives that result, except the ops listed under "changed": the audit's fidelity fixes the era
// v6.11 makes (docs/research/eras.md), each with its reason — and those must differ, so the list
// cannot go stale.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openTimeline, recordJson } from '../scenario/index.ts';
import { decodeLink } from './link.ts';

interface Pinned {
  readonly name: string;
  readonly link: string;
  readonly ops: readonly { op: string; status: string; digest: string }[];
  readonly changed: Readonly<Record<string, string>>;
}

const pinned = JSON.parse(
  readFileSync(new URL('./fixtures/v1-mainline-results.json', import.meta.url), 'utf8'),
) as Pinned[];

function digests(link: string): { op: string; status: string; digest: string }[] {
  const d = decodeLink(link);
  if (!d.ok) throw new Error(d.error);
  expect(d.scenario.kernel).toBe('v6.11');
  const o = openTimeline(d.scenario);
  if (!o.ok) throw new Error(o.error);
  return o.timeline.records.map((r) => {
    const j = recordJson(r) as Record<string, unknown>;
    delete j.notes;
    const digest = createHash('sha256').update(JSON.stringify(j)).digest('hex').slice(0, 16);
    return { op: r.op.op, status: r.status, digest };
  });
}

describe('version-1 "mainline" links run under v6.11 and give the results they gave', () => {
  it('the fixtures are version-1 links', () => {
    expect(pinned.length).toBeGreaterThanOrEqual(10);
    for (const p of pinned) expect(p.link.startsWith('#s=1.'), p.name).toBe(true);
  });
  for (const p of pinned)
    it(p.name, () => {
      const now = digests(p.link);
      expect(now.length).toBe(p.ops.length);
      now.forEach((r, i) => {
        const why = p.changed[String(i)];
        expect(r.op, `op ${i}`).toBe(p.ops[i]!.op);
        expect(r.status, `op ${i} status`).toBe(p.ops[i]!.status);
        if (why === undefined) expect(r.digest, `op ${i} (${r.op})`).toBe(p.ops[i]!.digest);
        else expect(r.digest, `op ${i} (${r.op}) should differ: ${why}`).not.toBe(p.ops[i]!.digest);
      });
    });
});
