// What-if edits on the seed story: the ops an edit becomes, the warnings the engine's own checks
// give before it is applied, and that the applied edit does what the warning said. Expected
// words are worked out from the spec's field positions (CD.T0SZ = dw0[5:0], a stage-1 page's
// output address = bits[47:12], bits[1:0] = 0b01 reserved at level 3), not from the planner.
import { describe, expect, it } from 'vitest';
import { hex } from '../engine/index.ts';
import { seedStory, type OpDoc } from '../scenario/index.ts';
import { timelineOf, worldAt, modelAt } from './testkit.ts';
import { editableFields, planEdit, type WhatIfPlan } from './whatIf.ts';
import type { Selection } from './inspect.ts';

const t = timelineOf(seedStory);
// The GPU (no ATS: its accesses use the SMMU's TLB, not an ATC), PASID 2 = game, whose private
// io-pgtable maps IOVA 0x10_0000.
const MAP_GAME = 18; // map gpu game 0x10_0000
const DMA_GAME = 19; // dma gpu PASID 2 write 0x10_0100
const GPU_SID = 0x20;
const VA = 0x10_0000n;

function cdSel(op: number): Selection {
  const m = modelAt(t, op);
  const s = m.streams.find((x) => x.dev === 'gpu')!;
  const row = m.cdTables.find((c) => c.id === s.cdTable)!.rows.find((r) => r.ssid === 2)!;
  return { kind: 'memory', struct: 'cd', pa: row.pa, title: 'CD 3' };
}

/** The L3 page descriptor of VA in game's private tree (CD 2's TTB0), from the model's tables. */
function leafSel(op: number): Selection {
  const m = modelAt(t, op);
  const s = m.streams.find((x) => x.dev === 'gpu')!;
  const row = m.cdTables.find((c) => c.id === s.cdTable)!.rows.find((r) => r.ssid === 2)!;
  const tree = m.trees.find((x) => x.root === row.ttb0)!;
  const e = tree.tables
    .filter((tb) => tb.level === 3)
    .flatMap((tb) => tb.entries)
    .find((x) => x.ia === VA)!;
  return { kind: 'memory', struct: 's1-leaf', pa: e.pa, title: 'leaf', level: 3, stage: 1 };
}

const plan = (sel: Selection, op: number, f: string, v: bigint): WhatIfPlan => {
  const r = planEdit(sel, worldAt(t, op), f, v);
  if ('error' in r) throw new Error(r.error);
  return r;
};

/** The seed story with `ops` inserted after op `at`, and a read by the GPU (PASID 2) appended. */
function withEdit(at: number, ops: readonly OpDoc[], dmaAddr?: string) {
  const all = [...seedStory.ops];
  all.splice(at + 1, 0, ...ops);
  if (dmaAddr) all.push({ op: 'dma', dev: 'gpu', pasid: 2, addr: dmaAddr, access: 'r' });
  return timelineOf({ ...seedStory, ops: all });
}

describe('what-if: CD.T0SZ', () => {
  const sel = cdSel(MAP_GAME);
  const dw0 = worldAt(t, MAP_GAME).mem.readWords((sel as { pa: bigint }).pa, 1)![0]!;

  it('warns, before it is applied, that T0SZ=0 makes the next fetch raise C_BAD_CD', () => {
    const p = plan(sel, MAP_GAME, 'T0SZ', 0n);
    expect(p.warnings).toEqual([
      {
        text: 'CD.T0SZ=0 is out of range 16..39: the next fetch of this CD raises C_BAD_CD',
        section: '§5.4.2 CdIllegal()',
        event: 'C_BAD_CD',
      },
    ]);
    expect(p.writes).toEqual([
      { op: 'write64', pa: hex((sel as { pa: bigint }).pa), value: hex(dw0 & ~0x3fn) },
    ]);
    expect(p.invalidation.ops).toEqual([
      { op: 'cmd', name: 'CFGI_CD', sid: GPU_SID, ssid: 2, leaf: true },
      { op: 'cmd', name: 'SYNC' },
    ]);
  });

  it('gives no warning for a T0SZ in range', () => {
    expect(plan(sel, MAP_GAME, 'T0SZ', 25n).warnings).toEqual([]);
  });

  it('the applied edit with its invalidation makes the next dma raise C_BAD_CD', () => {
    const p = plan(sel, MAP_GAME, 'T0SZ', 0n);
    const e = withEdit(MAP_GAME, [...p.writes, ...p.invalidation.ops]);
    const dma = e.records[MAP_GAME + 1 + p.writes.length + p.invalidation.ops.length]!;
    expect(dma.op).toMatchObject({ op: 'dma', dev: 'gpu' });
    expect(dma.events.map((x) => x.event.name)).toEqual(['C_BAD_CD']);
  });

  it('refuses a value wider than the field', () => {
    expect(planEdit(sel, worldAt(t, MAP_GAME), 'T0SZ', 64n)).toEqual({
      error: 'T0SZ is 6 bits wide: 0x40 does not fit',
    });
  });
});

describe('what-if: a stage-1 page descriptor', () => {
  const sel = leafSel(DMA_GAME);
  const old = worldAt(t, DMA_GAME).mem.readWords((sel as { pa: bigint }).pa, 1)![0]!;
  const oldFrame = old & 0xffff_ffff_f000n;
  const newFrame = oldFrame + 0x1_0000n;

  it('without invalidation the next dma uses the stale TLB entry; with it, the new frame', () => {
    const p = plan(sel, DMA_GAME, 'OutputAddress', newFrame >> 12n);
    expect(p.writes).toEqual([
      {
        op: 'write64',
        pa: hex((sel as { pa: bigint }).pa),
        value: hex((old & ~0xffff_ffff_f000n) | newFrame),
      },
    ]);
    expect(p.warnings).toEqual([]);
    const stale = withEdit(DMA_GAME, p.writes, '0x10_0010');
    const last = stale.records[stale.records.length - 1]!;
    expect(last.dma?.pa).toBe(oldFrame + 0x10n);
    expect(last.dma?.tlb).toBe('hit');
    expect(p.invalidation.ops.map((o) => (o as { name?: string }).name)).toEqual([
      'TLBI_NH_VA',
      'SYNC',
    ]);
    const fresh = withEdit(DMA_GAME, [...p.writes, ...p.invalidation.ops], '0x10_0010');
    expect(fresh.records[fresh.records.length - 1]!.dma?.pa).toBe(newFrame + 0x10n);
  });

  it("warns with the walk's own rule: bits[1:0]=0b01 is reserved at level 3", () => {
    const p = plan(sel, DMA_GAME, 'Type', 0n);
    expect(p.warnings.map((w) => [w.event, w.text])).toEqual([
      [
        'F_TRANSLATION',
        'L3 descriptor: reserved descriptor type at level 3: the next walk through it raises F_TRANSLATION (a TLB entry may still hold the old translation)',
      ],
    ]);
  });
});

describe('what-if: STE, registers, what is not editable', () => {
  it("warns when STE.S1CDMax exceeds the SMMU's SSIDSIZE", () => {
    const m = modelAt(t, MAP_GAME);
    const s = m.streams.find((x) => x.dev === 'gpu')!;
    const sel: Selection = { kind: 'memory', struct: 'ste', pa: s.stePa, title: 'STE' };
    const w = worldAt(t, MAP_GAME);
    const p = plan(sel, MAP_GAME, 'S1CDMax', BigInt(w.smmu.platform.ssidBits + 1));
    expect(p.warnings[0]?.event).toBe('C_BAD_STE');
    expect(p.warnings[0]?.text).toMatch(/^STE\.S1CDMax=\d+ exceeds IDR1\.SSIDSIZE=\d+: the next/);
    expect(p.invalidation.ops).toEqual([
      { op: 'cmd', name: 'CFGI_STE', sid: GPU_SID, leaf: true },
      { op: 'cmd', name: 'SYNC' },
    ]);
  });

  it('tells a guarded register write is ignored, as the register write itself says', () => {
    const sel: Selection = { kind: 'reg', reg: 'STRTAB_BASE', title: 'SMMU_STRTAB_BASE' };
    const p = plan(sel, MAP_GAME, editableFields(sel, worldAt(t, MAP_GAME))[0]!.name, 0n);
    expect(p.writes[0]).toMatchObject({ op: 'reg', name: 'STRTAB_BASE' });
    expect(p.warnings.map((w) => w.text)).toEqual([
      'SMMU_STRTAB_BASE is guarded by CR0.SMMUEN=1: write ignored',
    ]);
    expect(p.invalidation.ops).toEqual([]);
  });

  it('offers no field of a read-only register or a queue entry', () => {
    const w = worldAt(t, MAP_GAME);
    expect(editableFields({ kind: 'reg', reg: 'IDR0', title: 'IDR0' }, w)).toEqual([]);
    expect(
      editableFields({ kind: 'memory', struct: 'command', pa: 0x1000n, title: 'c' }, w),
    ).toEqual([]);
  });
});

describe('what-if: a field the ID registers say is absent (engine absent.ts)', () => {
  // The seed story on an SMMU without IDR3.HAD: CD.HAD0 (dw1 bit 1) is IGNORED (§5.4).
  const noHad = timelineOf({ ...seedStory, platform: { smmu: { had: false } } });
  const sel = (() => {
    const m = modelAt(noHad, MAP_GAME);
    const s = m.streams.find((x) => x.dev === 'gpu')!;
    const row = m.cdTables.find((c) => c.id === s.cdTable)!.rows.find((r) => r.ssid === 2)!;
    return { kind: 'memory', struct: 'cd', pa: row.pa, title: 'CD 2' } as const;
  })();

  it('warns that CD.HAD0 is IGNORED, with its section, and still plans the write', () => {
    const r = planEdit(sel, worldAt(noHad, MAP_GAME), 'HAD0', 1n);
    if ('error' in r) throw new Error(r.error);
    expect(r.warnings).toEqual([
      {
        text: "CD.HAD0 is IGNORED: SMMU_IDR3.HAD=0 on this SMMU; the table descriptors' APTable and XNTable limits still apply",
        section: '§5.4',
        event: undefined,
      },
    ]);
    const dw1 = worldAt(noHad, MAP_GAME).mem.readWords(sel.pa + 8n, 1)![0]!;
    expect(r.writes).toEqual([{ op: 'write64', pa: hex(sel.pa + 8n), value: hex(dw1 | 2n) }]);
  });

  it('says nothing on the default SMMU (IDR3.HAD=1), nor for clearing the bit', () => {
    expect(plan(cdSel(MAP_GAME), MAP_GAME, 'HAD0', 1n).warnings).toEqual([]);
    const r = planEdit(sel, worldAt(noHad, MAP_GAME), 'HAD0', 0n);
    expect('error' in r ? r.error : r.warnings).toEqual([]);
  });
});
