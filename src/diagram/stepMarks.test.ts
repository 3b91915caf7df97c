import { describe, expect, it } from 'vitest';
import { timelineOf } from '../scenario/run.testkit.ts';
import { seedStory } from '../scenario/index.ts';
import { flowOf } from './flow.ts';
import { focusOf } from './focus.ts';
import { layoutDiagram } from './layout.ts';
import { EMPTY_VIEW, tableKey } from './layoutTypes.ts';
import { buildModel } from './model.ts';
import { indexRows, pathD, revealPas, stepMarks } from './stepMarks.ts';

const t = timelineOf(seedStory);
const WALK = 26; // accel, PASID 3, read of VA 0x7f00_0000_0000 through the ml process's tables
const VA = 0x7f00_0000_0000n;
const steps = flowOf(t.records[WALK]!, t.stateAt(WALK), t.stateAt(WALK + 1));
const model = buildModel(t.stateAt(WALK + 1));
const ml = model.processes.find((x) => x.name === 'ml')!;
const tree = model.trees.find((x) => x.id === ml.tree)!;

/** The descriptor PAs of the walk, from the tables in memory and the spec's index arithmetic:
 * level L of a 4 KB, 48-bit walk is indexed by VA[47−9L:39−9L], 8 bytes per descriptor. */
function walkPas(): bigint[] {
  const out: bigint[] = [];
  let table = tree.root;
  for (let level = 0; level <= 3; level++) {
    const pa = table + ((VA >> BigInt(39 - 9 * level)) & 0x1ffn) * 8n;
    out.push(pa);
    const t = tree.tables.find((x) => x.pa === table)!;
    table = t.entries.find((e) => e.pa === pa)!.target;
  }
  return out;
}

describe('stepMarks', () => {
  it('opens the table pages a walk reads, and nothing when there is nothing to show', () => {
    expect(revealPas(model, EMPTY_VIEW, [])).toBe(EMPTY_VIEW);
    const v = revealPas(model, EMPTY_VIEW, walkPas());
    for (const table of tree.tables) expect(v.expanded.has(tableKey(tree.id, table.id))).toBe(true);
    // Idempotent: a view that already shows them is returned as is.
    expect(revealPas(model, v, walkPas())).toBe(v);
  });

  it('marks the STE, L1CD, CD and the four descriptors of a 4-level walk, in order', () => {
    const last = focusOf(steps, steps.length - 1);
    const view = revealPas(model, EMPTY_VIEW, last.path);
    const layout = layoutDiagram(model, view);
    const marks = stepMarks(indexRows(layout), last);
    const accel = model.streams.find((s) => s.dev === 'accel')!;
    const cdt = model.cdTables.find((c) => c.id === accel.cdTable)!;
    const cd3 = cdt.rows.find((r) => r.ssid === 3)!;
    // SSID 3 sits in the first 1,024-CD leaf: L1CD[3 >> 10 = 0].
    const l1Row = layout.boxes
      .flatMap((b) => (b.kind === 'cdtable' && b.id === cdt.id ? b.rows : []))
      .find((r) => r.kind === 'l1cd' && r.l1.index === 0)!;
    expect(marks.path.map((m) => m.id)).toEqual([
      accel.id, // the L1STD read has no row of its own: the STE's stream card is next
      l1Row.id,
      cd3.id,
      ...walkPas().map((pa) => `pte:${pa.toString(16)}`),
    ]);
    expect(marks.path.every((m) => m.exact)).toBe(true);
    // A connector joins each row to the next.
    expect(pathD(layout.anchors, marks.path).match(/M/g)).toHaveLength(marks.path.length - 1);
  });

  it('marks the table page when its descriptor is not drawn (the page is closed)', () => {
    const l2 = focusOf(
      steps,
      steps.findIndex((s) => s.trace?.kind === 'tt' && s.trace.level === 2),
    );
    const marks = stepMarks(indexRows(layoutDiagram(model, EMPTY_VIEW)), l2);
    const table = tree.tables.find((x) => x.level === 2)!;
    expect(marks.current).toEqual({ id: table.id, pa: walkPas()[2], exact: false });
  });
});

describe('stepMarks on structure writes', () => {
  // A write step's PA is its first word's; the kernel writes a CD or an STE from dword 1 and
  // dword 0 (V) last, so the step's PA is inside the structure, not its base.
  const marksAt = (op: number, what: 'CD table' | 'stream table') => {
    const s = flowOf(t.records[op]!, t.stateAt(op), t.stateAt(op + 1));
    const m = buildModel(t.stateAt(op + 1));
    const writes = s.filter((x) => x.kind === 'write' && x.title.startsWith(`${what} (`));
    const pas = writes.map((x) => x.pa!);
    const layout = layoutDiagram(m, revealPas(m, EMPTY_VIEW, pas));
    const index = indexRows(layout);
    return { m, pas, index };
  };
  const at = (index: ReturnType<typeof indexRows>, pa: bigint) =>
    stepMarks(index, { current: pa, path: [], lane: 'mm' }).current;

  it('marks CD 3 at both writes of the bind (dwords 1–3, then dword 0)', () => {
    const { m, pas, index } = marksAt(25, 'CD table');
    const accel = m.streams.find((x) => x.dev === 'accel')!;
    const cd3 = m.cdTables.find((c) => c.id === accel.cdTable)!.rows.find((r) => r.ssid === 3)!;
    expect(pas).toEqual([cd3.pa + 8n, cd3.pa]);
    for (const pa of pas) expect(at(index, pa)).toEqual({ id: cd3.id, pa, exact: true });
  });

  it('marks the STE written by an attach, for any word of its 64 bytes', () => {
    const { m, pas, index } = marksAt(21, 'stream table'); // attach accel → accel-dom
    const accel = m.streams.find((x) => x.dev === 'accel')!;
    expect(pas).toEqual([accel.stePa + 8n, accel.stePa]);
    for (let off = 0n; off < 64n; off += 8n)
      expect(at(index, accel.stePa + off)).toMatchObject({ id: accel.id, exact: true });
    // The next 64 bytes are another StreamID's STE (0x101: no device, no row).
    expect(at(index, accel.stePa + 64n)?.id).not.toBe(accel.id);
  });
});
