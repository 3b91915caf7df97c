// One scenario under two kernel eras, side by side: which ops' results differ, and for one op both
// results — return value, errno, commands, events, page requests, the DMA outcome, the STE and CD
// words field by field, and which caches differ. Pure: the Eras tab, the timeline's marks and the
// tests read it.
//
// An op's results are what it returned and sent (status, errno, return value, commands, events,
// page requests, the DMA outcome) and the STE and CD words it leaves behind. Physical addresses
// (a touch's or a map's PA, a DMA's output address, TTB0, S1ContextPtr …) differ whenever two eras
// allocate different tables — v6.7's per-master CD tables shift every later frame — so an op whose
// results differ only there is `address`, not `differs`: the timeline marks the ops that differ in
// anything else, and the side-by-side view shows both kinds.
import { hex, hex64, type ConsumedCommand } from '../engine/index.ts';
import {
  ADDRESS_FIELDS,
  cdIndices,
  changes,
  fieldText,
  structureMap,
  structuresOf,
} from './eraStructures.ts';
import { runOp, type OpRecord } from './run.ts';
import type { Timeline } from './timeline.ts';
import type { World } from './world.ts';

/** How op i's results compare: the same, only in physical addresses, or in something else. */
export type OpDiffKind = 'same' | 'address' | 'differs';

const commandKey = (c: ConsumedCommand): string =>
  `${c.command?.name ?? 'CERROR'} ${c.raw.map(hex64).join(' ')}${c.error ? ` ${c.error}` : ''}`;

/** What an op returned and sent, physical addresses left out. */
function semanticKey(r: OpRecord): string {
  return JSON.stringify({
    status: r.status,
    error: r.error,
    pasid: r.pasid,
    pid: r.pid,
    bytes: r.bytes?.toString(),
    pages: r.pages,
    commands: r.commands.map(commandKey),
    events: r.events.map((e) => e.raw.map(hex64)),
    pageRequests: r.pageRequests.map((p) => p.raw.map(hex64)),
    dma: r.dma && {
      outcome: r.dma.outcome,
      tlb: r.dma.tlb,
      then: r.dma.attempts.map((a) => a.then?.response ?? a.outcome.type),
      totals: r.dma.totals,
    },
  });
}

const addressKey = (r: OpRecord): string =>
  `${r.pa?.toString(16) ?? ''}/${r.dma?.pa?.toString(16) ?? ''}`;

/** How two records compare (without the structures they leave: diffOps adds those). */
export function diffKind(a: OpRecord, b: OpRecord): OpDiffKind {
  if (semanticKey(a) !== semanticKey(b)) return 'differs';
  return addressKey(a) === addressKey(b) ? 'same' : 'address';
}

/**
 * Per op index, how the two runs' results compare (both timelines hold the same ops). Replays both
 * in step from boot; after each op that wrote memory, what it changed in the STEs and CDs (each
 * structure it changed and the words it left, addresses aside) is part of its results.
 */
export function diffOps(a: Timeline, b: Timeline): OpDiffKind[] {
  const n = Math.min(a.length, b.length);
  const wa = a.stateAt(0);
  const wb = b.stateAt(0);
  let sa = structureMap(wa);
  let sb = structureMap(wb);
  const out: OpDiffKind[] = [];
  for (let i = 0; i < n; i++) {
    const ra = runOp(wa, a.scenario.ops[i]!, i);
    const rb = runOp(wb, b.scenario.ops[i]!, i);
    const kind = diffKind(ra, rb);
    if (ra.writes.length === 0 && rb.writes.length === 0) {
      out.push(kind);
      continue;
    }
    const na = structureMap(wa);
    const nb = structureMap(wb);
    const changed = changes(sa, na) !== changes(sb, nb);
    [sa, sb] = [na, nb];
    out.push(changed ? 'differs' : kind);
  }
  return out;
}

/** One compared value: era A's, era B's, and whether they differ. */
export interface Pair {
  readonly label: string;
  readonly a: string;
  readonly b: string;
  readonly differs: boolean;
  /** A physical address: differs when the eras allocate differently. */
  readonly address?: boolean;
}

export interface ListPair {
  readonly label: string;
  readonly a: readonly string[];
  readonly b: readonly string[];
  readonly differs: boolean;
}

/** An STE or a CD, field by field, after the op. */
export interface StructurePair {
  /** "STE of gpu (SID 0x100)", "CD 1 of gpu". */
  readonly title: string;
  readonly fields: readonly Pair[];
  /** Any field (or whether it could be read) differs. */
  readonly differs: boolean;
}

export interface OpComparison {
  readonly index: number;
  readonly kind: OpDiffKind;
  /** Status, errno, return value, physical address, DMA outcome. */
  readonly result: readonly Pair[];
  readonly commands: ListPair;
  readonly events: ListPair;
  readonly pageRequests: ListPair;
  /** The STEs and CDs the op changed under either era, and its own device's. */
  readonly structures: readonly StructurePair[];
  /** TLB, ATC and configuration cache contents after the op (physical addresses left out). */
  readonly caches: readonly ListPair[];
}

const pair = (label: string, a: string, b: string, address = false): Pair => ({
  label,
  a,
  b,
  differs: a !== b,
  ...(address ? { address } : {}),
});
const listPair = (label: string, a: readonly string[], b: readonly string[]): ListPair => ({
  label,
  a,
  b,
  differs: JSON.stringify(a) !== JSON.stringify(b),
});

function returnValue(r: OpRecord): string {
  const parts: string[] = [];
  if (r.pasid !== undefined) parts.push(`PASID ${r.pasid}`);
  if (r.pid !== undefined) parts.push(`pid ${r.pid}`);
  if (r.bytes !== undefined) parts.push(`${hex(r.bytes)} bytes`);
  if (r.pages !== undefined) parts.push(`${r.pages} page(s)`);
  if (r.op.op === 'map' && r.status === 'ok' && r.pa === undefined)
    parts.push('0 (nothing mapped)');
  return parts.join(', ') || '—';
}

function dmaOutcome(r: OpRecord): string {
  const d = r.dma;
  if (!d) return '—';
  const then = d.attempts.flatMap((a) => (a.then ? [`${a.then.by} ${a.then.response}`] : []));
  const totals = d.totals ? `; ${d.totals.translated} translated, ${d.totals.faults} faulted` : '';
  return `${d.outcome}${then.length ? ` after ${then.join(', ')}` : ''} (TLB ${d.tlb}${totals})`;
}

const commandText = (c: ConsumedCommand): string => {
  const f = c.command
    ? Object.entries(c.command.fields)
        .filter(([k, v]) => v !== 0n || k === 'ASID' || k === 'StreamID')
        .map(([k, v]) => `${k}=${k === 'Address' ? hex(v) : v.toString()}`)
        .join(' ')
    : '';
  return `${c.command?.name ?? 'CERROR'}${f ? ` ${f}` : ''}${c.error ? ` (${c.error})` : ''}`;
};

function fieldPairs(a: object | string, b: object | string): Pair[] {
  if (typeof a === 'string' || typeof b === 'string') {
    const text = (x: object | string): string => (typeof x === 'string' ? x : 'present');
    return [pair('entry', text(a), text(b))];
  }
  const av = a as Record<string, unknown>;
  const bv = b as Record<string, unknown>;
  return Object.keys(av).map((k) =>
    pair(k, fieldText(av[k]), fieldText(bv[k]), ADDRESS_FIELDS.has(k)),
  );
}

/** The devices of either world, the op's own first; with their StreamIDs. */
function devicesOf(a: World, b: World, op: OpRecord['op']): { name: string; sid: number }[] {
  const out = new Map<string, number>();
  const own = 'dev' in op && typeof op.dev === 'string' ? op.dev : undefined;
  for (const w of [a, b]) {
    const d = own ? w.kernel?.devices.get(own) : undefined;
    if (d) out.set(d.name, d.sid);
  }
  for (const w of [a, b]) for (const d of w.kernel?.devices.values() ?? []) out.set(d.name, d.sid);
  return [...out].map(([name, sid]) => ({ name, sid }));
}

/**
 * The STEs and CDs to show for op `r`: its own device's STE and CD (the PASID it names or
 * returns), and every one the op changed under either era (`changed`: structureMap keys).
 */
function compareStructures(
  a: World,
  b: World,
  r: OpRecord,
  changed: ReadonlySet<string>,
): StructurePair[] {
  const out: StructurePair[] = [];
  const own = 'dev' in r.op && typeof r.op.dev === 'string' ? r.op.dev : undefined;
  const opPasid = 'pasid' in r.op && typeof r.op.pasid === 'number' ? r.op.pasid : undefined;
  const ownPasid = r.pasid ?? opPasid;
  const indices = cdIndices(a, b, ownPasid);
  for (const { name, sid } of devicesOf(a, b, r.op)) {
    const sa = structuresOf(a, sid, indices);
    const sb = structuresOf(b, sid, indices);
    const mine = name === own;
    const steFields = fieldPairs(sa.ste, sb.ste);
    const steDiffers = steFields.some((f) => f.differs && !f.address);
    if (mine || changed.has(`STE ${name}`))
      out.push({
        title: `STE of ${name} (SID ${hex(sid)})`,
        fields: steFields,
        differs: steDiffers,
      });
    for (const i of indices) {
      const ca = sa.cds.get(i) ?? 'no valid CD';
      const cb = sb.cds.get(i) ?? 'no valid CD';
      const fields = fieldPairs(ca, cb);
      const differs = fields.some((f) => f.differs && !f.address);
      const present = sa.cds.has(i) || sb.cds.has(i);
      if (changed.has(`CD ${i} ${name}`) || (mine && i === ownPasid && present))
        out.push({ title: `CD ${i} of ${name}`, fields, differs });
    }
  }
  return out;
}

const permText = (p: { read: boolean; write: boolean; exec: boolean; priv: boolean }): string =>
  `${p.read ? 'r' : '-'}${p.write ? 'w' : '-'}${p.exec ? 'x' : '-'}${p.priv ? ' priv' : ''}`;

/** Cache contents after the op, physical addresses left out, sorted. */
function cachesOf(w: World): { tlb: string[]; atc: string[]; cfg: string[] } {
  const tlb = w.smmu.tlb
    .entries()
    .map(
      (e) =>
        `${e.stage} ${e.asid < 0 ? 'global' : `ASID ${e.asid}${e.aset ? ' ASET' : ''}`} VMID ${e.vmid} ${hex(e.ia)}/${e.sizeShift} (SID ${hex(e.sid)}${e.ssid !== undefined ? ` SSID ${e.ssid}` : ''})`,
    );
  const atc = w.smmu.atc
    .entries()
    .map(
      (e) =>
        `SID ${hex(e.sid)}${e.ssid !== undefined ? ` PASID ${e.ssid}` : ''} ${hex(e.ia)}/${e.sizeShift} ${permText(e)}`,
    );
  const cfg = w.smmu.cfg.entries().map((e) => {
    if (e.kind === 'ste') return `STE SID ${hex(e.sid)} Config ${e.view.Config}`;
    if (e.kind === 'cd')
      return `CD SID ${hex(e.sid)} SSID ${e.ssid} V=${Number(e.view.V)} ASID ${e.view.ASID} ASET=${Number(e.view.ASET)} EPD0=${Number(e.view.EPD0)}`;
    return `${e.kind.toUpperCase()} ${e.kind === 'l1cd' ? `SID ${hex(e.sid)} ` : ''}[${e.index}]`;
  });
  return { tlb: tlb.sort(), atc: atc.sort(), cfg: cfg.sort() };
}

/**
 * Op `index` under both eras, side by side (the worlds after it). `indexB` (default: the same)
 * picks another op of `b`: two moments of two scenarios (Share's "Compare with a link").
 */
export function compareAt(
  a: Timeline,
  b: Timeline,
  index: number,
  indexB: number = index,
): OpComparison {
  const ra = a.records[index]!;
  const rb = b.records[indexB]!;
  const wa = a.stateAt(index + 1);
  const wb = b.stateAt(indexB + 1);
  const ca = cachesOf(wa);
  const cb = cachesOf(wb);
  const [ba, aa] = [structureMap(a.stateAt(index)), structureMap(wa)];
  const [bb, ab] = [structureMap(b.stateAt(indexB)), structureMap(wb)];
  const changed = changes(ba, aa) !== changes(bb, ab);
  const touched = new Set<string>();
  for (const [before, after] of [
    [ba, aa],
    [bb, ab],
  ] as const)
    for (const k of new Set([...before.keys(), ...after.keys()]))
      if (before.get(k) !== after.get(k)) touched.add(k);
  const kind = diffKind(ra, rb);
  return {
    index,
    kind: changed ? 'differs' : kind,
    result: [
      pair('status', ra.status, rb.status),
      pair('errno', ra.error ?? '—', rb.error ?? '—'),
      pair('return value', returnValue(ra), returnValue(rb)),
      pair(
        'physical address',
        ra.pa === undefined ? '—' : hex(ra.pa),
        rb.pa === undefined ? '—' : hex(rb.pa),
        true,
      ),
      pair('DMA outcome', dmaOutcome(ra), dmaOutcome(rb)),
      pair(
        'DMA output address',
        ra.dma?.pa === undefined ? '—' : hex(ra.dma.pa),
        rb.dma?.pa === undefined ? '—' : hex(rb.dma.pa),
        true,
      ),
    ],
    commands: listPair('commands', ra.commands.map(commandText), rb.commands.map(commandText)),
    events: listPair(
      'events',
      ra.events.map((e) => `${e.event.name} SID ${hex(e.event.sid)} ${hex(e.event.addr)}`),
      rb.events.map((e) => `${e.event.name} SID ${hex(e.event.sid)} ${hex(e.event.addr)}`),
    ),
    pageRequests: listPair(
      'page requests',
      ra.pageRequests.map((p) => `SID ${hex(p.request.sid)} ${hex(p.request.addr)}`),
      rb.pageRequests.map((p) => `SID ${hex(p.request.sid)} ${hex(p.request.addr)}`),
    ),
    structures: compareStructures(wa, wb, ra, touched),
    caches: [
      listPair('TLB', ca.tlb, cb.tlb),
      listPair('ATC', ca.atc, cb.atc),
      listPair('configuration cache', ca.cfg, cb.cfg),
    ],
  };
}
