// The fuzzer's worker process (main.ts forks it): runs cases target by target, each target for
// its share of every second, and reports them to the parent, which kills and restarts it when a
// case hangs. CPU time (process.cpuUsage) is measured, not wall time: the
// machine is shared, and a busy neighbour must not make a fast case look slow.
import { TARGETS } from './targets.ts';

export interface Start {
  readonly seed: number;
  readonly only: readonly string[];
  /** Next case index per target. */
  readonly next: Record<string, number>;
  /** Cases advance by this much (the number of workers: each runs every stride-th case). */
  readonly stride: number;
  /** Epoch ms at which to stop; with `cases`, stop after that many cases of each target instead. */
  readonly deadline: number;
  readonly cases?: number;
}

/** One finished case. Size and why only for a case worth describing (DESCRIBE_MS, a replay). */
export interface End {
  readonly target: string;
  readonly i: number;
  readonly cpuMs: number;
  /** One of the first cases of its target in a fresh worker: the code is still compiling. */
  readonly cold: boolean;
  readonly size?: string;
  readonly why?: string;
  /** The input (a replay of one case, --case): written to reports/fuzz/ by the parent. */
  readonly input?: string;
  readonly error?: { readonly message: string; readonly stack: string; readonly input: string };
}

// Messages. A case is not announced: the worker says which target's slice it starts (cases of a
// slice run in index order, `stride` apart) and sends finished cases in batches, so when it
// stops answering the parent knows the case it is in — the one after the last it reported of
// that target. Two messages per case cost more than a small case does.
export type Msg =
  | { readonly kind: 'slice'; readonly target: string }
  | { readonly kind: 'ends'; readonly ends: readonly End[] }
  | {
      readonly kind: 'done';
      /** The worker's CPU time: start-up (imports, building the arbitraries) and the loop. */
      readonly startMs: number;
      readonly loopMs: number;
      /** Of the loop: generating inputs. */
      readonly genMs: number;
    };

const send = (m: Msg): Promise<void> =>
  new Promise((resolve) => {
    process.send!(m, () => resolve());
  });

const SLICE_MS = 1000;
/** Finished cases go to the parent at least this often (and the event loop turns). */
const BATCH_MS = 20;
/** A worker's first cases of each target run while V8 still compiles the code under test. */
const COLD_CASES = 5;
/** Cases faster than this are counted, not described (formatting sizes costs more than they do). */
const DESCRIBE_MS = 5;

function inputText(input: unknown, e: unknown): string {
  const fromCase = (e as { fuzzInput?: unknown } | null)?.fuzzInput;
  if (typeof fromCase === 'string') return fromCase;
  if (typeof input === 'string') return input;
  try {
    return JSON.stringify(input, (_, v: unknown) =>
      typeof v === 'bigint' ? `0x${v.toString(16)}` : v,
    );
  } catch {
    return String(input);
  }
}

// CPU time of the imports above (tsx compiling, the arbitraries built at module level).
const startCpu = (({ user, system }) => (user + system) / 1000)(process.cpuUsage());

async function run(s: Start): Promise<void> {
  const loopStart = process.cpuUsage();
  let genMs = 0;
  const targets = TARGETS.filter((t) => s.only.length === 0 || s.only.includes(t.name));
  const next = { ...s.next };
  const done = (): boolean =>
    s.cases !== undefined
      ? targets.every((t) => (next[t.name] ?? 0) >= s.cases!)
      : Date.now() >= s.deadline;
  const ran: Record<string, number> = {};
  let batch: End[] = [];
  let sentAt = Date.now();
  const flush = async (): Promise<void> => {
    if (batch.length) await send({ kind: 'ends', ends: batch });
    batch = [];
    sentAt = Date.now();
  };
  while (!done()) {
    for (const t of targets) {
      await flush();
      await send({ kind: 'slice', target: t.name });
      const sliceEnd = Date.now() + t.share * SLICE_MS;
      while (Date.now() < sliceEnd && !done()) {
        const i = next[t.name] ?? 0;
        if (s.cases !== undefined && i >= s.cases) break;
        next[t.name] = i + s.stride;
        if (Date.now() - sentAt >= BATCH_MS) await flush();
        let input: unknown;
        const g0 = process.cpuUsage();
        try {
          input = t.input(s.seed, i);
        } catch (e) {
          // A bug of the fuzzer's own generators, not of the code under test: said, counted.
          console.error(`fuzz: generator of ${t.name} failed on case ${i}: ${String(e)}`);
          batch.push({ target: t.name, i, cpuMs: 0, cold: false, size: '', why: 'no input' });
          continue;
        }
        const c0 = process.cpuUsage();
        genMs += (c0.user - g0.user + c0.system - g0.system) / 1000;
        const cold = (ran[t.name] = (ran[t.name] ?? 0) + 1) <= COLD_CASES;
        try {
          const describe = t.run(input, i);
          const c = process.cpuUsage(c0);
          const cpuMs = (c.user + c.system) / 1000;
          const replay = s.cases !== undefined;
          if (cpuMs < DESCRIBE_MS && !replay) batch.push({ target: t.name, i, cpuMs, cold });
          else {
            const info = describe();
            batch.push({
              target: t.name,
              i,
              cpuMs,
              cold,
              size: info.size,
              why: info.why,
              ...(replay ? { input: info.input } : {}),
            });
          }
        } catch (e) {
          const c = process.cpuUsage(c0);
          const err = e instanceof Error ? e : new Error(String(e));
          batch.push({
            target: t.name,
            i,
            cpuMs: (c.user + c.system) / 1000,
            cold,
            error: { message: err.message, stack: err.stack ?? '', input: inputText(input, e) },
          });
        }
      }
    }
  }
  await flush();
  const loop = process.cpuUsage(loopStart);
  await send({ kind: 'done', startMs: startCpu, loopMs: (loop.user + loop.system) / 1000, genMs });
}

process.once('message', (s: Start) => {
  void run(s).then(() => process.exit(0));
});
