// The lens on the default scenario (the seed story). Op 26: the accelerator (SID 0x100) reads
// VA 0x7f00_0000_0000 under PASID 3, a 4-level stage-1 walk through ml's page tables (4 KB
// granule, 48-bit VA). The walk's indexes are worked out here from the VA as the spec's
// arithmetic gives them (level L indexes VA[47−9L : 39−9L]): 0x7f00_0000_0000 >> 39 = 0xfe = 254
// at L0, and 0 below — not read from the program's output.
import { describe, expect, it } from 'vitest';
import { seedStory } from '../scenario/index.ts';
import { chainOf } from './chain.ts';
import { GROUPS, layoutLens, lensWidth } from './lens.ts';
import { EMPTY_VIEW, type Box, type TreeBox } from './layoutTypes.ts';
import { modelAt, timelineOf } from './testkit.ts';

const t = timelineOf(seedStory);
const OP = 26;
const VA = 0x7f00_0000_0000n;
const index = (level: number) => Number((VA >> BigInt(39 - 9 * level)) & 0x1ffn);

const lensAt = (op: number, avail: number, focus = { kind: 'op' } as const) => {
  const m = modelAt(t, op);
  const chain = chainOf(m, focus, { record: t.records[op], changed: [] });
  return { m, chain, l: layoutLens(m, EMPTY_VIEW, chain, { detail: 'cards', avail }) };
};

const byKind = <K extends Box['kind']>(boxes: readonly Box[], k: K) =>
  boxes.filter((b): b is Extract<Box, { kind: K }> => b.kind === k);

describe('the lens on a 4-level dma', () => {
  it('the chain holds the STE, the CD of PASID 3, each level of the walk and the owner', () => {
    const { chain, m } = lensAt(OP, 990);
    const accel = m.streams.find((s) => s.sid === 0x100)!;
    expect(chain.ids.has(accel.id)).toBe(true);
    const table = m.cdTables.find((x) => x.id === accel.cdTable)!;
    const cd3 = table.rows.find((r) => r.ssid === 3)!;
    expect(chain.ids.has(cd3.id)).toBe(true);
    expect(chain.ids.has('proc:ml')).toBe(true);
    expect(chain.frames).toHaveLength(1);
  });

  it('the tree card lists one row per level, indexed as the VA says', () => {
    const { l } = lensAt(OP, 990);
    const tree = byKind(l.boxes, 'tree').find((b: TreeBox) =>
      b.rows.some((r) => r.kind === 'walk'),
    )!;
    const walk = tree.rows.filter((r) => r.kind === 'walk');
    expect(walk.map((r) => r.level)).toEqual([0, 1, 2, 3]);
    expect(walk.map((r) => (r.kind === 'walk' ? r.entry.index : -1))).toEqual(
      [0, 1, 2, 3].map(index),
    );
  });

  it('one band fits a 990 px pane; a 666 px pane wraps into two bands that fit it', () => {
    expect(lensWidth('cards') + 32).toBeLessThanOrEqual(990);
    const wide = lensAt(OP, 990).l;
    expect(wide.chain!.width).toBeLessThanOrEqual(990 - 32);
    const narrow = lensAt(OP, 666).l;
    expect(narrow.chain!.width).toBeLessThanOrEqual(666 - 32);
    expect(narrow.chain!.width).toBeLessThan(wide.chain!.width);
    // The planned 990×450 pane less its toolbar, summary line and overview: about 380 px.
    expect(wide.chain!.height).toBeLessThanOrEqual(380);
  });

  it('what is off the chain folds into summaries that name it, and opens on demand', () => {
    const { l, m } = lensAt(OP, 990);
    const more = byKind(l.boxes, 'summary').find((b) => b.group === GROUPS.streams)!;
    expect(more.names).toHaveLength(m.streams.length - 1);
    expect(more.names).not.toContain('accel');
    expect(byKind(l.boxes, 'stream')).toHaveLength(1);
    const chain = chainOf(m, { kind: 'op' }, { record: t.records[OP], changed: [] });
    const open = layoutLens(m, { ...EMPTY_VIEW, open: new Set([GROUPS.streams]) }, chain, {
      detail: 'cards',
      avail: 990,
    });
    expect(byKind(open.boxes, 'stream')).toHaveLength(m.streams.length);
  });

  it('a shared tree (CPU and SMMU) is drawn once, with both owners on the chain', () => {
    const { l, m } = lensAt(OP, 990);
    const shared = m.trees.find((x) => x.role === 'shared' && x.owners.length >= 2)!;
    expect(byKind(l.boxes, 'tree').filter((b) => b.id === shared.id)).toHaveLength(1);
    expect(l.edges.some((e) => e.kind === 'cd' && e.to === shared.id)).toBe(true);
    expect(l.edges.some((e) => e.kind === 'mm' && e.to === shared.id)).toBe(true);
  });

  it('focusing a device shows its stream and CD table, not the walk', () => {
    const m = modelAt(t, OP);
    const chain = chainOf(m, { kind: 'device', sid: 0x100 });
    const l = layoutLens(m, EMPTY_VIEW, chain, { detail: 'cards', avail: 990 });
    expect(byKind(l.boxes, 'stream').map((b) => b.stream.sid)).toEqual([0x100]);
    expect(l.boxes.some((b) => b.kind === 'tree' && b.rows.some((r) => r.kind === 'walk'))).toBe(
      false,
    );
  });

  it('at summary detail every card is one line, and the chain is shorter', () => {
    const m = modelAt(t, OP);
    const chain = chainOf(m, { kind: 'op' }, { record: t.records[OP], changed: [] });
    const cards = layoutLens(m, EMPTY_VIEW, chain, { detail: 'cards', avail: 990 });
    const sum = layoutLens(m, EMPTY_VIEW, chain, { detail: 'summary', avail: 990 });
    expect(sum.boxes.every((b) => b.kind === 'frames' || b.h <= 26)).toBe(true);
    expect(sum.chain!.height).toBeLessThan(cards.chain!.height);
  });
});
