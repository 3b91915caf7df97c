// How much work a scenario from a link may ask for. Opening a link runs its scenario on the main
// thread, so a short link must not be able to freeze the page: a 30 KB link of 100,000 touches
// takes seconds, one dma op with a large count or one pin over a large range minutes. A link is
// refused when its estimated cost (scenario/cost.ts) is over a second of work — the same price
// list every other way in uses, with a budget ten times smaller. The ops are also counted
// before they are validated, so a link of 100,000 ops is refused without parsing them.
// Larger scenarios still travel as JSON files.
import { docCost, LINK_BUDGET_MS, overBudget, secs, type ScenarioDoc } from '../scenario/index.ts';

export const MAX_LINK_OPS = 5_000;

const n = (v: number | bigint): string => v.toLocaleString('en');

export function tooManyOps(count: number, who: string): string | null {
  return count > MAX_LINK_OPS
    ? `${who} has ${n(count)} ops; links may have at most ${n(MAX_LINK_OPS)}`
    : null;
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
