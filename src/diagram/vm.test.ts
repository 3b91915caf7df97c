// The VM in the diagram, on golden V1 (an accelerator assigned to a guest, the guest's SVA bind of
// PASID 1 written into its own RAM). Expected values derived by hand from the golden's ops: the
// guest STE 0x2000_0000_0000_800b has S1ContextPtr = dw0[51:6] = IPA 0x8000 and S1CDMax =
// dw0[63:59] = 4 (16 CDs); CD 1 (IPA 0x8040) has ASID 5 and TTB0 = IPA 0x1_0000; the guest's
// tables chain 0x1_0000 → 0x1_1000 → 0x1_2000 → 0x1_3000, one 4 KB leaf. Every guest IPA is
// at ram.pa + IPA in host memory (the VM's RAM is one block from IPA 0).
import { describe, expect, it } from 'vitest';
import { goldenTimeline } from '../scenario/run.testkit.ts';
import { nestedInspect } from './inspectNested.ts';
import { layoutDiagram } from './layout.ts';
import type { Box } from './layoutTypes.ts';
import { movePath } from './layoutVm.ts';
import { LANES } from './flow.ts';
import { flowAt, modelAt, worldAt } from './testkit.ts';

const t = goldenTimeline('v1-vm-nested.json');
const ramPa = t.records[1]!.ram![0]!.pa;
const VIEW = {
  collapsed: new Set<string>(),
  expanded: new Set<string>(),
  shown: new Map(),
  open: new Set<string>(),
};

describe('the VM in the diagram model', () => {
  it('before the nested attach: the VM, its RAM and its stage 2, no guest structures', () => {
    const vm = modelAt(t, 10).vms[0]!;
    expect(vm).toMatchObject({
      name: 'guest',
      vmid: 1,
      ram: [{ ipa: 0n, pa: ramPa, size: 0x10_0000n }],
      cdTables: [],
      trees: [],
      streams: [],
      vsmmus: [{ name: 'vsmmu0', vevents: 0, vdevs: [{ vsid: 16, dev: 'accel', sid: 768 }] }],
    });
    // Stage 2 maps exactly the guest's 1 MB, and nothing else.
    expect(vm.s2).toMatchObject({ role: 'stage2', mappedBytes: 0x10_0000n });
  });

  it('after nest: the guest CD table at ram.pa + 0x8000, CD 1, and the guest tree at its IPAs', () => {
    const m = modelAt(t, 11);
    const vm = m.vms[0]!;
    expect(vm.streams).toMatchObject([{ sid: 768, vsid: 16, vmid: 1, kind: 'nested' }]);
    const table = vm.cdTables[0]!;
    expect(vm.streams[0]!.cdTable).toBe(table.id);
    expect(table).toMatchObject({ base: ramPa + 0x8000n, fmt: 'linear', s1cdmax: 4, sids: [768] });
    expect(table.rows).toMatchObject([
      {
        ssid: 1,
        pa: ramPa + 0x8040n,
        asid: 5,
        ttb0: 0x1_0000n,
        owner: { kind: 'guest', vm: 'guest', ssid: 1 },
      },
    ]);
    expect(table.gaps).toEqual([
      { after: -1, count: 1 },
      { after: 1, count: 14 },
    ]);
    const tree = vm.trees[0]!;
    expect(table.rows[0]!.tree).toBe(tree.id);
    expect(tree).toMatchObject({ role: 'guest', root: ramPa + 0x1_0000n, leaves: 1 });
    expect(tree.tables.map((x) => [x.level, x.ipa, x.pa])).toEqual(
      [0x1_0000n, 0x1_1000n, 0x1_2000n, 0x1_3000n].map((ipa, l) => [l, ipa, ramPa + ipa]),
    );
    // The leaf keeps the guest's address: IPA 0x2_0000 (VA[20:12] = 0xdb indexes L3).
    const leaf = tree.tables[3]!.entries.find((e) => e.index === 0xdb)!;
    expect(leaf.target).toBe(0x2_0000n);
    // None of it leaks into the host's own columns.
    expect(m.cdTables.some((x) => x.id === table.id)).toBe(false);
    expect(m.trees.some((x) => x.id === tree.id || x.id === vm.s2.id)).toBe(false);
  });
});

describe('the VM in the layout', () => {
  const m = modelAt(t, 11);
  const l = layoutDiagram(m, VIEW);
  const region = l.boxes.find((b) => b.kind === 'vm')!;
  const inside = (b: Box) =>
    b.x >= region.x &&
    b.y >= region.y &&
    b.x + b.w <= region.x + region.w &&
    b.y + b.h <= region.y + region.h;

  it('a region below every host box, holding the guest CD table, its trees and stage 2', () => {
    const host = l.boxes.filter((b) => b.kind === 'stream');
    expect(host.every((b) => b.y + b.h < region.y)).toBe(true);
    const vm = m.vms[0]!;
    const ids = [vm.cdTables[0]!.id, vm.trees[0]!.id, vm.s2.id];
    for (const id of ids) expect(inside(l.boxes.find((b) => b.id === id)!)).toBe(true);
    // Drawn first, so the guest's cards sit on top of it.
    expect(l.boxes.indexOf(region)).toBeLessThan(l.boxes.findIndex((b) => b.id === ids[0]));
    const table = l.boxes.find((b) => b.id === ids[0])!;
    expect(table.kind === 'cdtable' && table.devs).toEqual(['accel']);
  });

  it('arrows: the nested STE to the guest CD table and to stage 2; CD 1 to the guest tree', () => {
    const vm = m.vms[0]!;
    const byId = new Map(l.edges.map((e) => [e.id, e]));
    expect(byId.get(`ste:768->${vm.cdTables[0]!.id}`)?.kind).toBe('ste');
    expect(byId.get(`ste:768->${vm.s2.id}`)).toMatchObject({ kind: 's2', role: 'stage2' });
    const cd = byId.get(`${vm.cdTables[0]!.rows[0]!.id}->${vm.trees[0]!.id}`)!;
    expect(cd).toMatchObject({ kind: 'cd', role: 'guest' });
    // The moved path starts where its source anchor is.
    expect(cd.d.startsWith(`M${cd.src.x},${cd.src.y}`)).toBe(true);
  });

  it('movePath moves M/L/C pairs by (dx, dy), H by dx and V by dy', () => {
    expect(movePath('M1,2C3,4,5,6,7,8', 10, 20)).toBe('M11,22C13,24,15,26,17,28');
    expect(movePath('M1,2V5H9L0,0', 10, 20)).toBe('M11,22V25H19L10,20');
  });
});

describe('the nested STE in the inspector', () => {
  const w = worldAt(t, 11);
  const stePa = modelAt(t, 11).streams.find((s) => s.sid === 768)!.stePa;
  const sel = { kind: 'memory', struct: 'ste', pa: stePa, title: 'STE 0x300' } as const;

  it('names the guest STE and sorts fields: guest-owned copied, host-forced set', () => {
    const n = nestedInspect(sel, w)!;
    expect(n).toMatchObject({
      dev: 'accel',
      vm: 'guest',
      vsmmu: 'vsmmu0',
      kind: 'nested',
      guest: [0x2000_0000_0000_800bn, 0xd5n],
    });
    const f = new Map(n.fields.map((x) => [x.name, x]));
    // The vSTE asks Config 0b101 (stage 1); the host writes 0b111 (nested) and V itself.
    expect(f.get('Config')).toMatchObject({ value: 7n, guest: 5n, owner: 'host' });
    expect(f.get('V')).toMatchObject({ value: 1n, guest: 1n, owner: 'host' });
    // S1ContextPtr[51:6] = IPA 0x8000 >> 6 and S1CDMax = 4 pass through unchanged.
    expect(f.get('S1ContextPtr')).toMatchObject({ value: 0x200n, guest: 0x200n, owner: 'guest' });
    expect(f.get('S1CDMax')).toMatchObject({ value: 4n, guest: 4n, owner: 'guest' });
    // MEV is the host's (dword 1 bit 19); the VMID comes from the nesting parent.
    expect(f.get('MEV')).toMatchObject({ value: 1n, guest: 0n, owner: 'host' });
    expect(f.get('EATS')!.owner).toBe('host');
    expect(f.get('S2VMID')).toMatchObject({ value: 1n, owner: 'host' });
  });

  it('is absent for an STE no guest handed over (before nest, or another structure)', () => {
    expect(nestedInspect(sel, worldAt(t, 10))).toBeUndefined();
    expect(nestedInspect({ ...sel, struct: 'cd' }, w)).toBeUndefined();
  });
});

describe('the relays in the stepper: a guest command-queue lane and a guest event-queue lane', () => {
  it('a fault the host relays: the event-queue step, then the record on the guest event queue', () => {
    const f = flowAt(t, 13);
    const ev = f.findIndex((s) => s.lane === 'evtq');
    const relay = f.findIndex((s) => s.lane === 'guest-evtq');
    expect(f[ev]!.title).toBe('F_TRANSLATION');
    expect(relay).toBeGreaterThan(ev);
    expect(f[relay]).toMatchObject({ title: 'host event → vEVENTQ', kind: 'note' });
    expect(f[relay]!.detail).toContain('as vSID 0x10');
    expect(f.some((s) => s.lane === 'guest-cmdq')).toBe(false);
  });

  it("a guest's TLBI_NH_ASID: the guest command-queue step, then the host's command and CMD_SYNC", () => {
    expect(flowAt(t, 16).map((s) => [s.lane, s.title])).toEqual([
      ['guest-cmdq', 'guest command → host'],
      ['cmdq', 'CMD_TLBI_NH_ASID'],
      ['cmdq', 'CMD_SYNC'],
    ]);
  });

  it("a guest's CFGI_CD (vSID 0x10) is forwarded through the same lane, as the host's SID", () => {
    const f = flowAt(t, 17);
    expect(f.map((s) => s.lane)).toEqual(['guest-cmdq', 'cmdq', 'cmdq']);
    expect(f[0]!.detail).toContain('forwarded as CMD_CFGI_CD');
  });

  it('the two lanes sit after the host command queue, guest commands first', () => {
    const ids = LANES.map((l) => l.id);
    expect(ids.slice(-3)).toEqual(['cmdq', 'guest-cmdq', 'guest-evtq']);
    expect(LANES.filter((l) => l.optional).map((l) => l.label)).toEqual([
      'Guest command queue',
      'Guest event queue',
    ]);
  });

  it('no guest lane for a walk without a guest, nor for the host setting the VM up', () => {
    for (const i of [0, 1, 2, 3, 10]) {
      const f = flowAt(t, i);
      expect(f.some((s) => s.lane === 'guest-cmdq' || s.lane === 'guest-evtq')).toBe(false);
      expect(f.some((s) => s.title === 'event kept by the host')).toBe(false);
    }
  });
});
