// World → what the diagram draws: streams and their STEs, CD tables with one row per valid CD,
// translation-table trees (each drawn once, with every owner pointing at it — a table shared by
// the CPU and the SMMU has two owners), and processes. Everything is read from simulated memory;
// the kernel state only names the owners.
import {
  assertNever,
  s1Enabled,
  tg0Granule,
  viewCd,
  viewSte,
  type GranuleShift,
} from '../engine/index.ts';
import {
  cdTablesOf,
  liveIommuProcess,
  pasidOwner,
  steAddress,
  type KernelState,
} from '../kernel/index.ts';
import type { World } from '../scenario/index.ts';
import { cdSlots } from './cdSlots.ts';
import { buildDomains, buildStrtab, type DomainNode, type StrtabNode } from './modelTables.ts';
import type { Owner } from './owner.ts';
import { reuserOf, sameTreeNode, type ModelHint } from './modelReuse.ts';
import { geometryFor, walkTree, type TreeTable } from './tree.ts';
import { vmNodes, type VmNode } from './modelVm.ts';

export type { Owner } from './owner.ts';

export interface StreamNode {
  readonly id: string;
  readonly dev: string;
  readonly sid: number;
  readonly bus: 'pci' | 'platform';
  readonly caps: readonly string[];
  readonly stePa: bigint;
  readonly ste: readonly bigint[];
  readonly config: number;
  /** STE.V: an invalid STE aborts every transaction (C_BAD_STE). */
  readonly valid: boolean;
  readonly domain: string | undefined;
  /** id of the CD table the STE points at, if any. */
  readonly cdTable: string | undefined;
}

export interface CdRow {
  readonly id: string;
  readonly ssid: number;
  readonly pa: bigint;
  readonly words: readonly bigint[];
  readonly asid: number;
  readonly aset: boolean;
  readonly ttb0: bigint;
  readonly epd0: boolean;
  readonly owner: Owner;
  /** id of the tree TTB0 points at. */
  readonly tree: string | undefined;
}

export interface CdTableNode {
  readonly id: string;
  readonly domain: string; // whose table: a domain's name, or "<device> (master)" (v6.7+)
  readonly base: bigint;
  /** A guest's table: the IPA its STE's S1ContextPtr names (`base` is the PA it is read at). */
  readonly ipa?: bigint;
  readonly fmt: 'linear' | '2level';
  readonly s1cdmax: number;
  readonly rows: readonly CdRow[];
  /** Runs of invalid CDs between valid rows: "…1,021 invalid CDs". */
  readonly gaps: readonly { readonly after: number; readonly count: number }[];
  readonly l1: readonly { readonly index: number; readonly pa: bigint; readonly word: bigint }[];
  readonly sids: readonly number[];
}

/** Who points at a tree: a CD's TTB0 (the SMMU walks it) or a process's mm (the CPU walks it). */
export interface TreeOwner {
  readonly label: string;
  readonly owner: Owner;
  readonly via: 'cd' | 'mm' | 'ste';
  /** The CD row (via 'cd'), process node (via 'mm') or VM (via 'ste', a stage 2) id. */
  readonly from: string;
}

/**
 * What a tree is for, from its owners: shared by CPU and SMMU (SVA), a process's CPU-only mm, a
 * private io-pgtable (one device, one PASID), or a domain's io-pgtable behind CD 0 (the global
 * one every stream attached to the domain uses without a PASID); in a VM, a guest's stage 1 (its
 * own tables, at IPAs) or the VM's stage 2.
 */
export type TreeRole = 'shared' | 'cpu' | 'io-private' | 'io-global' | 'guest' | 'stage2';

export interface TreeNode {
  readonly id: string;
  readonly root: bigint;
  readonly g: GranuleShift;
  /** Input address size in bits (64 - T0SZ, or the CPU's VA bits). */
  readonly inputSize: number;
  readonly kind: 'shared' | 'cpu' | 'io';
  readonly role: TreeRole;
  readonly owners: readonly TreeOwner[];
  readonly tables: readonly TreeTable[];
  readonly leaves: number;
  readonly mappedBytes: bigint;
}

export interface ProcessNode {
  readonly id: string;
  readonly name: string;
  readonly pid: number;
  readonly asid: number;
  readonly asidPinned: boolean;
  readonly pgd: bigint;
  readonly tree: string;
  readonly pasid: number | undefined;
  readonly vmas: readonly {
    readonly start: bigint;
    readonly end: bigint;
    readonly prot: string;
    /** What it maps (mmap's label: a path, [heap], [stack]…), if labelled. */
    readonly name?: string;
  }[];
  readonly pages: number;
  readonly pinned: number;
}

export interface DiagramModel {
  readonly strtab: StrtabNode;
  readonly streams: readonly StreamNode[];
  readonly cdTables: readonly CdTableNode[];
  readonly trees: readonly TreeNode[];
  readonly processes: readonly ProcessNode[];
  readonly domains: readonly DomainNode[];
  /** Guests (iommufd nesting), each with its own structures (modelVm.ts). */
  readonly vms: readonly VmNode[];
}

export const treeId = (root: bigint): string => `tree:${root.toString(16)}`;

/** The model of world `w`; `hint`: a neighbouring op's model to take unchanged tables from. */
export function buildModel(w: World, hint?: ModelHint): DiagramModel {
  const k = w.kernel;
  const strtab = buildStrtab(w.smmu.derived, w, k ? [...k.devices.values()].map((d) => d.sid) : []);
  if (!k)
    return { strtab, streams: [], cdTables: [], trees: [], processes: [], domains: [], vms: [] };
  const trees = new Map<bigint, { g: GranuleShift; ias: number; owners: TreeOwner[] }>();
  const addOwner = (root: bigint, g: GranuleShift, ias: number, o: TreeOwner): void => {
    const t = trees.get(root) ?? { g, ias, owners: [] };
    t.owners.push(o);
    trees.set(root, t);
  };
  const cdTables: CdTableNode[] = [];
  const streams: StreamNode[] = [];
  // Domains' tables (shared by their masters) and, v6.7+, each master's own.
  for (const { table: t, ...info } of cdTablesOf(k)) {
    const label = info.owner.kind === 'domain' ? info.owner.name : `${info.owner.name} (master)`;
    const rid = info.domain ?? info.owner.name;
    const rows: CdRow[] = [];
    const l1: CdTableNode['l1'][number][] = [];
    const slots = cdSlots(w, t, l1);
    for (const [ssid, pa] of slots) {
      const words = w.mem.readWords(pa, 8) ?? [];
      const v = viewCd(words);
      if (!v.V) continue;
      const owner = cdOwner(k, rid, ssid);
      const g = tg0Granule(v.TG0);
      const id = `cd:${info.id.slice(4)}:${ssid}`;
      if (!v.EPD0)
        addOwner(v.TTB0, g, 64 - v.T0SZ, {
          label: `CD ${ssid} of ${label}`,
          owner,
          via: 'cd',
          from: id,
        });
      rows.push({
        id,
        ssid,
        pa,
        words,
        asid: v.ASID,
        aset: v.ASET,
        ttb0: v.TTB0,
        epd0: v.EPD0,
        owner,
        tree: v.EPD0 ? undefined : treeId(v.TTB0),
      });
    }
    const total = 2 ** t.s1cdmax;
    const gaps: { after: number; count: number }[] = [];
    let prev = -1;
    for (const r of rows) {
      if (r.ssid - prev > 1) gaps.push({ after: prev, count: r.ssid - prev - 1 });
      prev = r.ssid;
    }
    if (total - 1 - prev > 0) gaps.push({ after: prev, count: total - 1 - prev });
    cdTables.push({
      id: info.id,
      domain: label,
      base: t.base,
      fmt: t.fmt,
      s1cdmax: t.s1cdmax,
      rows,
      gaps,
      l1,
      sids: info.devices.map((n) => k.devices.get(n)!.sid),
    });
  }
  for (const dev of k.devices.values()) {
    const pa = steAddress(k, dev.sid);
    const ste = pa === undefined ? [] : (w.mem.readWords(pa, 8) ?? []);
    const v = viewSte(ste);
    const table = cdTables.find((t) => t.base === v.S1ContextPtr && s1Enabled(v.Config));
    const caps = [
      dev.bus.toUpperCase(),
      dev.ats && 'ATS',
      dev.pri && 'PRI',
      dev.stall && 'stall',
      dev.ssidBits > 0 && `${dev.ssidBits}-bit PASID`,
    ].filter((x): x is string => Boolean(x));
    streams.push({
      id: `ste:${dev.sid}`,
      dev: dev.name,
      sid: dev.sid,
      bus: dev.bus,
      caps,
      stePa: pa ?? 0n,
      ste,
      config: v.Config,
      valid: v.V,
      domain: dev.domain,
      cdTable: table?.id,
    });
  }
  const processes: ProcessNode[] = [];
  for (const p of k.processes.values()) {
    addOwner(p.mm.pgd, k.cpu.granule, k.cpu.vaBits, {
      label: `mm of ${p.name}`,
      owner: { kind: 'process', name: p.name, pid: p.pid },
      via: 'mm',
      from: `proc:${p.name}`,
    });
    // The live process's PASID: an exited namesake's mm may still hold another one (mainline).
    const ip = liveIommuProcess(k, p.name);
    processes.push({
      id: `proc:${p.name}`,
      name: p.name,
      pid: p.pid,
      asid: p.mm.asid,
      asidPinned: p.mm.asidPinned,
      pgd: p.mm.pgd,
      tree: treeId(p.mm.pgd),
      pasid: ip?.pasid,
      vmas: p.mm.vmas.map((v) => ({
        start: v.start,
        end: v.end,
        prot: `${v.prot.r ? 'r' : '-'}${v.prot.w ? 'w' : '-'}${v.prot.x ? 'x' : '-'}`,
        ...(v.name === undefined ? {} : { name: v.name }),
      })),
      pages: p.mm.pages.size,
      pinned: p.mm.pins.size,
    });
  }
  const treeNodes: TreeNode[] = [];
  const reuse = hint && reuserOf(hint);
  for (const [root, t] of trees) {
    const walked = walkTree(w.mem, geometryFor(t.g, t.ias), root, undefined, reuse?.(t.g, t.ias));
    // An SVA CD's owner is a process too, so "shared" is decided by who walks the tree (a CD
    // and an mm), not by the owner's kind.
    const cpu = t.owners.some((o) => o.via === 'mm');
    const smmu = t.owners.some((o) => o.via === 'cd');
    const kind = cpu && smmu ? 'shared' : cpu ? 'cpu' : 'io';
    const node: TreeNode = {
      id: treeId(root),
      root,
      g: t.g,
      inputSize: t.ias,
      kind,
      role:
        kind !== 'io'
          ? kind
          : t.owners.some((o) => o.owner.kind === 'domain')
            ? 'io-global'
            : 'io-private',
      owners: t.owners,
      tables: walked.tables,
      leaves: walked.leaves,
      mappedBytes: walked.mappedBytes,
    };
    treeNodes.push(sameTreeNode(node));
  }
  return {
    strtab,
    streams: streams.sort((a, b) => a.sid - b.sid),
    cdTables,
    trees: treeNodes,
    processes,
    domains: buildDomains(k),
    vms: vmNodes(w),
  };
}

/** Who a valid CD belongs to: CD 0 is the domain's; any other, its PASID's owner (kernel). */
function cdOwner(k: KernelState, domain: string, ssid: number): Owner {
  if (ssid === 0) return { kind: 'domain', name: domain };
  const o = pasidOwner(k, ssid);
  switch (o?.kind) {
    case undefined:
      return { kind: 'unknown' };
    case 'private':
      return o;
    case 'process':
      return { kind: 'process', name: o.proc, pid: o.pid };
    case 'exited':
      return { kind: 'exited', name: o.proc, pid: o.pid, pasid: ssid };
    default:
      return assertNever(o, 'PASID owner');
  }
}
