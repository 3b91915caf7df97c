// The actions a node offers, as ops ready for store.appendOp: "DMA here" reads through the SMMU
// from a device that uses the CD (so the walk ends at the row or entry the user picked), and
// "Bind to device…" binds a process to any device that can emit PASIDs.
import { assertNever } from '../../engine/index.ts';
import type { OpDoc } from '../../scenario/index.ts';
import { hexu, type DiagramModel, type StreamNode } from '../../diagram/index.ts';
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

export function menuFor(target: MenuTarget, m: DiagramModel): Menu {
  const streamsOf = (table: string) => m.streams.filter((s) => s.cdTable === table);
  switch (target.kind) {
    case 'process': {
      const p = target.proc;
      const bound = new Set(
        m.cdTables
          .filter((t) => t.rows.some((r) => r.owner.kind === 'process' && r.owner.name === p.name))
          .flatMap((t) => streamsOf(t.id).map((s) => s.dev)),
      );
      const items = m.streams.map((s): MenuItem => {
        const label = `${s.dev} (SID ${hexu(s.sid)})`;
        if (bound.has(s.dev)) return { label, disabled: 'already bound' };
        if (!s.caps.some((c) => c.endsWith('PASID')))
          return { label, disabled: 'no PASID support' };
        return { label, op: { op: 'bind', dev: s.dev, proc: p.name } };
      });
      return {
        title: `Bind ${p.name} to device…`,
        items: items.length ? items : [{ label: 'No devices', disabled: 'add a device first' }],
      };
    }
    case 'cd': {
      const addr = firstMapped(m, target.row.tree);
      const items = streamsOf(target.table)
        .slice(0, MAX_ITEMS)
        .map((s) => dma(s, target.row.ssid, addr));
      return {
        title: `DMA here: CD ${target.row.ssid}`,
        items: items.length
          ? items
          : [{ label: 'DMA here', disabled: 'no stream uses this CD table' }],
      };
    }
    case 'entry': {
      const items = m.cdTables
        .flatMap((t) =>
          t.rows
            .filter((r) => r.tree === target.tree)
            .flatMap((r) => streamsOf(t.id).map((s) => dma(s, r.ssid, target.entry.ia))),
        )
        .slice(0, MAX_ITEMS);
      return {
        title: `DMA here: ${hexu(target.entry.ia)}`,
        items: items.length
          ? items
          : [
              {
                label: 'DMA here',
                disabled: 'no device walks these tables (bind the process first)',
              },
            ],
      };
    }
    default:
      return assertNever(target, 'menu target');
  }
}
