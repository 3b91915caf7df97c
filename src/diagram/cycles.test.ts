// Page tables written by hand that point back up (a cycle): the fuzzer (npm run fuzz, kernel
// target, seed 2 cases 11 and 53) found that a pgd entry holding the pgd's own address as a
// table descriptor made the diagram's layout recurse until the stack overflowed. A table is
// walked and listed once; the entry that points back is drawn, not followed again.
import { describe, expect, it } from 'vitest';
import type { OpDoc, ScenarioDoc } from '../scenario/index.ts';
import { layoutDiagram } from './layout.ts';
import { EMPTY_VIEW, tableKey, type ViewState } from './layoutTypes.ts';
import { modelAt, timelineOf } from './testkit.ts';

const base: OpDoc[] = [
  { op: 'process', name: 'app' },
  { op: 'mmap', proc: 'app', addr: '0x4000_0000', size: '0x1000', prot: 'rw' },
  { op: 'touch', proc: 'app', addr: '0x4000_0000', access: 'w' },
];
const doc = (ops: OpDoc[]): ScenarioDoc => ({ format: 'sva-explorer/scenario', version: 1, ops });
const hex = (v: bigint): string => `0x${v.toString(16)}`;

// The pgd's address, and the entry of it that maps 0x4000_0000 (4K granule, 48-bit VA: level 0
// indexes VA[47:39], so entry 0; level 1 indexes VA[38:30], so entry 1).
const pgd = modelAt(timelineOf(doc(base)), base.length - 1).processes[0]!.pgd;

describe('a page table that points at itself', () => {
  // pgd[5] = pgd | 0b11: a table descriptor (bits[1:0] = 0b11, VMSAv8-64 D8.3) to itself.
  const ops: OpDoc[] = [...base, { op: 'write64', pa: hex(pgd + 5n * 8n), value: hex(pgd | 3n) }];
  const t = timelineOf(doc(ops));
  const m = modelAt(t, ops.length - 1);
  const tree = m.trees.find((x) => x.root === pgd)!;
  const openAll: ViewState = {
    ...EMPTY_VIEW,
    expanded: new Set(m.trees.flatMap((x) => x.tables.map((y) => tableKey(x.id, y.id)))),
  };

  it('runs', () => {
    expect(t.records.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('walks each table once: pgd, and the three below it on the way to the page', () => {
    const ids = tree.tables.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(tree.tables.map((x) => x.level)).toEqual([0, 1, 2, 3]);
    // The self-pointing entry is still an entry of the pgd, kind table, target the pgd.
    const back = tree.tables[0]!.entries.find((e) => e.index === 5)!;
    expect(back).toMatchObject({ kind: 'table', target: pgd });
  });

  it('lays out folded and with every table open', () => {
    expect(() => layoutDiagram(m, EMPTY_VIEW)).not.toThrow();
    const open = layoutDiagram(m, openAll);
    const tableRows = open.boxes.filter((b) => b.id.startsWith('pt:'));
    expect(new Set(tableRows.map((b) => b.id)).size).toBe(tableRows.length);
  });
});
