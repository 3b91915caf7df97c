// How much work a scenario from a link may ask for. Opening a link runs its scenario on the main
// thread, so a short link must not be able to freeze the page: a 30 KB link of 100,000 touches
// takes seconds, one dma op with a large count or one pin over a large range minutes. A link is
// refused when its estimated cost (scenario/cost.ts) is over a second of work — the same price
// list every other way in uses, with a budget ten times smaller. The ops are also counted
// before they are validated, so a link of 100,000 ops is refused without parsing them.
// Larger scenarios still travel as JSON files.
import {
  docCost,
  LINK_BUDGET_MS,
  MAX_NOTES,
  MAX_STOPS,
  MAX_TOURS,
  overBudget,
  secs,
  type ScenarioDoc,
} from '../scenario/index.ts';

export const MAX_LINK_OPS = 5_000;

const n = (v: number | bigint): string => v.toLocaleString('en');

export function tooManyOps(count: number, who: string): string | null {
  return count > MAX_LINK_OPS
    ? `${who} has ${n(count)} ops; links may have at most ${n(MAX_LINK_OPS)}`
    : null;
}

/**
 * A link's notes and tours, counted before validation like its ops: the schema's limits would
 * refuse a million notes too, but only after building a million objects.
 */
export function tooManyNotes(c: { n?: unknown; r?: unknown }, who: string): string | null {
  const len = (v: unknown): number => (Array.isArray(v) ? v.length : 0);
  if (len(c.n) > MAX_NOTES) return `${who} has ${n(len(c.n))} notes; at most ${MAX_NOTES}`;
  if (len(c.r) > MAX_TOURS) return `${who} has ${n(len(c.r))} tours; at most ${MAX_TOURS}`;
  for (const t of Array.isArray(c.r) ? (c.r as unknown[]) : [])
    if (Array.isArray(t) && len(t[1]) > MAX_STOPS)
      return `${who} has a tour of ${n(len(t[1]))} stops; at most ${MAX_STOPS}`;
  return null;
}

/** Why a link for this document would be refused (`who` names it in the sentence), or null. */
export function linkWork(doc: ScenarioDoc, who: 'the link' | 'the scenario'): string | null {
  const many = tooManyOps(doc.ops.length, who);
  if (many) return many;
  return overBudget(
    docCost(doc.ops),
    LINK_BUDGET_MS,
    who,
    `links may ask for at most ${secs(LINK_BUDGET_MS)} of work (export it as a JSON file instead)`,
  );
}
