import { describe, expect, it } from 'vitest';
import type { ScenarioDoc } from '../scenario/index.ts';
import { opChanges } from './changes.ts';
import { modelAt, timelineOf } from './testkit.ts';

const doc: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 1,
  kernel: 'rfc2017',
  ops: [
    { op: 'device', name: 'acc', sid: 8, bus: 'pci', pasidBits: 8, ats: true, pri: true }, // 0
    { op: 'domain', name: 'dom', type: 'dma' }, // 1
    { op: 'attach', dev: 'acc', domain: 'dom' }, // 2
    { op: 'map', domain: 'dom', iova: '0x10000', size: '0x2000', prot: 'rw' }, // 3
    { op: 'unmap', domain: 'dom', iova: '0x11000', size: '0x1000' }, // 4
    { op: 'process', name: 'p' }, // 5
    { op: 'mmap', proc: 'p', addr: '0x4000_0000', size: '0x4000', prot: 'rw' }, // 6
    { op: 'touch', proc: 'p', addr: '0x4000_0000', access: 'w' }, // 7
    { op: 'bind', dev: 'acc', proc: 'p' }, // 8
    { op: 'exit', proc: 'p' }, // 9
  ],
};
const t = timelineOf(doc);
const changesOf = (op: number) =>
  opChanges(modelAt(t, op - 1), modelAt(t, op), t.records[op]!.writes);

describe('opChanges', () => {
  it('attach: the STE changes, the CD table and its CD 0 are new', () => {
    const c = changesOf(2);
    expect(c.byId.get('ste:8')).toBe('changed');
    expect(c.byId.get('cdt:dom')).toBe('new');
    const cd0 = [...c.byId].find(([id]) => id.startsWith('cd:dom:0'));
    expect(cd0?.[1]).toBe('new');
    expect(c.words).toBeGreaterThan(0);
  });

  it('map: new tables and entries, the tree changed', () => {
    const before = modelAt(t, 2);
    const c = changesOf(3);
    const tree = before.trees.find((x) => x.owners.some((o) => o.from === 'cd:dom:0'))!;
    expect(c.byId.get(tree.id)).toBe('changed');
    const kinds = [...c.byId].filter(([id]) => id.startsWith('pte:')).map(([, k]) => k);
    expect(kinds.length).toBeGreaterThanOrEqual(2);
    expect(new Set(kinds)).toEqual(new Set(['new']));
    expect(c.byId.get(`pt:${tree.root.toString(16)}`)).toBe('changed');
  });

  it('unmap: the page entry is removed and listed; its table is changed', () => {
    const c = changesOf(4);
    const gone = [...c.byId].filter(([, k]) => k === 'removed');
    expect(gone).toHaveLength(1);
    expect(gone[0]![0]).toMatch(/^pte:/);
    expect(c.removed.map((r) => r.id)).toEqual([gone[0]![0]]);
    expect(c.removed[0]!.label).toContain('0x1_1000');
    expect([...c.byId].some(([id, k]) => id.startsWith('pt:') && k === 'changed')).toBe(true);
  });

  it('bind: a new CD row, the process tree becomes shared, the process gets its PASID', () => {
    const c = changesOf(8);
    const after = modelAt(t, 8);
    const row = after.cdTables[0]!.rows.find((r) => r.owner.kind === 'process')!;
    expect(c.byId.get(row.id)).toBe('new');
    expect(c.byId.get('cdt:dom')).toBe('changed');
    const shared = after.trees.find((x) => x.role === 'shared')!;
    expect(c.byId.get(shared.id)).toBe('changed');
    expect(c.byId.get('proc:p')).toBe('changed');
  });

  it('exit: the process is removed (its tables are not listed one by one)', () => {
    const c = changesOf(9);
    expect(c.byId.get('proc:p')).toBe('removed');
    expect(c.removed.some((r) => r.id === 'proc:p')).toBe(true);
    expect(c.removed.filter((r) => r.id.startsWith('pte:'))).toEqual([]);
  });

  it('an op that writes nothing changes nothing', () => {
    const c = changesOf(5 + 1); // mmap without populate: VMAs only
    expect(c.words).toBe(0);
    expect([...c.byId]).toEqual([['proc:p', 'changed']]);
  });
});
