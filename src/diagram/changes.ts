// What one op changed, keyed by the diagram model's ids: a structure that exists only after the op
// is new, one that exists only before is removed, and one in both is changed when the op wrote a
// different value into any of its words (record.writes) or its decoded content differs (an owner
// added to a tree, a process given a PASID). A change inside a table marks the table and its
// tree as changed too, so it shows even while they are folded.
import type { MemWrite } from '../engine/index.ts';
import { hexu } from './format.ts';
import type { DiagramModel } from './model.ts';

export type ChangeKind = 'new' | 'changed' | 'removed';

export interface RemovedItem {
  readonly id: string;
  readonly label: string;
}

export interface Changes {
  readonly byId: ReadonlyMap<string, ChangeKind>;
  /** Removed structures, outermost only (a removed table's entries are not listed again). */
  readonly removed: readonly RemovedItem[];
  /** Memory words whose value the op changed. */
  readonly words: number;
}

export const NO_CHANGES: Changes = { byId: new Map(), removed: [], words: 0 };

interface Item {
  readonly label: string;
  /** Content signature: equal before and after = unchanged (unless a word in range was written). */
  readonly sig: string;
  /** First byte and length of the memory it occupies. */
  readonly pa?: bigint;
  readonly bytes?: bigint;
  readonly parents: readonly string[];
}

const words = (ws: readonly bigint[]): string => ws.map((w) => w.toString(16)).join(',');

function items(m: DiagramModel): Map<string, Item> {
  const out = new Map<string, Item>();
  for (const s of m.streams)
    out.set(s.id, {
      label: `STE ${hexu(s.sid)} (${s.dev})`,
      sig: `${words(s.ste)}|${s.cdTable ?? ''}`,
      pa: s.stePa,
      bytes: 64n,
      parents: [],
    });
  for (const t of m.cdTables) {
    out.set(t.id, {
      label: `CD table of ${t.domain}`,
      sig: `${t.base}|${t.fmt}|${t.s1cdmax}|${t.sids.join(',')}`,
      parents: [],
    });
    for (const l of t.l1)
      out.set(`l1cd:${t.domain}:${l.index}`, {
        label: `L1CD ${l.index} of ${t.domain}`,
        sig: l.word.toString(16),
        pa: l.pa,
        bytes: 8n,
        parents: [t.id],
      });
    for (const r of t.rows)
      out.set(r.id, {
        label: `CD ${r.ssid} of ${t.domain}`,
        sig: words(r.words),
        pa: r.pa,
        bytes: 64n,
        parents: [t.id],
      });
  }
  for (const tr of m.trees) {
    out.set(tr.id, {
      label: `tree at ${hexu(tr.root)}`,
      sig: tr.owners.map((o) => o.label).join(','),
      parents: [],
    });
    const page = 1n << BigInt(tr.g);
    for (const t of tr.tables) {
      out.set(t.id, {
        label: `L${t.level} table ${hexu(t.pa)}`,
        sig: '',
        pa: t.pa,
        bytes: page,
        parents: [tr.id],
      });
      for (const e of t.entries)
        out.set(`pte:${e.pa.toString(16)}`, {
          label: `L${t.level}[${e.index}] ${hexu(e.ia)} → ${hexu(e.target)}`,
          sig: e.desc.toString(16),
          pa: e.pa,
          bytes: 8n,
          parents: [t.id, tr.id],
        });
    }
  }
  for (const p of m.processes)
    out.set(p.id, {
      label: `process ${p.name}`,
      sig: JSON.stringify([
        p.pid,
        p.asid,
        p.asidPinned,
        p.pasid ?? null,
        p.pages,
        p.pinned,
        p.vmas.map((v) => [`${v.start}`, `${v.end}`, v.prot]),
      ]),
      parents: [],
    });
  return out;
}

function touched(it: Item, written: ReadonlySet<bigint>): boolean {
  if (it.pa === undefined || it.bytes === undefined || written.size === 0) return false;
  for (let a = it.pa; a < it.pa + it.bytes; a += 8n) if (written.has(a)) return true;
  return false;
}

export function opChanges(
  before: DiagramModel,
  after: DiagramModel,
  writes: readonly MemWrite[],
): Changes {
  // Net effect per word: a word written and then restored within the op did not change.
  const first = new Map<bigint, bigint>();
  const last = new Map<bigint, bigint>();
  for (const w of writes) {
    if (!first.has(w.pa)) first.set(w.pa, w.old);
    last.set(w.pa, w.new);
  }
  const written = new Set([...last].filter(([pa, v]) => first.get(pa) !== v).map(([pa]) => pa));
  const a = items(before);
  const b = items(after);
  const byId = new Map<string, ChangeKind>();
  for (const [id, it] of b) {
    const old = a.get(id);
    if (!old) byId.set(id, 'new');
    else if (old.sig !== it.sig || touched(it, written)) byId.set(id, 'changed');
  }
  const removed: RemovedItem[] = [];
  for (const [id, it] of a) {
    if (b.has(id)) continue;
    byId.set(id, 'removed');
    if (!it.parents.some((p) => !b.has(p))) removed.push({ id, label: it.label });
  }
  // Bubble up: any change to an entry or row changes the table (and tree) that holds it.
  for (const id of [...byId.keys()]) {
    const it = b.get(id) ?? a.get(id);
    for (const p of it?.parents ?? []) if (b.has(p) && !byId.has(p)) byId.set(p, 'changed');
  }
  return { byId, removed, words: written.size };
}
