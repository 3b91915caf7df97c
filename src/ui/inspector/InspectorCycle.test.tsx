// @vitest-environment jsdom
// Table cycles written by hand (issue 15): a process's pgd entry pointing at its own pgd, a
// domain's io-pgtable root entry pointing at its own root, and a level-1 stream table descriptor
// pointing into the stream table's L1 array. The page must open such a scenario, the inspector
// must decode the descriptor, say that it points back into its own table, and keep answering
// while the cursor moves over the ops that walk through the cycle.
//
// Addresses and indices are derived by hand: VA 0x7f00_0000_0000 with 4 KB pages and 48-bit VAs
// is pgd index VA[47:39] = 0xfe; IOVA 0x1000_0000 is index 0 of the io-pgtable root at any start
// level (it is below 1 GB); SID 0x10 with SPLIT 8 is L1 index 0x10 >> 8 = 0 (§5.1). A table
// descriptor is NextLevelTable[47:12] | 0b11; an L1STD is L2Ptr[55:6] | Span[4:0] (§5.1).
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { hex, hex64 } from '../../engine/index.ts';
import { seedStory, type OpDoc } from '../../scenario/index.ts';
import { createAppStore, worldAt } from '../../state/index.ts';
import { StoreContext } from '../storeContext.ts';
import { InspectorPanel } from './InspectorPanel.tsx';

afterEach(cleanup);

const x = (v: bigint): string => `0x${v.toString(16)}`;

/** The seed story's structures at its end: where the cycles are written. */
function structures() {
  const s = createAppStore();
  const k = worldAt(s.getState().timeline, s.getState().cursor.op).kernel!;
  const pgd = k.processes.get('ml')!.mm.pgd;
  const root = k.domains.get('media')!.pgtable!.root;
  const strtab = k.driver.strtab.base;
  expect(k.driver.strtab.split).toBe(8);
  const mem = worldAt(s.getState().timeline, s.getState().cursor.op).mem;
  // Before the writes both entries are ordinary table descriptors (bits[1:0] = 0b11) elsewhere.
  const pgdEntry = pgd + 0xfen * 8n;
  expect(mem.read64(pgdEntry)! & 3n).toBe(3n);
  expect(mem.read64(pgdEntry)! & ~0xfffn & ((1n << 48n) - 1n)).not.toBe(pgd);
  expect(mem.read64(root)! & 3n).toBe(3n);
  return { pgd, pgdEntry, root, strtab, ops: seedStory.ops.length };
}

function open() {
  const t = structures();
  const writes: OpDoc[] = [
    { op: 'write64', pa: x(t.pgdEntry), value: x(t.pgd | 3n) },
    { op: 'write64', pa: x(t.root), value: x(t.root | 3n) },
    // L2Ptr = the L1 array itself, Span 9 (256 STEs): the "STEs" are L1 descriptors.
    { op: 'write64', pa: x(t.strtab), value: x(t.strtab | 9n) },
  ];
  // Ops that walk through each cycle: the CPU and the device (SVA shares the pgd) at a page not
  // cached yet, a DMA through the io-pgtable, and a stream whose STE was never fetched.
  const walks: OpDoc[] = [
    { op: 'touch', proc: 'ml', addr: '0x7f00_0000_4000', access: 'r' },
    { op: 'dma', dev: 'accel', pasid: 3, addr: '0x7f00_0000_5000', access: 'r' },
    { op: 'dma', dev: 'display', addr: '0x1000_3000', access: 'r' },
    { op: 'dma', dev: 'video', addr: '0x1000_2000', access: 'r' },
  ];
  const store = createAppStore({ ...seedStory, ops: [...seedStory.ops, ...writes, ...walks] });
  render(
    <StoreContext.Provider value={store}>
      <InspectorPanel />
    </StoreContext.Provider>,
  );
  return { ...t, store, last: t.ops + writes.length + walks.length - 1 };
}

const cycle = () => screen.queryByTestId('inspector-cycle')?.textContent ?? null;
const word0 = () => screen.getByTestId('inspector-word-0-hex').textContent;
const value = (name: string) => screen.getByTestId(`inspector-field-${name}-value`).textContent;

describe('the inspector on table cycles written by hand', () => {
  it('shows a pgd entry that points at its own pgd, and a healthy one before the write', () => {
    const { store, pgd, pgdEntry, ops } = open();
    act(() =>
      store.getState().select({
        kind: 'memory',
        struct: 's1-table',
        pa: pgdEntry,
        level: 0,
        stage: 1,
        title: 'pgd[0xfe] of ml',
      }),
    );
    expect(screen.getByTestId('inspector-title').textContent).toBe('pgd[0xfe] of ml');
    expect(word0()).toBe(hex64(pgd | 3n));
    expect(value('NextLevelTable')).toBe(hex(pgd >> 12n));
    expect(cycle()).toContain(`NextLevelTable ${hex(pgd)} points back into the table`);
    expect(cycle()).toContain('a cycle');
    // The moment before the write (the seed story's last op): an ordinary table, no cycle.
    act(() => store.getState().setCursor(ops - 1));
    expect(word0()).not.toBe(hex64(pgd | 3n));
    expect(cycle()).toBeNull();
  });

  it('shows an io-pgtable root entry that points at its own root', () => {
    const { store, root } = open();
    act(() =>
      store.getState().select({
        kind: 'memory',
        struct: 's1-table',
        pa: root,
        level: 0,
        stage: 1,
        title: 'media root[0]',
      }),
    );
    expect(word0()).toBe(hex64(root | 3n));
    expect(cycle()).toContain(`NextLevelTable ${hex(root)} points back into the table`);
  });

  it('shows an L1 stream table descriptor that points into the stream table', () => {
    const { store, strtab } = open();
    act(() =>
      store.getState().select({ kind: 'memory', struct: 'l1std', pa: strtab, title: 'L1STD[0]' }),
    );
    expect(word0()).toBe(hex64(strtab | 9n));
    expect(value('Span')).toBe('0x9');
    expect(value('L2Ptr')).toBe(hex(strtab >> 6n));
    expect(cycle()).toContain(`L2Ptr ${hex(strtab)} points back into the table`);
  });

  it('stays responsive while the cursor moves over every op that walks through the cycles', () => {
    const { store, pgdEntry, ops, last } = open();
    act(() =>
      store.getState().select({
        kind: 'memory',
        struct: 's1-table',
        pa: pgdEntry,
        level: 0,
        stage: 1,
        title: 'pgd[0xfe] of ml',
      }),
    );
    const t0 = performance.now();
    for (let op = ops; op <= last; op++) {
      act(() => store.getState().setCursor(op));
      expect(screen.getByTestId('inspector-title').textContent).toBe('pgd[0xfe] of ml');
      expect(cycle()).toContain('a cycle');
    }
    // Seven moments, each a world replayed from a checkpoint and one inspector render: far
    // below a second each even on a shared machine (a walk that looped would never return).
    expect(performance.now() - t0).toBeLessThan(7 * 1000);
  });
});
