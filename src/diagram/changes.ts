// What one op changed, keyed by the diagram model's ids: a structure that exists only after the op
// is new, one that exists only before is removed, and one in both is changed when the op wrote a
// different value into any of its words (record.writes) or its decoded content differs (an owner
// added to a tree, a process given a PASID). A change inside a table marks the table and its
// tree as changed too, so it shows even while they are folded.
import type { MemWrite } from '../engine/index.ts';
import { hexu } from './format.ts';
import type { DiagramModel } from './model.ts';
import type { TreeEntry, TreeTable } from './tree.ts';

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
  /** Named only for a removed structure (most never are: formatting every label cost more than the diff). */
  readonly label: () => string;
  /** Content signature: equal before and after = unchanged (unless a word in range was written). */
  readonly sig: string | bigint;
  /** First byte and length of the memory it occupies. */
  readonly pa?: bigint;
  readonly bytes?: bigint;
  readonly parents: readonly string[];
}

const words = (ws: readonly bigint[]): string => ws.map((w) => w.toString(16)).join(',');

function items(m: DiagramModel, quiet: ReadonlySet<string>): Map<string, Item> {
  const out = new Map<string, Item>();
  for (const s of m.streams)
    out.set(s.id, {
      label: () => `STE ${hexu(s.sid)} (${s.dev})`,
      sig: `${words(s.ste)}|${s.cdTable ?? ''}`,
      pa: s.stePa,
      bytes: 64n,
      parents: [],
    });
  for (const t of m.cdTables) {
    out.set(t.id, {
      label: () => `CD table of ${t.domain}`,
      sig: `${t.base}|${t.fmt}|${t.s1cdmax}|${t.sids.join(',')}`,
      parents: [],
    });
    for (const l of t.l1)
      out.set(`l1cd:${t.domain}:${l.index}`, {
        label: () => `L1CD ${l.index} of ${t.domain}`,
        sig: l.word,
        pa: l.pa,
        bytes: 8n,
        parents: [t.id],
      });
    for (const r of t.rows)
      out.set(r.id, {
        label: () => `CD ${r.ssid} of ${t.domain}`,
        sig: words(r.words),
        pa: r.pa,
        bytes: 64n,
        parents: [t.id],
      });
  }
  for (const tr of m.trees) {
    out.set(tr.id, {
      label: () => `tree at ${hexu(tr.root)}`,
      sig: tr.owners.map((o) => o.label).join(','),
      parents: [],
    });
    const page = 1n << BigInt(tr.g);
    for (const t of tr.tables) {
      out.set(t.id, {
        label: () => `L${t.level} table ${hexu(t.pa)}`,
        sig: '',
        pa: t.pa,
        bytes: page,
        parents: [tr.id],
      });
      if (quiet.has(t.id)) continue;
      // One parents array per table: a 64 MB buffer has thousands of entries.
      const parents = [t.id, tr.id];
      for (const e of t.entries)
        out.set(`pte:${e.pa.toString(16)}`, {
          label: () => `L${t.level}[${e.index}] ${hexu(e.ia)} → ${hexu(e.target)}`,
          sig: e.desc,
          pa: e.pa,
          bytes: 8n,
          parents,
        });
    }
  }
  for (const p of m.processes)
    out.set(p.id, {
      label: () => `process ${p.name}`,
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

/**
 * Tables whose entries cannot have changed: in both models, each time with the same entries
 * (address and descriptor) and no word of the page written. Their entries would each be found
 * in both models, equal and untouched, so the diff leaves them out rather than list thousands of
 * them (a 64 MB buffer) twice per op. None when two tables' pages overlap (mixed granules), where
 * an entry could belong to a table that is not quiet.
 */
function quietTables(
  before: DiagramModel,
  after: DiagramModel,
  written: ReadonlySet<bigint>,
): Set<string> {
  const seen = new Map<string, { t: TreeTable; page: bigint; same: boolean; in: number }>();
  const ranges: [bigint, bigint][] = [];
  const note = (m: DiagramModel, side: number) => {
    for (const tr of m.trees) {
      const page = 1n << BigInt(tr.g);
      for (const t of tr.tables) {
        const s = seen.get(t.id);
        if (!s) {
          seen.set(t.id, { t, page, same: true, in: side });
          ranges.push([t.pa, t.pa + page]);
        } else {
          s.in |= side;
          if (s.same && (s.page !== page || !sameEntries(s.t.entries, t.entries))) s.same = false;
        }
      }
    }
  };
  note(before, 1);
  note(after, 2);
  ranges.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  for (let i = 1; i < ranges.length; i++) if (ranges[i]![0] < ranges[i - 1]![1]) return new Set();
  const words = [...written].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const quiet = new Set<string>();
  for (const [id, s] of seen) {
    if (s.in !== 3 || !s.same) continue;
    // The first written word at or above the table's base, by bisection.
    let lo = 0;
    let hi = words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (words[mid]! < s.t.pa) lo = mid + 1;
      else hi = mid;
    }
    if (lo === words.length || words[lo]! >= s.t.pa + s.page) quiet.add(id);
  }
  return quiet;
}

function sameEntries(x: readonly TreeEntry[], y: readonly TreeEntry[]): boolean {
  if (x === y) return true;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++)
    if (x[i]!.pa !== y[i]!.pa || x[i]!.desc !== y[i]!.desc) return false;
  return true;
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
  const quiet = quietTables(before, after, written);
  const a = items(before, quiet);
  const b = items(after, quiet);
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
    if (!it.parents.some((p) => !b.has(p))) removed.push({ id, label: it.label() });
  }
  // Bubble up: any change to an entry or row changes the table (and tree) that holds it.
  for (const id of [...byId.keys()]) {
    const it = b.get(id) ?? a.get(id);
    for (const p of it?.parents ?? []) if (b.has(p) && !byId.has(p)) byId.set(p, 'changed');
  }
  return { byId, removed, words: written.size };
}
