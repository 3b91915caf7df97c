// The chain the diagram's lens shows: the structures one thing reaches, StreamID → STE (and its
// L1STD) → CD row (and its L1CD) → translation tables → frame → the process or domain owning the
// tables. For the op at the cursor: a dma's chain is what its trace read (the engine's own walk,
// cache hits included); other ops' chains follow what they name (device, process, domain, PASID,
// address) and, failing that, what they changed. A device, a CD row (PASID), a process or a
// domain in focus has its own chain. Everything off the chain folds into summaries (lens.ts).
import type { OpRecord } from '../scenario/index.ts';
import {
  entryIdOf,
  findByPa,
  l1cdOf,
  l1stdOf,
  pathOf,
  rowOf,
  streamOfDev,
  streamOfSid,
  tableOfStream,
  treeById,
} from './chainFind.ts';
import type { CdRow, DiagramModel, StreamNode, TreeNode } from './model.ts';
import { lensModel, nestedOf, vmId } from './lensVm.ts';
import { domainId } from './modelTables.ts';
import type { Owner } from './owner.ts';

/** What the lens focuses on: the op at the cursor, or a thing the user selected. */
export type LensFocus =
  | { readonly kind: 'op' }
  | { readonly kind: 'device'; readonly sid: number }
  | { readonly kind: 'cd'; readonly id: string }
  | { readonly kind: 'process'; readonly name: string }
  | { readonly kind: 'domain'; readonly name: string };

export interface ChainFrame {
  readonly tree: string;
  /** The page or block the walk ended in. */
  readonly pa: bigint;
  readonly size: bigint;
}

export interface Chain {
  /** Every model id on the chain (ste:, l1std:, strtab, cdt:, l1cd:, cd:, tree:, pt:, pte:,
   * proc:, dom:). */
  readonly ids: ReadonlySet<string>;
  /** The rows a walk read, in order (STE, L1CD, CD, descriptors), without repeats. */
  readonly walk: readonly string[];
  readonly frames: readonly ChainFrame[];
}

export const EMPTY_CHAIN: Chain = { ids: new Set(), walk: [], frames: [] };

/** Collects a chain: ids, the walk in order, frames. */
class Builder {
  readonly ids = new Set<string>();
  readonly walk: string[] = [];
  readonly frames: ChainFrame[] = [];
  constructor(readonly m: DiagramModel) {}

  add(...ids: readonly string[]): void {
    for (const id of ids) this.ids.add(id);
  }
  step(id: string, ...holders: readonly string[]): void {
    if (this.walk[this.walk.length - 1] !== id) this.walk.push(id);
    this.add(id, ...holders);
  }
  stream(s: StreamNode | undefined): void {
    if (!s) return;
    this.add(s.id, this.m.strtab.id, ...l1stdOf(this.m, s.sid));
    // A nested STE: its VM and the VM's stage 2 (S2TTB) are on the chain with it.
    const n = nestedOf(this.m, s.sid);
    if (n) this.add(vmId(n.vm.name), n.vm.s2.id);
  }
  row(tableId: string, r: CdRow | undefined): void {
    if (!r) return;
    const t = this.m.cdTables.find((x) => x.id === tableId);
    this.add(r.id, tableId, ...(t ? l1cdOf(t, r.ssid) : []));
  }
  /** A tree and who owns it (the process whose mm it is, the domain behind CD 0 …). */
  tree(t: TreeNode | undefined): void {
    if (!t) return;
    this.add(t.id);
    for (const o of t.owners) this.owner(o.owner);
  }
  owner(o: Owner): void {
    if (o.kind === 'domain') this.add(domainId(o.name));
    else if (o.kind === 'process' || o.kind === 'exited') this.add(`proc:${o.name}`);
    else if (o.kind === 'private') this.add(`proc:${o.proc}`);
    else if (o.kind === 'guest') this.add(vmId(o.vm));
  }
  /** The path of `va` through a tree on the chain, and the frame it ends in. */
  path(t: TreeNode | undefined, va: bigint): void {
    if (!t) return;
    const p = pathOf(t, va);
    for (const [i, e] of p.entries.entries()) this.add(entryIdOf(e.pa), p.tables[i]!.id);
    if (p.leaf) this.frames.push({ tree: t.id, pa: p.leaf.target, size: p.leaf.size });
  }
  done(): Chain {
    return { ids: this.ids, walk: this.walk, frames: this.frames };
  }
}

/** The chain of what is in focus (the op at the cursor: its record and what it changed). */
export function chainOf(
  m: DiagramModel,
  focus: LensFocus,
  op?: { readonly record: OpRecord | undefined; readonly changed: Iterable<string> },
): Chain {
  // A VM's guest structures and stage 2 are found as the host's are (lensVm.ts).
  m = lensModel(m);
  const b = new Builder(m);
  switch (focus.kind) {
    case 'op':
      if (op?.record) opChain(b, op.record);
      if (b.ids.size === 0 && op) for (const id of op.changed) b.add(...holdersOf(m, id));
      break;
    case 'device': {
      const s = streamOfSid(m, focus.sid);
      b.stream(s);
      if (s?.domain) b.add(domainId(s.domain));
      const t = s && tableOfStream(m, s);
      if (t) for (const r of t.rows) cdRowChain(b, t.id, r);
      break;
    }
    case 'cd': {
      const t = m.cdTables.find((x) => x.rows.some((r) => r.id === focus.id));
      if (!t) break;
      for (const s of m.streams) if (s.cdTable === t.id) b.stream(s);
      cdRowChain(
        b,
        t.id,
        t.rows.find((r) => r.id === focus.id),
      );
      break;
    }
    case 'process':
      processChain(b, focus.name);
      break;
    case 'domain':
      domainChain(b, focus.name);
      break;
  }
  return b.done();
}

function cdRowChain(b: Builder, tableId: string, r: CdRow | undefined): void {
  b.row(tableId, r);
  b.tree(treeById(b.m, r?.tree));
}

/** A process: its mm's tree, and every CD that walks it or that it owns (SVA or private). */
function processChain(b: Builder, name: string): void {
  const m = b.m;
  const p = m.processes.find((x) => x.name === name);
  b.add(`proc:${name}`);
  if (p) b.tree(treeById(m, p.tree));
  for (const t of m.cdTables)
    for (const r of t.rows) {
      const o = r.owner;
      const mine =
        (r.tree !== undefined && r.tree === p?.tree) ||
        ((o.kind === 'process' || o.kind === 'exited') && o.name === name) ||
        (o.kind === 'private' && o.proc === name);
      if (!mine) continue;
      cdRowChain(b, t.id, r);
      for (const s of m.streams) if (s.cdTable === t.id) b.stream(s);
    }
}

/** A domain: its streams, its CD table and CD 0's io-pgtable (the domain's own mappings). */
function domainChain(b: Builder, name: string): void {
  const m = b.m;
  b.add(domainId(name));
  const t = m.cdTables.find((x) => x.domain === name);
  for (const s of m.streams) if (s.domain === name) b.stream(s);
  if (t) {
    b.add(t.id);
    cdRowChain(b, t.id, rowOf(t, 0));
  }
}

/** An id and the ids of what holds it (a row's table, an entry's table and tree). */
function holdersOf(m: DiagramModel, id: string): string[] {
  if (id.startsWith('cd:') || id.startsWith('l1cd:')) return [id, `cdt:${id.split(':')[1]!}`];
  if (id.startsWith('ste:')) return [id, m.strtab.id];
  if (id.startsWith('pt:') || id.startsWith('pte:')) {
    const pa = BigInt(`0x${id.split(':')[1]!}`);
    return [id, ...(findByPa(m, pa)?.ids ?? [])];
  }
  return [id];
}

/** Fields an op may carry, read by name so that new ops get a chain without a case here. */
interface OpFields {
  readonly op: string;
  readonly dev?: string;
  readonly sid?: number;
  readonly proc?: string;
  readonly name?: string;
  readonly domain?: string;
  readonly target?: {
    readonly kind: string;
    readonly domain?: string;
    readonly dev?: string;
    readonly proc?: string;
  };
  readonly pasid?: number;
  readonly addr?: bigint;
  readonly iova?: bigint;
  readonly pa?: bigint;
  readonly fields?: Readonly<Record<string, bigint>>;
}

function opChain(b: Builder, r: OpRecord): void {
  const m = b.m;
  const o = r.op as OpFields;
  if (r.dma) {
    dmaChain(b, r);
    return;
  }
  const named = (n: string | undefined, kind: string) => (o.op === kind ? n : undefined);
  const dev =
    o.dev ?? (o.target?.kind === 'private' ? o.target.dev : undefined) ?? named(o.name, 'device');
  const proc =
    o.proc ??
    (o.target?.kind === 'private' ? o.target.proc : undefined) ??
    named(o.name, 'process');
  const domain = o.domain ?? o.target?.domain ?? named(o.name, 'domain');
  const s =
    dev !== undefined
      ? streamOfDev(m, dev)
      : o.sid !== undefined
        ? streamOfSid(m, o.sid)
        : undefined;
  b.stream(s);
  const table = s && tableOfStream(m, s);
  // bind/unbind: the PASID's CD row (gone after an unbind); a private target: its own row.
  const pasidRow = r.pasid !== undefined ? rowOf(table, r.pasid) : undefined;
  if (table && (pasidRow || o.op === 'attach' || o.op === 'unbind')) b.add(table.id);
  if (table) cdRowChain(b, table.id, pasidRow);
  if (o.target?.kind === 'private' && table)
    for (const row of table.rows)
      if (row.owner.kind === 'private' && row.owner.proc === proc) cdRowChain(b, table.id, row);
  // The process's own tables, unless the op is about a PASID's or private tables (bind, a
  // private map): those are on the chain already, through the CD row.
  const viaRow = pasidRow !== undefined || o.target?.kind === 'private';
  if (proc !== undefined) processChain1(b, proc, !viaRow);
  if (domain !== undefined) domainChain1(b, domain, o.iova);
  const va = o.addr ?? o.iova;
  if (va !== undefined) for (const t of b.m.trees) if (b.ids.has(t.id)) b.path(t, va);
  if (o.op === 'write64' && o.pa !== undefined) b.add(...(findByPa(m, o.pa)?.ids ?? []));
  if (o.fields) cmdChain(b, o.fields);
}

/** A process named by an op: the process and its own tree (not every device bound to it). */
function processChain1(b: Builder, name: string, mm: boolean): void {
  const p = b.m.processes.find((x) => x.name === name);
  b.add(`proc:${name}`);
  if (p && mm) b.tree(treeById(b.m, p.tree));
}

/** A domain named by an op: the domain, its CD table, and CD 0's io-pgtable for an IOVA. */
function domainChain1(b: Builder, name: string, iova: bigint | undefined): void {
  b.add(domainId(name));
  const t = b.m.cdTables.find((x) => x.domain === name);
  if (!t) return;
  b.add(t.id);
  if (iova !== undefined) cdRowChain(b, t.id, rowOf(t, 0));
}

/** A command naming a StreamID (and a SubstreamID): that STE (and CD). */
function cmdChain(b: Builder, fields: Readonly<Record<string, bigint>>): void {
  const sid = fields['StreamID'];
  if (sid === undefined) return;
  const s = streamOfSid(b.m, Number(sid));
  b.stream(s);
  const ssid = fields['SubstreamID'];
  const t = s && tableOfStream(b.m, s);
  if (t && ssid !== undefined) b.row(t.id, rowOf(t, Number(ssid)));
}

/**
 * A device access: every structure its attempts read or hit, in order, as the engine's trace
 * says; the frame of each translation; the owners of the tables walked. An ATC hit reads nothing
 * from the SMMU: its chain is the device's STE, CD and the path of the address.
 */
function dmaChain(b: Builder, r: OpRecord): void {
  const m = b.m;
  const o = r.op as OpFields;
  const trees = new Set<TreeNode>();
  // Stage-2 descriptors whose walk gave the access its output (not a walk that fetched a guest CD
  // or guest table): only these end in the frame of a stage-2 tree.
  const out = new Set<string>();
  for (const a of r.dma!.attempts)
    for (const t of a.steps) {
      let pa: bigint | undefined;
      if (t.kind === 'ste' || t.kind === 'l1std' || t.kind === 'l1cd' || t.kind === 'cd') pa = t.pa;
      else if (t.kind === 'cfg-hit') pa = t.pa;
      else if (t.kind === 'tt' || t.kind === 'httu') pa = t.pa;
      else if (t.kind === 'tlb-hit' && t.stage !== 2) pa = t.tlb.leafPa;
      if (pa === undefined) continue;
      const f = findByPa(m, pa);
      if (!f) continue;
      b.step(f.ids[0]!, ...f.ids.slice(1));
      if (f.tree) trees.add(f.tree);
      if (t.kind === 'tt' && t.stage === 2 && t.nested !== 'CD' && t.nested !== 'TT')
        out.add(f.ids[0]!);
      // A TLB hit names only the leaf: the tables above it are the path to its table.
      if (t.kind === 'tlb-hit' && f.tree && f.entry) b.path(f.tree, f.entry.ia);
    }
  const dev =
    o.dev !== undefined
      ? streamOfDev(m, o.dev)
      : o.sid !== undefined
        ? streamOfSid(m, o.sid)
        : undefined;
  b.stream(dev);
  if (trees.size === 0 && dev) {
    // An ATC hit (or no walk): the CD of the PASID (CD 0 without one) and its tree's path.
    const t = tableOfStream(m, dev);
    const row = rowOf(t, o.pasid ?? 0);
    if (t && row) {
      cdRowChain(b, t.id, row);
      const tree = treeById(m, row.tree);
      if (tree && o.addr !== undefined) b.path(tree, o.addr);
    }
    return;
  }
  for (const tree of trees) {
    b.tree(tree);
    // A guest's stage 1 ends at an IPA, not a frame: its stage-2 walk (IN) finds the frame.
    if (tree.role === 'guest') continue;
    // The frame: where the last descriptor read in this tree (the leaf) points.
    const leafs = [...b.ids].filter(
      (id) => id.startsWith('pte:') && (tree.role !== 'stage2' || out.has(id)),
    );
    for (const id of leafs) {
      const e = findByPa(m, BigInt(`0x${id.slice(4)}`))?.entry;
      if (e && e.kind !== 'table' && tree.tables.some((x) => x.entries.includes(e)))
        if (!b.frames.some((f) => f.pa === e.target && f.tree === tree.id))
          b.frames.push({ tree: tree.id, pa: e.target, size: e.size });
    }
  }
}
