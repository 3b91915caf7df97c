// The actions a node offers, as ops ready for store.appendOp. Every focusable card has a menu
// (the "⋯" button, right click, Shift+F10 or the context-menu key): "DMA here" reads through the
// SMMU from a device that uses the CD (so the walk ends at the row or entry the user picked); a
// process and a device offer binding one to the other, and unbinding what is bound.
import { assertNever } from '../../engine/index.ts';
import type { OpDoc } from '../../scenario/index.ts';
import {
  hexu,
  type CdRow,
  type DiagramModel,
  type Owner,
  type ProcessNode,
  type StreamNode,
} from '../../diagram/index.ts';
import type { MenuTarget } from './types.ts';

export interface MenuItem {
  readonly label: string;
  readonly op?: OpDoc;
  /** Why the item cannot be used (shown instead of running it). */
  readonly disabled?: string;
}

export interface Menu {
  readonly title: string;
  readonly items: readonly MenuItem[];
}

const MAX_ITEMS = 8;

function dma(s: StreamNode, ssid: number, addr: bigint): MenuItem {
  const op: OpDoc = {
    op: 'dma',
    dev: s.dev,
    ...(ssid !== 0 ? { pasid: ssid } : {}),
    addr: '0x' + addr.toString(16),
    access: 'r',
  };
  return { label: `DMA read by ${s.dev}${ssid ? ` · PASID ${ssid}` : ''} @ ${hexu(addr)}`, op };
}

/** The first input address the tree maps, so a DMA "at the row" translates. */
function firstMapped(m: DiagramModel, tree: string | undefined): bigint {
  const t = m.trees.find((x) => x.id === tree);
  const leaves = t?.tables.flatMap((x) => x.entries).filter((e) => e.kind !== 'table') ?? [];
  return (
    leaves.reduce<bigint | undefined>(
      (lo, e) => (lo === undefined || e.ia < lo ? e.ia : lo),
      undefined,
    ) ?? 0n
  );
}

/** The process a CD row belongs to as a bond (SVA, private tables, or exited while bound). */
function bondOf(o: Owner): string | undefined {
  switch (o.kind) {
    case 'process':
    case 'exited':
      return o.name;
    case 'private':
      return o.proc;
    case 'domain':
    case 'unknown':
      return undefined;
    default:
      return assertNever(o, 'owner');
  }
}

/** Whether `proc` has a bond with `s`: a row of the stream's CD table belongs to it. */
function bound(m: DiagramModel, s: StreamNode, proc: string): boolean {
  const t = m.cdTables.find((x) => x.id === s.cdTable);
  return !!t?.rows.some((r) => bondOf(r.owner) === proc);
}

/** Bind or unbind `p` and `s`, whichever applies; `label` names the other side. */
function bondItem(m: DiagramModel, s: StreamNode, p: ProcessNode, label: string): MenuItem {
  if (bound(m, s, p.name))
    return { label: `Unbind ${label}`, op: { op: 'unbind', dev: s.dev, proc: p.name } };
  if (!s.caps.some((c) => c.endsWith('PASID')))
    return { label: `Bind ${label}`, disabled: 'no PASID support' };
  return { label: `Bind ${label}`, op: { op: 'bind', dev: s.dev, proc: p.name } };
}

const orNone = (items: readonly MenuItem[], none: MenuItem): readonly MenuItem[] =>
  items.length ? items.slice(0, MAX_ITEMS) : [none];

export function menuFor(target: MenuTarget, m: DiagramModel): Menu {
  const streamsOf = (table: string | undefined) => m.streams.filter((s) => s.cdTable === table);
  /** A read by every stream of the table through CD `row`, at the first address it maps. */
  const rowDmas = (table: string, row: CdRow) =>
    streamsOf(table).map((s) => dma(s, row.ssid, firstMapped(m, row.tree)));
  /** A read at `ia` through every CD row whose tables are `tree`. */
  const treeDmas = (tree: string, ia: bigint) =>
    m.cdTables.flatMap((t) =>
      t.rows
        .filter((r) => r.tree === tree)
        .flatMap((r) => streamsOf(t.id).map((s) => dma(s, r.ssid, ia))),
    );
  const noWalker: MenuItem = {
    label: 'DMA here',
    disabled: 'no device walks these tables (bind the process first)',
  };
  switch (target.kind) {
    case 'process': {
      const p = target.proc;
      const items = m.streams.map((s) => bondItem(m, s, p, `${s.dev} (SID ${hexu(s.sid)})`));
      return {
        title: `Process ${p.name}: bind or unbind`,
        items: orNone(items, { label: 'No devices', disabled: 'add a device first' }),
      };
    }
    case 'stream': {
      const s = target.stream;
      const t = m.cdTables.find((x) => x.id === s.cdTable);
      const items = [
        ...(t?.rows.map((r) => dma(s, r.ssid, firstMapped(m, r.tree))) ?? []),
        ...m.processes.map((p) => bondItem(m, s, p, p.name)),
      ];
      return {
        title: `Device ${s.dev}`,
        items: orNone(items, { label: 'No actions', disabled: 'attach it to a domain first' }),
      };
    }
    case 'cdtable': {
      const t = m.cdTables.find((x) => x.id === target.table);
      const items = t?.rows.flatMap((r) => rowDmas(t.id, r)) ?? [];
      return {
        title: `DMA here: CD table of ${t?.domain ?? target.table}`,
        items: orNone(items, { label: 'DMA here', disabled: 'no stream uses this CD table' }),
      };
    }
    case 'cd':
      return {
        title: `DMA here: CD ${target.row.ssid}`,
        items: orNone(rowDmas(target.table, target.row), {
          label: 'DMA here',
          disabled: 'no stream uses this CD table',
        }),
      };
    case 'tree': {
      const ia = firstMapped(m, target.tree);
      return { title: `DMA here: ${hexu(ia)}`, items: orNone(treeDmas(target.tree, ia), noWalker) };
    }
    case 'entry':
      return {
        title: `DMA here: ${hexu(target.entry.ia)}`,
        items: orNone(treeDmas(target.tree, target.entry.ia), noWalker),
      };
    default:
      return assertNever(target, 'menu target');
  }
}
