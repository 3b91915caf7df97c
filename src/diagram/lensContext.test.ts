// Context in the pane's spare room, on the default scenario's last op (op 28: ml touches its page,
// the chain is ml's tree, its frame and ml). What each layout needs is the lens's own geometry;
// what is checked here is the rule: open summaries only while the whole layout fits, more room
// opens as much or more, and a user's click flips a summary whichever way context left it.
import { describe, expect, it } from 'vitest';
import { seedStory } from '../scenario/index.ts';
import { chainOf } from './chain.ts';
import { GROUPS, layoutLens } from './lens.ts';
import { contextGroups, fitsPane, lensLayout, withContext } from './lensContext.ts';
import { EMPTY_VIEW } from './layoutTypes.ts';
import { modelAt, timelineOf } from './testkit.ts';

const t = timelineOf(seedStory);
const OP = 28;
const m = modelAt(t, OP);
const chain = chainOf(m, { kind: 'op' }, { record: t.records[OP], changed: [] });
const at = (avail: number, availH: number) =>
  contextGroups(m, EMPTY_VIEW, chain, { detail: 'cards', avail, availH });

describe('context in the spare room', () => {
  it('a pane that only just holds the chain opens nothing', () => {
    const l = layoutLens(m, EMPTY_VIEW, chain, { detail: 'cards', avail: 985 });
    expect(at(985, l.height + 32).size).toBe(0);
  });

  it('whatever it opens still fits the pane; a larger pane opens as much or more', () => {
    let prev = new Set<string>();
    for (const h of [360, 480, 640, 900, 1400]) {
      const auto = at(1400, h);
      for (const g of prev) expect(auto.has(g), `${g} at height ${h}`).toBe(true);
      const l = layoutLens(m, withContext(EMPTY_VIEW, auto), chain, {
        detail: 'cards',
        avail: 1400,
      });
      expect(fitsPane(l, { avail: 1400, availH: h })).toBe(true);
      prev = new Set(auto);
    }
    // A tall pane has room for the other devices and owners at least.
    expect([...prev]).toEqual(expect.arrayContaining([GROUPS.streams, GROUPS.procs]));
  });

  it("the user's toggles flip the context's choice", () => {
    const auto = new Set([GROUPS.streams]);
    const user = { ...EMPTY_VIEW, open: new Set([GROUPS.streams, GROUPS.procs]) };
    const v = withContext(user, auto);
    expect(v.open.has(GROUPS.streams)).toBe(false);
    expect(v.open.has(GROUPS.procs)).toBe(true);
    expect(withContext(EMPTY_VIEW, auto).open.has(GROUPS.streams)).toBe(true);
  });

  it('lays the settled view out once: the search already did', () => {
    const o = { detail: 'cards' as const, avail: 1400 };
    const c = chainOf(m, { kind: 'op' }, { record: t.records[OP], changed: [] });
    const auto = contextGroups(m, EMPTY_VIEW, c, { ...o, availH: 900 });
    expect(auto.size).toBeGreaterThan(0);
    const shown = withContext(EMPTY_VIEW, auto);
    const l = lensLayout(m, shown, c, o);
    // The search's own layout of that open set (in any order), and what a fresh layout draws.
    expect(lensLayout(m, { ...EMPTY_VIEW, open: new Set([...auto].reverse()) }, c, o)).toBe(l);
    expect(l).toEqual(layoutLens(m, shown, c, o));
    // Another open set, another width or another view is laid out afresh.
    expect(lensLayout(m, EMPTY_VIEW, c, o)).not.toBe(l);
    expect(lensLayout(m, shown, c, { ...o, avail: 700 })).toEqual(
      layoutLens(m, shown, c, { ...o, avail: 700 }),
    );
    const folded = { ...shown, collapsed: new Set(['x']) };
    expect(lensLayout(m, folded, c, o)).not.toBe(l);
  });
});
