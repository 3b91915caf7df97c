// Running scenario documents in tests: parse (a bad document fails the test, naming the field),
// then build the Timeline. One place for what every test that runs a scenario needs.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { KernelProfile, OpDoc } from './format.ts';
import { digestParts } from './invariants.ts';
import { parseScenario } from './parse.ts';
import { Timeline } from './timeline.ts';

/** The timeline of a scenario document (an object, or its JSON text). */
export function timelineOf(doc: unknown): Timeline {
  const p = parseScenario(doc);
  if (!p.ok) throw new Error(p.error);
  return new Timeline(p.scenario);
}

/**
 * The timeline of `ops` under a version-1 header, with optional kernel profile and platform: there
 * "mainline" is the model of before the eras, v6.11 (upgrade.ts).
 */
export function opsTimeline(
  ops: readonly OpDoc[],
  header: { kernel?: KernelProfile; platform?: object } = {},
): Timeline {
  return timelineOf({ format: 'sva-explorer/scenario', version: 1, ...header, ops });
}

/** The timeline of `ops` under kernel era `era` (a version-2 header), with an optional platform. */
export function eraTimeline(era: string, ops: readonly OpDoc[], platform?: object): Timeline {
  return timelineOf({
    format: 'sva-explorer/scenario',
    version: 2,
    kernel: era,
    ...(platform ? { platform } : {}),
    ops,
  });
}

/** The timeline of a golden scenario (src/scenario/golden/<file>). */
export function goldenTimeline(file: string): Timeline {
  return timelineOf(readFileSync(new URL(`./golden/${file}`, import.meta.url), 'utf8'));
}

/** The record of op `i`, checked to have failed with `errno` and to have changed nothing. */
export function failedUnchanged(t: Timeline, i: number, errno: string): string {
  const r = t.records[i]!;
  expect(r).toMatchObject({ status: 'error', error: errno });
  expect(digestParts(t.stateAt(i + 1))).toEqual(digestParts(t.stateAt(i)));
  return r.message ?? '';
}
