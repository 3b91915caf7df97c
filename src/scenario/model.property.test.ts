// Model-based property test of the kernel + SMMU: thousands of random op sequences over a small
// universe (model.testkit.ts: devices, domains, processes, platform knobs, a small-RAM variant;
// model.ops.testkit.ts: the weighted ops — shared and private binds, domain and private maps,
// CPU touches, pin/unpin/reclaim, munmap/mprotect, device accesses and bursts, exit, unbind,
// attach moving devices between DMA, identity and blocked domains), with the invariants of
// invariants.ts (and model.checks.testkit.ts) checked after EVERY op:
//   (a) every device's STE matches its domain; every valid CD reachable from an STE (walked in
//       memory) has the ASID and TTB0 of its owner in the kernel state, and every live context
//       has its CD; cached STEs/CDs/L1 descriptors equal memory (a CFGI after every change);
//   (b) a device access that translated reached the PA the owner's tables give (the CPU walk of
//       the bound mm's pgd for a shared PASID, the io-pgtable otherwise), and an access those
//       tables allow did translate; for a burst, the first access so, and the totals between
//       what the tables allowed before it and what they map after it;
//   (c) every TLB entry agrees with a fresh walk through each live CD with its ASID and through
//       the address space the kernel gave that ASID, and no entry outlives its ASID's owner;
//       every ATC entry equals a fresh translation of (sid, ssid, page) — kernel ops end their
//       invalidations with CMD_SYNC, so nothing may be stale between ops;
//   (d) an op that returned an error changed nothing: memory by the op's write journal, SMMU and
//       kernel state by worldDiff, and the full digest (memory scan included) at the first
//       failing op of every fourth sequence. Small-RAM variants make ops fail half-way with
//       -ENOMEM, which the runner must undo (atomic.ts). The one change a failed op may make:
//       a driver whose late unbind gets -ESRCH forgets the PASID it held (kernel/index.ts);
//   (e) once every bond is unbound, every process exited and every domain mapping unmapped, no
//       PASID, iommu_process, private context or device bond remains and only permanent frames
//       (computed from the state and the tables in memory) are allocated.
// Kernel bookkeeping is checked too: present pages and leaves are live frames their PTEs map,
// and no op's allocations exceed the bound the runner trusts to skip its savepoint (bound.ts).
// FC_SEED=<n> picks the seed, FC_RUNS=<n> the number of sequences, FC_PATH=<path> replays one,
// FC_STATS=1 prints what the ops did (coverage); every third variant runs an upstream kernel era
// (each in turn: model.testkit.ts variantEra), FC_PROFILE=<era id> runs all of them under one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex } from '../engine/index.ts';
import { allocBound, BOUND_SLACK, cloneKernel, ERA_IDS } from '../kernel/index.ts';
import type { OpDoc, ScenarioDoc } from './format.ts';
import {
  checkFrames,
  checkQuiescent,
  checkWorld,
  digestDiff,
  digestParts,
  expectDma,
  scanCds,
  worldDiff,
  type Range,
  type ReachableCd,
  type Violation,
} from './invariants.ts';
import {
  accesses,
  checkDma,
  CLEANUP,
  expectedAfterError,
  staleBond,
} from './model.checks.testkit.ts';
import { opArb, resolve, type GenOp } from './model.ops.testkit.ts';
import { adapt, nextFiller, PREFIX, toDoc, VARIANTS, type Variant } from './model.testkit.ts';
import { isKernelOp, type Op } from './index.ts';
import { parseScenario } from './parse.ts';
import { runOp, type OpRecord } from './run.ts';
import { cloneWorld, createWorld, type World } from './world.ts';

const SEED = process.env['FC_SEED'] !== undefined ? Number(process.env['FC_SEED']) : 20_171_005;
const RUNS = process.env['FC_RUNS'] !== undefined ? Number(process.env['FC_RUNS']) : 2500;
const PATH = process.env['FC_PATH'];

class InvariantError extends Error {}

/** Outcomes per op (FC_STATS=1 prints them: is the generator reaching the interesting paths?). */
const STATS = new Map<string, number>();
const count = (key: string): void => void STATS.set(key, (STATS.get(key) ?? 0) + 1);

function fail(
  doc: ScenarioDoc,
  v: Variant,
  index: number,
  op: Op,
  why: readonly Violation[] | string,
): never {
  const lines = typeof why === 'string' ? [why] : why.map((x) => `[${x.invariant}] ${x.message}`);
  throw new InvariantError(
    [
      `after op ${index} (${op.op}${index >= doc.ops.length ? ', cleanup' : ''}):`,
      ...lines.slice(0, 8).map((l) => `  ${l}`),
      `state tweaks: kernel.driver.asids.cursor=${v.asidStart} after boot, kernel.idr.cursor=${v.idrStart} after the prefix and fillers`,
      `scenario: ${JSON.stringify({ ...doc, ops: doc.ops.slice(0, index + 1) })}`,
    ].join('\n'),
  );
}

type Report = (why: readonly Violation[] | string) => never;

/** What one sequence carries from op to op. */
interface Run {
  readonly w: World;
  /** The CD scan of the last check and the memory it read (reused while no op writes there). */
  cds: { cds: ReachableCd[]; ranges: Range[]; devices: number } | undefined;
  /** Compare full digests (memory scan included) at the next failing op. */
  fullDigest: boolean;
}

function step(run: Run, op: Op, index: number, report: Report): OpRecord {
  const w = run.w;
  // The state the op must leave untouched if it fails: SMMU and kernel, and memory (a
  // copy-on-write snapshot) until the first failure, whose full digests are compared. After
  // that, the write journal stands for memory: it lists every word an op changes.
  const mem = run.fullDigest ? w.mem.clone() : w.mem;
  const before: World = { mem, smmu: w.smmu.clone(mem), kernel: cloneKernel(w.kernel!) };
  const pre =
    op.op === 'dma' && op.dev !== undefined && op.count > 1
      ? accesses(op).map((a) => expectDma(w, op.dev, op.pasid, a, op.access))
      : [];
  const bound = isKernelOp(op) ? allocBound(w.kernel!, w.smmu.platform, op) : 0n;
  const next = w.kernel!.frames.next;
  const rec = runOp(w, op, index);
  const out: Violation[] = [];
  const outcome = rec.status === 'error' ? rec.error! : (rec.dma?.outcome ?? 'ok');
  count(`${op.op} ${outcome}`);
  if (rec.notes.some((n) => n.startsWith('undone:'))) count('undone half-way');
  // (d) An op that failed changed nothing.
  if (rec.status === 'error') {
    expectedAfterError(before, op, rec);
    const diff = worldDiff(before, w, { memory: false });
    if (rec.writes.length > 0) diff.push('memory');
    if (run.fullDigest) {
      run.fullDigest = false;
      for (const part of digestDiff(digestParts(before), digestParts(w)))
        if (!diff.includes(part)) diff.push(part);
    }
    if (diff.length)
      out.push({
        invariant: 'unchanged',
        message: `${rec.error} ${rec.message ?? ''} but changed: ${diff.join(', ')}${rec.writes.length ? ` (${rec.writes.length} word(s) written, first at ${hex(rec.writes[0]!.pa)})` : ''}`,
      });
  } else if (op.op !== 'dma' && w.kernel!.frames.next - next > 2n * bound + BOUND_SLACK) {
    // The runner skips the savepoint of an op whose bound fits in what is left (bound.ts).
    out.push({
      invariant: 'state',
      message: `${op.op} took ${hex(w.kernel!.frames.next - next)} bytes of never-used frames; its bound is ${hex(bound)}`,
    });
  }
  if (op.op === 'dma') out.push(...checkDma(w, op, rec, pre));
  // (a), (c) and the kernel's bookkeeping. The CD tables are rescanned only when the op wrote an
  // STE or CD-table word (the journal lists every word written) or a device appeared.
  const devices = w.kernel!.devices.size;
  const c = run.cds;
  const stale =
    !c ||
    c.devices !== devices ||
    rec.writes.some((wr) => c.ranges.some(([lo, hi]) => wr.pa >= lo && wr.pa < hi));
  if (stale) run.cds = { ...scanCds(w), devices };
  out.push(...checkWorld(w, { cds: run.cds!.cds, walks: index % 5 === 0 }));
  if (out.length) report(out);
  return rec;
}

let sequences = 0;

/** The world after boot, the state tweaks, the prefix and the fillers, once per variant. */
const prefixRuns = new Map<string, { run: Run; ops: OpDoc[] }>();

/**
 * The prefix run of variant `v` (cloned) and the ops it ran: the prefix, then for a small RAM
 * the filler maps, computed against the world as it goes (model.testkit.ts nextFiller).
 */
function prefixRun(v: Variant): { run: Run; ops: OpDoc[] } {
  const key = JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  let p = prefixRuns.get(key);
  if (!p) {
    const doc = toDoc(v, []);
    const parsed = parseScenario(doc);
    if (!parsed.ok) throw new Error(parsed.error);
    const w = createWorld(parsed.scenario).world;
    w.kernel!.driver.asids.cursor = v.asidStart;
    const run: Run = { w, cds: undefined, fullDigest: true };
    const exec = (o: OpDoc | Op, i: number): boolean => {
      let op = o as Op;
      if (i >= parsed.scenario.ops.length) {
        const one = parseScenario({
          ...doc,
          ops: [...doc.ops.filter((d) => d.op === 'domain'), o as OpDoc],
        });
        if (!one.ok) throw new Error(one.error);
        op = one.scenario.ops.at(-1)!;
      }
      const rec = step(run, op, i, (why) => fail(doc, v, i, op, why));
      if (rec.status === 'ok') return true;
      if (i < parsed.scenario.ops.length || rec.error !== '-ENOMEM')
        fail(doc, v, i, op, `prefix op failed: ${rec.error}`);
      return false; // the last filler found no room for its tables: memory is full
    };
    parsed.scenario.ops.forEach(exec);
    for (let f = nextFiller(v, w); f; f = nextFiller(v, w)) {
      doc.ops.push(f);
      if (!exec(f, doc.ops.length - 1)) break;
    }
    w.kernel!.idr.cursor = v.idrStart;
    p = { run, ops: doc.ops };
    prefixRuns.set(key, p);
  }
  // The CD scan stays valid: the clone's memory is the same. Every fourth sequence compares
  // full digests at its first failing op.
  const run = { w: cloneWorld(p.run.w), cds: p.run.cds, fullDigest: sequences++ % 4 === 0 };
  return { run, ops: p.ops };
}

function runSequence(v: Variant, gen: readonly GenOp[]): void {
  const { run, ops: prefix } = prefixRun(v);
  const doc = toDoc(v, []);
  doc.ops.splice(0, doc.ops.length, ...prefix);
  const w = run.w;
  // The static ops are parsed in one go; the resolved ones as they come.
  const isStatic = (g: GenOp): g is OpDoc => !g.op.endsWith('-gen');
  const statics = gen.filter(isStatic).map((g) => adapt(v, g));
  // Parsing checks map alignment against the granules the domain ops declare: keep them.
  const domains = PREFIX(v).filter((o) => o.op === 'domain');
  const parsedStatics = parseScenario({ ...doc, ops: [...domains, ...statics] });
  if (!parsedStatics.ok) throw new Error(`generator: ${parsedStatics.error}`);
  const staticOps = parsedStatics.scenario.ops.slice(domains.length);
  let index = prefix.length;
  const at =
    (op: Op): Report =>
    (why) =>
      fail(doc, v, index, op, why);
  for (const g of gen) {
    const o = resolve(v, w, g);
    doc.ops.push(o);
    let op: Op;
    if (isStatic(g)) op = staticOps.shift()!;
    else {
      const context = o.op === 'map' || o.op === 'unmap' ? domains : [];
      const parsed = parseScenario({ ...doc, ops: [...context, o] });
      if (!parsed.ok) throw new Error(`generator produced an invalid op: ${parsed.error}`);
      op = parsed.scenario.ops[context.length]!;
    }
    const rec = step(run, op, index, at(op));
    if (op.op === 'attach' && rec.status === 'ok') count('generated attach ok');
    index++;
  }
  const frames = checkFrames(w);
  if (frames.length) fail(doc, v, index - 1, { op: 'exit', proc: '-' }, frames);
  for (const phase of CLEANUP)
    for (const op of phase(w)) {
      // Only a driver whose process exited may fail its unbind, and only with -ESRCH (RFCv2
      // freed the PASID at exit, linux-sva §1.7); nothing else may fail.
      const late = op.op === 'unbind' && staleBond(w, op.dev, op.proc);
      const rec = step(run, op, index, at(op));
      if (rec.status === 'error' && !(late && rec.error === '-ESRCH'))
        at(op)(`cleanup ${op.op} failed: ${rec.error} ${rec.message}`);
      index++;
    }
  const left = checkQuiescent(w);
  if (left.length) fail(doc, v, index - 1, { op: 'exit', proc: '-' }, left);
}

describe('model: random kernel + SMMU op sequences keep the invariants', () => {
  it(`${RUNS} sequences of 20–40 ops (seed ${SEED})`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VARIANTS),
        fc.array(opArb, { minLength: 1, maxLength: 21 }),
        (v, ops) => {
          count(`era ${v.profile}`);
          runSequence(v, ops);
        },
      ),
      { seed: SEED, numRuns: RUNS, ...(PATH ? { path: PATH } : {}), endOnFailure: false },
    );
    if (process.env['FC_STATS'])
      console.log(
        [...STATS]
          .sort()
          .map(([k, n]) => `${k}: ${n}`)
          .join('\n'),
      );
    // The paths the generators exist for are reached.
    expect(STATS.get('dma translated') ?? 0).toBeGreaterThan(0);
    if (RUNS >= 500 && !PATH) {
      expect(STATS.get('generated attach ok') ?? 0).toBeGreaterThan(0);
      // Small RAM: ops ran out of memory after changing things, and were undone.
      expect(STATS.get('undone half-way') ?? 0).toBeGreaterThan(0);
      // Every kernel era ran sequences of its own (or the one FC_PROFILE forces).
      const eras = process.env['FC_PROFILE'] ? [process.env['FC_PROFILE']] : ERA_IDS;
      for (const e of eras) expect(STATS.get(`era ${e}`) ?? 0, e).toBeGreaterThan(0);
    }
  }, 300_000);
});
