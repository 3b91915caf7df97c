// The timeline of a scenario: one record per op and worlds at any point (time travel). Worlds are
// checkpointed every CHECKPOINT_EVERY ops (memory pages are shared copy-on-write), and stateAt(n)
// replays from the nearest checkpoint — runs are deterministic, so the replay is exact.
import { overBudget, RUN_BUDGET_MS } from './cost.ts';
import type { Scenario } from './parse.ts';
import { runOp, type OpRecord } from './run.ts';
import { BootError, cloneWorld, createWorld, type World } from './world.ts';

export const CHECKPOINT_EVERY = 64;

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
  private head: World;

  constructor(scenario: Scenario) {
    this.scenario = scenario;
    const boot = createWorld(scenario);
    this.bootNotes = boot.notes;
    this.head = boot.world;
    this.checkpoints.set(0, cloneWorld(boot.world));
    for (let i = 0; i < scenario.ops.length; i++) {
      this.records.push(runOp(this.head, scenario.ops[i]!, i));
      if ((i + 1) % CHECKPOINT_EVERY === 0) this.checkpoints.set(i + 1, cloneWorld(this.head));
    }
  }

  get length(): number {
    return this.records.length;
  }

  /** The world after the first `n` ops (0 = after boot). The returned world is the caller's. */
  stateAt(n: number): World {
    const target = Math.max(0, Math.min(n, this.records.length));
    if (target === this.records.length) return cloneWorld(this.head);
    let from = target - (target % CHECKPOINT_EVERY);
    while (!this.checkpoints.has(from)) from -= CHECKPOINT_EVERY;
    const w = cloneWorld(this.checkpoints.get(from)!);
    for (let i = from; i < target; i++) runOp(w, this.scenario.ops[i]!, i);
    return w;
  }
}
