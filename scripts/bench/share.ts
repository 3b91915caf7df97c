// Share-link sizes (issue 6's budget), in characters of the URL fragment:
//  (a) the default scenario's link (goal < 1,000);
//  (b) 50-op scenarios: our link vs lz-string's compressToEncodedURIComponent over the plain JSON
//      document (the common way tools put state in a URL; goal: ours ≤ 60% of it);
//  (c) encode and decode time for the stress scenario's link.
// Run: node --import tsx scripts/bench/share.ts
import { fileURLToPath } from 'node:url';
import LZString from 'lz-string';
import type { ScenarioDoc } from '../../src/scenario/index.ts';
import { seedStory, stressScenario } from '../../src/scenario/presets/index.ts';
import { decodeLink, encodeLink } from '../../src/share/index.ts';
import { benchScenario } from './scenario.ts';
import type { BenchResult } from './result.ts';

const fifty = (doc: ScenarioDoc): ScenarioDoc => ({ ...doc, ops: doc.ops.slice(0, 50) });

function ratio(name: string, doc: ScenarioDoc): BenchResult {
  const ours = encodeLink(doc).length;
  const lz = LZString.compressToEncodedURIComponent(JSON.stringify(doc)).length;
  return {
    name: `share.link-vs-lz.${name}`,
    value: Math.round((100 * ours) / lz),
    unit: '%',
    note: `${doc.ops.length} ops: ${ours} chars vs lz-string ${lz}`,
  };
}

function time(f: () => unknown, n: number): number {
  f();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  return (performance.now() - t0) / n;
}

export function benchShare(): BenchResult[] {
  const stressLink = encodeLink(stressScenario);
  return [
    {
      name: 'share.link.default',
      value: encodeLink(seedStory).length,
      unit: 'chars',
      note: `the seed story, ${seedStory.ops.length} ops`,
    },
    ratio('50-op-stress', fifty(stressScenario)),
    ratio('50-op-random', benchScenario(50)),
    ratio('50-op-random-2', benchScenario(50, 7)),
    {
      name: 'share.link.stress',
      value: stressLink.length,
      unit: 'chars',
      note: `${stressScenario.ops.length} ops`,
    },
    {
      name: 'share.encode.stress',
      value: Number(time(() => encodeLink(stressScenario), 50).toFixed(2)),
      unit: 'ms',
    },
    {
      name: 'share.decode.stress',
      value: Number(time(() => decodeLink(stressLink), 50).toFixed(2)),
      unit: 'ms',
      note: 'inflate, migrate, expand, validate (not run)',
    },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  for (const r of benchShare())
    console.log(`${r.name}: ${r.value} ${r.unit}${r.note ? `  (${r.note})` : ''}`);
