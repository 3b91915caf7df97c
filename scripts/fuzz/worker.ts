// The fuzzer's worker process (main.ts forks it): runs cases target by target, each target for
// its share of every second, and reports each case's start and end to the parent, which kills
// and restarts it when a case hangs. CPU time (process.cpuUsage) is measured, not wall time: the
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

export type Msg =
  | { readonly kind: 'begin'; readonly target: string; readonly i: number }
  | {
      readonly kind: 'end';
      readonly target: string;
      readonly i: number;
      readonly cpuMs: number;
      readonly wallMs: number;
      /** One of the first cases of its target in a fresh worker: the code is still compiling. */
      readonly cold: boolean;
      readonly size: string;
      readonly why: string;
      /** The input (a replay of one case, --case): written to reports/fuzz/ by the parent. */
      readonly input?: string;
      readonly error?: { readonly message: string; readonly stack: string; readonly input: string };
    }
  | { readonly kind: 'done' };

// Messages are not awaited one by one (two event-loop turns per case cost more than a small case
// does): an IPC write goes out at once when the channel is idle, and the loop yields every
// YIELD_MS so that anything queued is flushed while the parent's hang watch (10 s) is far away.
const send = (m: Msg): void => {
  process.send!(m);
};
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const SLICE_MS = 1000;
const YIELD_MS = 20;
/** A worker's first cases of each target run while V8 still compiles the code under test. */
const COLD_CASES = 5;

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

async function run(s: Start): Promise<void> {
  const targets = TARGETS.filter((t) => s.only.length === 0 || s.only.includes(t.name));
  const next = { ...s.next };
  const done = (): boolean =>
    s.cases !== undefined
      ? targets.every((t) => (next[t.name] ?? 0) >= s.cases!)
      : Date.now() >= s.deadline;
  let yieldAt = Date.now() + YIELD_MS;
  const ran: Record<string, number> = {};
  while (!done()) {
    for (const t of targets) {
      const sliceEnd = Date.now() + t.share * SLICE_MS;
      while (Date.now() < sliceEnd && !done()) {
        const i = next[t.name] ?? 0;
        if (s.cases !== undefined && i >= s.cases) break;
        next[t.name] = i + s.stride;
        if (Date.now() >= yieldAt) {
          await flush();
          yieldAt = Date.now() + YIELD_MS;
        }
        send({ kind: 'begin', target: t.name, i });
        let input: unknown;
        try {
          input = t.input(s.seed, i);
        } catch (e) {
          // A bug of the fuzzer's own generators, not of the code under test: said, skipped.
          console.error(`fuzz: generator of ${t.name} failed on case ${i}: ${String(e)}`);
          continue;
        }
        const cold = (ran[t.name] = (ran[t.name] ?? 0) + 1) <= COLD_CASES;
        const c0 = process.cpuUsage();
        const w0 = performance.now();
        let msg: Msg;
        try {
          const info = t.run(input, i);
          const c = process.cpuUsage(c0);
          msg = {
            kind: 'end',
            target: t.name,
            i,
            cpuMs: (c.user + c.system) / 1000,
            wallMs: performance.now() - w0,
            cold,
            size: info.size,
            why: info.why,
            ...(s.cases !== undefined ? { input: info.input } : {}),
          };
        } catch (e) {
          const c = process.cpuUsage(c0);
          const err = e instanceof Error ? e : new Error(String(e));
          msg = {
            kind: 'end',
            target: t.name,
            i,
            cpuMs: (c.user + c.system) / 1000,
            wallMs: performance.now() - w0,
            cold,
            size: '',
            why: '',
            error: { message: err.message, stack: err.stack ?? '', input: inputText(input, e) },
          };
        }
        send(msg);
      }
    }
  }
  await new Promise<void>((resolve) => process.send!({ kind: 'done' }, () => resolve()));
}

process.once('message', (s: Start) => {
  void run(s).then(() => process.exit(0));
});
