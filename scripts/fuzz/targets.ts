// What `npm run fuzz` runs: one entry per kind of input, each with its generator (fast-check),
// what it feeds the input to (the code the page and the CLI run), and how it describes a case
// (its size, and why it costs what it does). A case is generated from (seed, target, index)
// alone, so any case — a failure, a hang — is reproduced with `--only TARGET --case INDEX`.
//
// Cost: a case must be cheap for a 300 s run to reach 100,000 cases on a shared two-core machine.
// Every case runs its input through the code under test (decode, parse, run every op); what the
// page draws from the result (the diagram model, its layout and the op's steps: a few ms per
// moment, the same code for every scenario) is built for one case in DRAW_EVERY, chosen by the
// case's index so a replay (--case N) draws exactly when the run did.
import fc from 'fast-check';
import { runCommand } from '../../src/cli/run.ts';
import { dmesgJson, parseDmesg, parseMaps } from '../../src/logs/index.ts';
import { installOnDemand } from '../../src/cli/install.ts';
import { openTimeline, parseScenario, type ScenarioDoc } from '../../src/scenario/index.ts';
import { decodeLink } from '../../src/share/index.ts';
import { hardwareDocArb } from './hardware.ts';
import { kernelCaseArb, runKernelCase } from './kernel.ts';
import { drawnAt } from './view.ts';
import { documentArb, linkArb, logArb, mapsArb } from './text.ts';

// Documents and links are read as the CLI reads them: schema and codec installed up front.
installOnDemand();

/** One case in this many also builds what the page draws (diagram, layout, steps). */
export const DRAW_EVERY = 8;
const drawsCase = (i: number): boolean => i % DRAW_EVERY === 0;

/** What a case was, for the report: its size, why it costs, and the input to replay it. */
export interface CaseInfo {
  readonly size: string;
  readonly why: string;
  /** The input as text (a scenario document, a link, a log …), for the failure file. */
  readonly input: string;
  readonly ext: 'json' | 'txt';
}

export interface Target<T> {
  readonly name: string;
  /** Share of the time budget. */
  readonly share: number;
  /** A case over this many CPU milliseconds is reported as too slow (links and logs: 1 s). */
  readonly limitMs?: number;
  readonly arb: fc.Arbitrary<T>;
  /**
   * Feeds the input to the code under test; throws only if that code throws. `draw`: build what
   * the page draws from the result too (one case in DRAW_EVERY). Returns how to describe the
   * case, called only for the cases worth describing (slow ones, a replay).
   */
  readonly run: (input: T, draw: boolean) => () => CaseInfo;
}

const n = (v: number): string => v.toLocaleString('en');
const chars = (s: string): string => `${n(s.length)} characters`;

/** What a scenario document asks for, in words. */
function docWhy(d: ScenarioDoc): string {
  const by = new Map<string, number>();
  let accesses = 0;
  for (const o of d.ops) {
    by.set(o.op, (by.get(o.op) ?? 0) + 1);
    if (o.op === 'dma') accesses += o.count ?? 1;
  }
  const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 3);
  return `${top.map(([k, v]) => `${v} ${k}`).join(', ')}${accesses ? `; ${n(accesses)} device accesses` : ''}`;
}

/** Opens a scenario as the page does: run it, then the moment its cursor points at. */
function openAsPage(d: ReturnType<typeof decodeLink>, draw: boolean): void {
  if (!d.ok) return;
  const o = openTimeline(d.scenario);
  if (draw && o.ok && d.scenario.cursor) drawnAt(o.timeline, d.scenario.cursor.op);
}

const kernel: Target<Parameters<typeof runKernelCase>[0]> = {
  name: 'kernel',
  share: 0.3,
  arb: kernelCaseArb,
  run: (c, draw) => {
    const r = runKernelCase(c, draw);
    return () => ({
      size: `${n(r.doc.ops.length)} ops`,
      why: `${r.writes} write64 into live structures, ${n(r.accesses)} device accesses; slowest op ${r.slowest.op} (${r.slowest.ms.toFixed(0)} ms)`,
      input: JSON.stringify(r.doc),
      ext: 'json',
    });
  },
};

const hardware: Target<ScenarioDoc> = {
  name: 'hardware',
  share: 0.2,
  arb: hardwareDocArb,
  run: (d, draw) => {
    const p = parseScenario(d);
    if (!p.ok) throw new Error(`fuzz generator: a hardware document does not parse: ${p.error}`);
    const o = openTimeline(p.scenario);
    // The page at the last op and at the last device access: diagram, layout, the op's steps.
    if (draw && o.ok) {
      drawnAt(o.timeline, o.timeline.records.length - 1);
      const dma = d.ops.map((x) => x.op).lastIndexOf('dma');
      if (dma >= 0 && dma < o.timeline.records.length) drawnAt(o.timeline, dma);
    }
    return () => ({
      size: `${n(d.ops.length)} ops`,
      why: docWhy(d),
      input: JSON.stringify(d),
      ext: 'json',
    });
  },
};

const link: Target<string> = {
  name: 'link',
  share: 0.15,
  limitMs: 1000,
  arb: linkArb,
  run: (s, draw) => {
    const d = decodeLink(s);
    openAsPage(d, draw);
    return () => ({
      size: chars(s),
      why: d.ok ? docWhy(d.doc) : `refused: ${d.error.slice(0, 80)}`,
      input: s,
      ext: 'txt',
    });
  },
};

const document: Target<string> = {
  name: 'document',
  share: 0.05,
  arb: documentArb,
  run: (s) => {
    const out = runCommand(s, true);
    return () => ({
      size: chars(s),
      why:
        out.code === 0
          ? `runs ${n(s.split('"op"').length - 1)} ops`
          : `refused: ${out.stderr.slice(0, 80).trim()}`,
      input: s,
      ext: 'json',
    });
  },
};

const log: Target<string> = {
  name: 'log',
  share: 0.15,
  limitMs: 1000,
  arb: logArb,
  run: (s) => {
    const r = parseDmesg(s);
    if (r.ok) dmesgJson(r);
    return () => ({
      size: chars(s),
      why: `${n(s.split('\n').length)} lines`,
      input: s,
      ext: 'txt',
    });
  },
};

const maps: Target<string> = {
  name: 'maps',
  share: 0.15,
  limitMs: 1000,
  arb: mapsArb,
  run: (s) => {
    parseMaps(s);
    return () => ({
      size: chars(s),
      why: `${n(s.split('\n').length)} lines`,
      input: s,
      ext: 'txt',
    });
  },
};

/** A target with its input type hidden: case `i` under `seed`, and running it. */
export interface FuzzTarget {
  readonly name: string;
  readonly share: number;
  readonly limitMs: number | undefined;
  /** The input of case `i` of this target under `seed` (the same on every run). */
  readonly input: (seed: number, i: number) => unknown;
  /** Runs case `i` (its index decides whether the case also draws: DRAW_EVERY). */
  readonly run: (input: unknown, i: number) => () => CaseInfo;
}

function hide<T>(t: Target<T>, k: number): FuzzTarget {
  return {
    name: t.name,
    share: t.share,
    limitMs: t.limitMs,
    input: (seed, i) => {
      // One seed per case, mixed from the three numbers, for fast-check's generator.
      const caseSeed =
        Math.imul(seed, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35);
      return fc.sample(t.arb, { seed: caseSeed | 0, numRuns: 1 })[0];
    },
    run: (input, i) => t.run(input as T, drawsCase(i)),
  };
}

export const TARGETS: readonly FuzzTarget[] = [
  hide(kernel, 0),
  hide(hardware, 1),
  hide(link, 2),
  hide(document, 3),
  hide(log, 4),
  hide(maps, 5),
];
