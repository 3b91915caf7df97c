// The diff leaves out the entries of tables nothing touched (changes.ts quietTables): checked
// against the plain definition — every structure of both models listed, compared one by one —
// over every op of every shipped scenario (the stress scenario among them), in byId order too.
import { describe, expect, it } from 'vitest';
import type { MemWrite } from '../engine/index.ts';
import { loadPresets, type ScenarioDoc } from '../scenario/index.ts';
import { opChanges, type ChangeKind } from './changes.ts';
import type { DiagramModel } from './model.ts';
import { modelAt, timelineOf } from './testkit.ts';

/** Every structure of a model with its signature, range and parents (the definition). */
function all(m: DiagramModel) {
  const out = new Map<string, { sig: string; pa?: bigint; bytes?: bigint; parents: string[] }>();
  const ws = (w: readonly bigint[]) => w.map((x) => x.toString(16)).join(',');
  for (const s of m.streams)
    out.set(s.id, { sig: `${ws(s.ste)}|${s.cdTable ?? ''}`, pa: s.stePa, bytes: 64n, parents: [] });
  for (const t of m.cdTables) {
    out.set(t.id, { sig: `${t.base}|${t.fmt}|${t.s1cdmax}|${t.sids.join(',')}`, parents: [] });
    for (const l of t.l1)
      out.set(`l1cd:${t.domain}:${l.index}`, {
        sig: l.word.toString(16),
        pa: l.pa,
        bytes: 8n,
        parents: [t.id],
      });
    for (const r of t.rows)
      out.set(r.id, { sig: ws(r.words), pa: r.pa, bytes: 64n, parents: [t.id] });
  }
  for (const tr of m.trees) {
    out.set(tr.id, { sig: tr.owners.map((o) => o.label).join(','), parents: [] });
    for (const t of tr.tables) {
      out.set(t.id, { sig: '', pa: t.pa, bytes: 1n << BigInt(tr.g), parents: [tr.id] });
      for (const e of t.entries)
        out.set(`pte:${e.pa.toString(16)}`, {
          sig: e.desc.toString(16),
          pa: e.pa,
          bytes: 8n,
          parents: [t.id, tr.id],
        });
    }
  }
  for (const p of m.processes)
    out.set(p.id, {
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

function plain(before: DiagramModel, after: DiagramModel, writes: readonly MemWrite[]) {
  const first = new Map<bigint, bigint>();
  const last = new Map<bigint, bigint>();
  for (const w of writes) {
    if (!first.has(w.pa)) first.set(w.pa, w.old);
    last.set(w.pa, w.new);
  }
  const written = new Set([...last].filter(([pa, v]) => first.get(pa) !== v).map(([pa]) => pa));
  const a = all(before);
  const b = all(after);
  const byId = new Map<string, ChangeKind>();
  for (const [id, it] of b) {
    const old = a.get(id);
    let hit = false;
    if (it.pa !== undefined && it.bytes !== undefined)
      for (let x = it.pa; x < it.pa + it.bytes; x += 8n) if (written.has(x)) hit = true;
    if (!old) byId.set(id, 'new');
    else if (old.sig !== it.sig || hit) byId.set(id, 'changed');
  }
  const removed: string[] = [];
  for (const [id, it] of a) {
    if (b.has(id)) continue;
    byId.set(id, 'removed');
    if (!it.parents.some((p) => !b.has(p))) removed.push(id);
  }
  for (const id of [...byId.keys()]) {
    const it = b.get(id) ?? a.get(id);
    for (const p of it?.parents ?? []) if (b.has(p) && !byId.has(p)) byId.set(p, 'changed');
  }
  return { byId: [...byId], removed, words: written.size };
}

const docs = (await loadPresets()).map((p): [string, ScenarioDoc] => [p.id, p.doc]);

describe('opChanges leaves out only entries nothing touched', () => {
  it.each(docs)(
    '%s: every op diffs as the plain definition does',
    (_, doc) => {
      const t = timelineOf(doc);
      // The stress scenario's models are large: every op's model is built once.
      let before = modelAt(t, -1);
      for (let op = 0; op < t.length; op++) {
        const after = modelAt(t, op);
        const writes = t.records[op]!.writes;
        const c = opChanges(before, after, writes);
        const want = plain(before, after, writes);
        expect([...c.byId], `op ${op}`).toEqual(want.byId);
        expect(
          c.removed.map((r) => r.id),
          `op ${op}`,
        ).toEqual(want.removed);
        expect(c.words).toBe(want.words);
        before = after;
      }
    },
    120_000,
  );

  it('an op writing one entry of a full table marks that entry, its table and tree only', () => {
    const t = timelineOf({
      format: 'sva-explorer/scenario',
      version: 1,
      kernel: 'rfc2017',
      ops: [
        { op: 'device', name: 'acc', sid: 8, bus: 'pci', pasidBits: 8 },
        { op: 'domain', name: 'dom', type: 'dma' },
        { op: 'attach', dev: 'acc', domain: 'dom' },
        { op: 'map', domain: 'dom', iova: '0x10000', size: '0x10000', prot: 'rw' },
        { op: 'map', domain: 'dom', iova: '0x200000', size: '0x1000', prot: 'rw' },
        { op: 'unmap', domain: 'dom', iova: '0x14000', size: '0x1000' },
      ],
    });
    const c = opChanges(modelAt(t, 4), modelAt(t, 5), t.records[5]!.writes);
    const ptes = [...c.byId].filter(([id]) => id.startsWith('pte:'));
    // The one PTE cleared (removed: no longer a valid entry), none of the other fifteen.
    expect(ptes).toEqual([['pte:' + ptes[0]![0].slice(4), 'removed']]);
    expect([...c.byId].filter(([id, k]) => id.startsWith('pt:') && k === 'changed')).toHaveLength(
      1,
    );
  });
});
