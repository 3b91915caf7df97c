// What running a scenario costs, estimated from the document before anything runs, so that no way
// in — a link, a JSON file, the CLI, saved work, the page's own edits — can freeze the page or run
// for minutes: a dma with a count of 10 million, a pin of millions of pages, thousands of
// stalling accesses. Each op's definition says what it asks for (ops/, `work`); this prices it in
// milliseconds of CPU time, the worst case measured in Node on the development machine (two
// shared cores; scripts/fuzz reports what runs really cost):
//   an op ~0.15 ms (its checks, log lines, and its share of the Timeline's checkpoints);
//   a device access through the kernel up to ~0.3 ms (a stall answered, retried, answered again);
//   a device access to the bare SMMU ~0.01 ms (faults are only recorded);
//   a 4 KB page of a range op ~0.03 ms (fault it in, map it, clear it, invalidate it: a table-
//   sized unmap without range invalidation is one TLBI command per page).
import { opWork, type OpDoc } from './ops/index.ts';

export const COST_MS = { op: 0.15, access: 0.3, bareAccess: 0.01, page: 0.03 } as const;

/** A link opens within about a second; anything else (files, the CLI, the page) within ten. */
export const LINK_BUDGET_MS = 1_000;
export const RUN_BUDGET_MS = 10_000;

export interface Cost {
  /** Estimated milliseconds of CPU time. */
  readonly ms: number;
  readonly ops: number;
  /** Device accesses through the kernel, and to the bare SMMU. */
  readonly accesses: number;
  readonly bareAccesses: number;
  /** 4 KB pages of address range walked by range ops. */
  readonly pages: bigint;
}

export function docCost(ops: readonly OpDoc[]): Cost {
  let accesses = 0;
  let bareAccesses = 0;
  let pages = 0n;
  for (const o of ops) {
    const w = opWork(o);
    if (w.bare) bareAccesses += w.accesses ?? 0;
    else accesses += w.accesses ?? 0;
    pages += w.pages ?? 0n;
  }
  const ms =
    ops.length * COST_MS.op +
    accesses * COST_MS.access +
    bareAccesses * COST_MS.bareAccess +
    Number(pages) * COST_MS.page;
  return { ms, ops: ops.length, accesses, bareAccesses, pages };
}

const n = (v: number | bigint): string => v.toLocaleString('en');
export const secs = (ms: number): string =>
  ms >= 100_000 ? `${n(Math.round(ms / 1000))} s` : `${(ms / 1000).toFixed(1)} s`;

/**
 * Why `who` ("the link", "the scenario") costs more than `budget` ms to run, naming what makes it
 * expensive and by how much; null when it fits.
 */
export function overBudget(
  c: Cost,
  budget: number,
  who: string,
  limit = `at most ${secs(budget)} of work is run`,
): string | null {
  if (c.ms <= budget) return null;
  const parts: [number, string][] = [
    [c.ops * COST_MS.op, `${n(c.ops)} ops`],
    [c.accesses * COST_MS.access, `${n(c.accesses)} device accesses (dma counts)`],
    [c.bareAccesses * COST_MS.bareAccess, `${n(c.bareAccesses)} bare-SMMU accesses (dma counts)`],
    [Number(c.pages) * COST_MS.page, `${n(c.pages)} pages of 4 KB in address ranges`],
  ];
  const [, most] = parts.reduce((a, b) => (b[0] > a[0] ? b : a));
  return `${who} would take about ${secs(c.ms)} to run, mostly for its ${most}; ${limit}`;
}
