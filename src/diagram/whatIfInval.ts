// The invalidation a Linux driver sends after changing a structure the SMMU may cache
// (arm-smmu-v3.c): an STE → CMD_CFGI_STE (arm_smmu_sync_ste_for_sid, leaf); a CD →
// CMD_CFGI_CD for every StreamID using the table (arm_smmu_sync_cd, leaf); an L1CD → CMD_CFGI_CD
// with leaf=0 for an SSID it covers (arm_smmu_sync_cd(…, false) after arm_smmu_write_cd_l1_desc);
// an L1STD → CMD_CFGI_STE_RANGE over its span; a stage-1 descriptor → CMD_TLBI_NH_VA (a leaf) or
// CMD_TLBI_NH_ASID (a table, whose change reaches every address below it) for every ASID of a
// CD pointing at the tree, and CMD_ATC_INV for a stream with ATS (arm_smmu_atc_inv_domain); a
// stage-2 descriptor → CMD_TLBI_S12_VMALL. Each list ends with CMD_SYNC, which the driver waits on.
import { cdLeafBits, hex, viewSte, type GranuleShift } from '../engine/index.ts';
import type { OpDoc, World } from '../scenario/index.ts';
import type { Selection } from './inspect.ts';
import type { DiagramModel } from './model.ts';

export interface Invalidation {
  readonly ops: readonly OpDoc[];
  /** The commands in words, or why there are none. */
  readonly text: string;
}

/** A translation table entry as the model knows it: its tree's granule, level, range. */
export interface TtEntry {
  readonly g: GranuleShift;
  readonly level: number;
  readonly ia: bigint;
  readonly tablePa: bigint;
  readonly kind: 'table' | 'block' | 'page';
  readonly treeId: string;
}

export function ttEntry(pa: bigint, model: DiagramModel): TtEntry | undefined {
  for (const t of model.trees)
    for (const tb of t.tables) {
      const e = tb.entries.find((x) => x.pa === pa);
      if (e)
        return { g: t.g, level: tb.level, ia: e.ia, tablePa: tb.pa, kind: e.kind, treeId: t.id };
    }
  return undefined;
}

const cmd = (name: string, fields: Record<string, number | string | boolean> = {}): OpDoc => ({
  op: 'cmd',
  name,
  ...fields,
});
const SYNC = cmd('SYNC');

function done(list: OpDoc[], what: string): Invalidation {
  return list.length === 0
    ? { ops: [], text: what }
    : { ops: [...list, SYNC], text: `${what}, then CMD_SYNC` };
}

type MemSel = Extract<Selection, { kind: 'memory' }>;

export function invalidationFor(
  sel: MemSel,
  kind: string,
  world: World,
  model: DiagramModel,
): Invalidation {
  const d = world.smmu.derived;
  if (kind === 'ste') {
    const s = model.streams.find((x) => x.stePa === sel.pa);
    const linear = d.strtabFmt === 'linear' && sel.pa >= d.strtabBase;
    const sid = s?.sid ?? (linear ? Number((sel.pa - d.strtabBase) / 64n) : undefined);
    if (sid === undefined) return { ops: [], text: 'no StreamID is known to use this STE' };
    return done([cmd('CFGI_STE', { sid, leaf: true })], `CMD_CFGI_STE (SID ${hex(sid)}, leaf)`);
  }
  if (kind === 'l1std') {
    const index = Number((sel.pa - d.strtabBase) / 8n);
    const sid = index * 2 ** d.split;
    return done(
      [cmd('CFGI_STE_RANGE', { sid, range: d.split - 1 })],
      `CMD_CFGI_STE_RANGE (SIDs ${hex(sid)}–${hex(sid + 2 ** d.split - 1)})`,
    );
  }
  if (kind === 'cd') {
    const t = model.cdTables.find((c) => c.rows.some((r) => r.pa === sel.pa));
    const ssid = t?.rows.find((r) => r.pa === sel.pa)?.ssid;
    if (!t || ssid === undefined || t.sids.length === 0)
      return { ops: [], text: 'no stream is known to use this CD' };
    return done(
      t.sids.map((sid) => cmd('CFGI_CD', { sid, ssid, leaf: true })),
      `CMD_CFGI_CD (SSID ${ssid}) for SID ${t.sids.map((x) => hex(x)).join(', ')}`,
    );
  }
  if (kind === 'l1cd') {
    const t = model.cdTables.find((c) => c.l1.some((r) => r.pa === sel.pa));
    const row = t?.l1.find((r) => r.pa === sel.pa);
    const ste = t && model.streams.find((s) => t.sids.includes(s.sid));
    const leafBits = ste ? (cdLeafBits(viewSte(ste.ste).S1Fmt) ?? 6) : 6;
    if (!t || !row || t.sids.length === 0)
      return { ops: [], text: 'no stream is known to use this L1CD' };
    const ssid = row.index * 2 ** leafBits;
    return done(
      t.sids.map((sid) => cmd('CFGI_CD', { sid, ssid, leaf: false })),
      `CMD_CFGI_CD (SSID ${ssid}, leaf=0: the L1CD too) for SID ${t.sids.map((x) => hex(x)).join(', ')}`,
    );
  }
  return tlbi(sel, world, model);
}

function tlbi(sel: MemSel, world: World, model: DiagramModel): Invalidation {
  if (sel.stage === 2) {
    const vm = model.vms.find((v) =>
      v.s2.tables.some((t) => t.entries.some((x) => x.pa === sel.pa)),
    );
    if (!vm) return { ops: [], text: 'no VM is known to use these stage-2 tables' };
    return done([cmd('TLBI_S12_VMALL', { vmid: vm.vmid })], `CMD_TLBI_S12_VMALL (VMID ${vm.vmid})`);
  }
  const e = ttEntry(sel.pa, model);
  const tree = e && model.trees.find((t) => t.id === e.treeId);
  if (!e || !tree) return { ops: [], text: 'these tables are not in a tree the model knows' };
  // The CDs pointing at the tree: their ASIDs, and the streams that may cache them in an ATC.
  const rows = model.cdTables.flatMap((t) =>
    t.rows.filter((r) => r.tree === tree.id).map((r) => ({ r, t })),
  );
  if (rows.length === 0)
    return { ops: [], text: 'no CD points at these tables: the SMMU cannot have cached them' };
  const out: OpDoc[] = [];
  const asids = [...new Set(rows.map((x) => x.r.asid))];
  for (const asid of asids)
    out.push(
      e.kind === 'table'
        ? cmd('TLBI_NH_ASID', { asid })
        : cmd('TLBI_NH_VA', { asid, addr: hex(e.ia), leaf: false }),
    );
  const what =
    e.kind === 'table'
      ? `CMD_TLBI_NH_ASID (ASID ${asids.join(', ')})`
      : `CMD_TLBI_NH_VA (ASID ${asids.join(', ')}, VA ${hex(e.ia)})`;
  const ats = rows.flatMap(({ r, t }) =>
    model.streams
      .filter((s) => t.sids.includes(s.sid) && s.caps.includes('ATS'))
      .map((s) => ({ sid: s.sid, ssid: r.ssid })),
  );
  // Size 52: the whole address space (Linux arm_smmu_atc_inv_to_cmd for a full invalidation).
  for (const a of ats)
    out.push(cmd('ATC_INV', { sid: a.sid, ssid: a.ssid, addr: '0x0', size: 52 }));
  return done(out, ats.length ? `${what}, CMD_ATC_INV for ${ats.length} ATS stream(s)` : what);
}
