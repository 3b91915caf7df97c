// The timeline of a scenario: one record per op and worlds at any point (time travel). Worlds are
// checkpointed whenever the ops since the last checkpoint add up to CHECKPOINT_WORK of replay
// work (memory pages and the kernel's big collections are shared copy-on-write, so a checkpoint
// costs what changed), and stateAt(n) replays from the nearest checkpoint — runs are
// deterministic, so the replay is exact. docs/decisions/0003-checkpoint-memory.md.
import { overBudget, RUN_BUDGET_MS } from './cost.ts';
import type { Scenario } from './parse.ts';
import { runOp, type OpRecord } from './run.ts';
import { BootError, cloneWorld, createWorld, type World } from './world.ts';

/**
 * Replay work between checkpoints: 32 ordinary ops. A jump replays half of it on average from
 * the checkpoint before it (~0.1 ms an op in the 10,000-op benchmark scenario): 64 cost a jump
 * ~4 ms of CPU, 32 cost ~3 ms for ~20 MB more kept (84 -> 103 MB with its 64 MB buffer).
 */
export const CHECKPOINT_WORK = 32;

/**
 * What replaying an op costs, in ordinary ops: 1, plus 1 per 64 words it wrote, commands it
 * issued or device accesses it made. A 1 GB unmap (262,144 commands) or a burst of a million
 * accesses is thousands: a checkpoint follows it at once, and no jump ever replays it.
 */
export function replayWork(r: OpRecord): number {
  const t = r.dma?.totals;
  const accesses = t ? t.translated + t.faults : 0;
  return 1 + (r.writes.length + r.commands.length + accesses) / 64;
}

/** A timeline, or why the scenario cannot run at all (its platform does not boot, it costs too much). */
export type Opened = { ok: true; timeline: Timeline } | { ok: false; error: string };

/**
 * Runs a scenario without throwing for a platform the kernel cannot boot on (world.ts
 * BootError): the error is one sentence naming the errno and the cause. `new Timeline` throws
 * that BootError instead. A scenario estimated to cost more than `budgetMs` of work (cost.ts)
 * is refused before anything runs, with a sentence saying what makes it expensive.
 */
export function openTimeline(scenario: Scenario, budgetMs: number = RUN_BUDGET_MS): Opened {
  const over = scenario.cost && overBudget(scenario.cost, budgetMs, 'the scenario');
  if (over) return { ok: false, error: over };
  try {
    return { ok: true, timeline: new Timeline(scenario) };
  } catch (e) {
    if (e instanceof BootError) return { ok: false, error: e.message };
    throw e;
  }
}

export class Timeline {
  readonly scenario: Scenario;
  readonly records: OpRecord[] = [];
  readonly bootNotes: readonly string[];
  private readonly checkpoints = new Map<number, World>();
  /** Where the checkpoints are, ascending. */
  private readonly marks: number[] = [];
  private head: World;

  constructor(scenario: Scenario) {
    this.scenario = scenario;
    const boot = createWorld(scenario);
    this.bootNotes = boot.notes;
    this.head = boot.world;
    this.keep(0);
    let work = 0;
    for (let i = 0; i < scenario.ops.length; i++) {
      const r = runOp(this.head, scenario.ops[i]!, i);
      this.records.push(r);
      work += replayWork(r);
      if (work >= CHECKPOINT_WORK) {
        this.keep(i + 1);
        work = 0;
      }
    }
  }

  private keep(n: number): void {
    this.checkpoints.set(n, cloneWorld(this.head));
    this.marks.push(n);
  }

  get length(): number {
    return this.records.length;
  }

  /** Where the checkpoints are (op counts), ascending: for tests and the benchmarks. */
  checkpointsAt(): readonly number[] {
    return this.marks;
  }

  /** The world after the first `n` ops (0 = after boot). The returned world is the caller's. */
  stateAt(n: number): World {
    const target = Math.max(0, Math.min(n, this.records.length));
    if (target === this.records.length) return cloneWorld(this.head);
    // The last checkpoint at or before the target.
    let lo = 0;
    let hi = this.marks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.marks[mid]! <= target) lo = mid;
      else hi = mid - 1;
    }
    const from = this.marks[lo]!;
    const w = cloneWorld(this.checkpoints.get(from)!);
    for (let i = from; i < target; i++) runOp(w, this.scenario.ops[i]!, i);
    return w;
  }
}
