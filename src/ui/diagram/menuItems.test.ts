// The node menus on the seed story's last moment (scenario/presets/seedStory.ts): gpu has private
// bonds with compositor (PASID 1) and game (PASID 2), accel an SVA bond with ml (PASID 3); the
// media devices are platform devices without PASIDs. Expectations follow the story, not the code.
import { describe, expect, it } from 'vitest';
import { openTimeline, parseScenario, seedStory } from '../../scenario/index.ts';
import { modelAt } from '../../state/index.ts';
import { menuFor, type MenuItem } from './menuItems.ts';

const model = (() => {
  const p = parseScenario(seedStory);
  if (!p.ok) throw new Error(p.error);
  const t = openTimeline(p.scenario);
  if (!t.ok) throw new Error(t.error);
  return modelAt(t.timeline, t.timeline.length - 1);
})();
const proc = (name: string) => model.processes.find((p) => p.name === name)!;
const stream = (dev: string) => model.streams.find((s) => s.dev === dev)!;
const byLabel = (items: readonly MenuItem[], re: RegExp) => items.filter((i) => re.test(i.label));

describe('a process menu', () => {
  it('offers Unbind where the process is bound and Bind where it could be', () => {
    const m = menuFor({ kind: 'process', proc: proc('ml') }, model);
    expect(m.title).toBe('Process ml: bind or unbind');
    const [unbind] = byLabel(m.items, /^Unbind accel/);
    expect(unbind?.op).toEqual({ op: 'unbind', dev: 'accel', proc: 'ml' });
    const [bind] = byLabel(m.items, /^Bind gpu/);
    expect(bind?.op).toEqual({ op: 'bind', dev: 'gpu', proc: 'ml' });
    const [display] = byLabel(m.items, /display/);
    expect(display).toMatchObject({ disabled: 'no PASID support' });
    expect(display?.op).toBeUndefined();
  });

  it('counts a private-table bond as bound (compositor ↔ gpu)', () => {
    const m = menuFor({ kind: 'process', proc: proc('compositor') }, model);
    expect(byLabel(m.items, /^Unbind gpu/)[0]?.op).toEqual({
      op: 'unbind',
      dev: 'gpu',
      proc: 'compositor',
    });
    expect(byLabel(m.items, /^Bind gpu/)).toEqual([]);
  });
});

describe('a device menu', () => {
  it('reads through each of its CDs and binds or unbinds each process', () => {
    const m = menuFor({ kind: 'stream', stream: stream('accel') }, model);
    expect(m.title).toBe('Device accel');
    expect(byLabel(m.items, /^DMA read by accel · PASID 3 @ 0x7f00_0000_0000$/)).toHaveLength(1);
    expect(byLabel(m.items, /^Unbind ml$/)[0]?.op).toEqual({
      op: 'unbind',
      dev: 'accel',
      proc: 'ml',
    });
    expect(byLabel(m.items, /^Bind game$/)[0]?.op).toEqual({
      op: 'bind',
      dev: 'accel',
      proc: 'game',
    });
  });
});

describe('table and tree menus', () => {
  it('a CD table offers a read through each of its rows', () => {
    const m = menuFor({ kind: 'cdtable', table: stream('gpu').cdTable! }, model);
    expect(m.items.map((i) => i.label)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DMA read by gpu · PASID 1 @/),
        expect.stringMatching(/^DMA read by gpu · PASID 2 @/),
      ]),
    );
  });

  it("a tree reads at its first mapped address through the CD that uses it; ml's mm is PASID 3", () => {
    const m = menuFor({ kind: 'tree', tree: proc('ml').tree }, model);
    expect(m.items.map((i) => i.label)).toEqual(['DMA read by accel · PASID 3 @ 0x7f00_0000_0000']);
  });

  it('a tree no device walks says so', () => {
    const m = menuFor({ kind: 'tree', tree: proc('game').tree }, model);
    expect(m.items).toEqual([
      { label: 'DMA here', disabled: 'no device walks these tables (bind the process first)' },
    ]);
  });
});
