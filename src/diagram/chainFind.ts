// Finding the diagram model's structures by what the hardware and the ops name them with: a
// physical address (an STE or CD anywhere inside its 64 bytes, an 8-byte L1 or translation-table
// descriptor, a table page by its range), a StreamID, a device, a process or a domain, and the
// path a VA takes through a tree. Pure lookups over the model, for the chain (chain.ts).
import type { CdRow, CdTableNode, DiagramModel, StreamNode, TreeNode } from './model.ts';
import { l1stdId } from './modelTables.ts';
import type { TreeEntry, TreeTable } from './tree.ts';

/** STEs and CDs are 64 bytes, 64-byte aligned (§5.2, §5.4); descriptors 8 bytes. */
const base64 = (pa: bigint): bigint => pa & ~63n;
const base8 = (pa: bigint): bigint => pa & ~7n;

export const entryIdOf = (pa: bigint): string => `pte:${base8(pa).toString(16)}`;

export interface Found {
  /** The structure's own id and the ids of what holds it (its table, its tree). */
  readonly ids: readonly string[];
  readonly tree?: TreeNode;
  readonly table?: TreeTable;
  readonly entry?: TreeEntry;
}

/** The table page of `tree` holding the descriptor at `pa` (a table page is one granule). */
export function tableHolding(tree: TreeNode, pa: bigint): TreeTable | undefined {
  const bytes = 1n << BigInt(tree.g);
  return tree.tables.find((t) => pa >= t.pa && pa < t.pa + bytes);
}

/** The structure containing `pa`: an STE, L1STD, L1CD, CD, or a translation table descriptor. */
export function findByPa(m: DiagramModel, pa: bigint): Found | undefined {
  const s = m.streams.find((x) => x.ste.length > 0 && x.stePa === base64(pa));
  if (s) return { ids: [s.id, m.strtab.id, ...l1stdOf(m, s.sid)] };
  const l1std = m.strtab.l1.find((l) => l.pa === base8(pa));
  if (l1std) return { ids: [l1std.id, m.strtab.id] };
  for (const t of m.cdTables) {
    const l1 = t.l1.find((l) => l.pa === base8(pa));
    if (l1) return { ids: [`l1cd:${t.domain}:${l1.index}`, t.id] };
    const r = t.rows.find((x) => x.pa === base64(pa));
    if (r) return { ids: [r.id, t.id, ...l1cdOf(t, r.ssid)] };
  }
  for (const tree of m.trees) {
    const table = tableHolding(tree, pa);
    if (!table) continue;
    const entry = table.entries.find((e) => e.pa === base8(pa));
    return {
      ids: [...(entry ? [entryIdOf(entry.pa)] : []), table.id, tree.id],
      tree,
      table,
      ...(entry ? { entry } : {}),
    };
  }
  return undefined;
}

/** The L1STD covering `sid` when the stream table is 2-level (its id, or none). */
export function l1stdOf(m: DiagramModel, sid: number): string[] {
  if (m.strtab.fmt !== '2level') return [];
  const i = sid >>> m.strtab.split;
  return m.strtab.l1.some((l) => l.index === i) ? [l1stdId(i)] : [];
}

/** The L1CD covering CD `ssid` of a 2-level CD table (Linux: 1024-CD leaves). */
export function l1cdOf(t: CdTableNode, ssid: number): string[] {
  if (t.fmt !== '2level') return [];
  const i = ssid >>> 10;
  return t.l1.some((l) => l.index === i) ? [`l1cd:${t.domain}:${i}`] : [];
}

export const streamOfDev = (m: DiagramModel, dev: string): StreamNode | undefined =>
  m.streams.find((s) => s.dev === dev);

export const streamOfSid = (m: DiagramModel, sid: number): StreamNode | undefined =>
  m.streams.find((s) => s.sid === sid);

export const tableOfStream = (m: DiagramModel, s: StreamNode): CdTableNode | undefined =>
  m.cdTables.find((t) => t.id === s.cdTable);

export const treeById = (m: DiagramModel, id: string | undefined): TreeNode | undefined =>
  id === undefined ? undefined : m.trees.find((t) => t.id === id);

export function rowOf(t: CdTableNode | undefined, ssid: number): CdRow | undefined {
  return t?.rows.find((r) => r.ssid === ssid);
}

/**
 * The path `va` takes through `tree`: the table pages from the root down and the valid entry
 * read in each, ending at the leaf (or where the path stops: an invalid entry, a missing table).
 */
export function pathOf(
  tree: TreeNode,
  va: bigint,
): { tables: TreeTable[]; entries: TreeEntry[]; leaf: TreeEntry | undefined } {
  const byPa = new Map(tree.tables.map((t) => [t.pa, t]));
  const tables: TreeTable[] = [];
  const entries: TreeEntry[] = [];
  let t = tree.tables.find((x) => !x.parent);
  while (t && tables.length < 4) {
    tables.push(t);
    const e = t.entries.find((x) => va >= x.ia && va < x.ia + x.size);
    if (!e) return { tables, entries, leaf: undefined };
    entries.push(e);
    if (e.kind !== 'table') return { tables, entries, leaf: e };
    t = byPa.get(e.target);
  }
  return { tables, entries, leaf: undefined };
}
