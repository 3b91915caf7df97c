// The VMs of a world as the diagram draws them: each guest's RAM and vSMMU, the guest's own CD
// table and page tables (found at their IPAs through the VM's RAM placement, drawn at the host
// PAs the SMMU reads), and the stage-2 tree that backs them. Read from simulated memory; the
// kernel names what each is (kernel/iommufd, docs/research/nesting.md).
import {
  CD_BYTES,
  cdLeafBits,
  l1cdCount,
  l1cdLeaf,
  tg0Granule,
  viewCd,
  viewSte,
  type GranuleShift,
} from '../engine/index.ts';
import { ipaToPa, nestedSteOf, type NestedSte, type Vm } from '../kernel/index.ts';
import type { World } from '../scenario/index.ts';
import type { CdRow, CdTableNode, TreeNode, TreeOwner } from './model.ts';
import type { Owner } from './owner.ts';
import { geometryFor, walkTree } from './tree.ts';

export interface VmNode {
  readonly id: string;
  readonly name: string;
  readonly vmid: number;
  readonly ram: readonly { readonly ipa: bigint; readonly pa: bigint; readonly size: bigint }[];
  /** The nesting parent's stage 2: the tables behind every IPA of the guest. */
  readonly s2: TreeNode;
  readonly vsmmus: readonly {
    readonly name: string;
    /** Records delivered to its vEVENTQ so far. */
    readonly vevents: number;
    readonly vdevs: readonly {
      readonly vsid: number;
      readonly dev: string;
      readonly sid: number;
    }[];
  }[];
  /** The guest's CD tables (at the host PAs the SMMU reads) and its stage-1 trees. */
  readonly cdTables: readonly CdTableNode[];
  readonly trees: readonly TreeNode[];
  /** The host's streams whose STE was built from a guest STE of this VM. */
  readonly streams: readonly NestedStream[];
}

/** A stream whose STE the host built from a guest's STE. */
export interface NestedStream extends NestedSte {
  readonly sid: number;
  readonly vmid: number;
  readonly vsid: number | undefined;
  /** The guest CD table its S1ContextPtr points at, if it is drawn. */
  readonly cdTable: string | undefined;
}

export const vmId = (vm: string): string => `vm:${vm}`;
export const s2TreeId = (vm: string): string => `s2:${vm}`;

/** Every VM of the world, with the guest structures the SMMU can reach through stage 2. */
export function vmNodes(w: World): VmNode[] {
  const k = w.kernel;
  if (!k) return [];
  return [...k.vms.values()].map((vm) => {
    const cdTables: CdTableNode[] = [];
    const trees: TreeNode[] = [];
    const streams: NestedStream[] = [];
    const toPa = (ipa: bigint): bigint | undefined => ipaToPa(vm, ipa);
    for (const dev of k.devices.values()) {
      const n = nestedSteOf(k, dev.sid);
      if (!n || n.vm !== vm.name) continue;
      const t =
        n.kind === 'nested' ? guestCdTable(w, vm, dev.name, dev.sid, n.guest[0], toPa) : undefined;
      streams.push({
        ...n,
        sid: dev.sid,
        vmid: vm.vmid,
        vsid: dev.nested?.vsid,
        cdTable: t?.table.id,
      });
      if (!t) continue;
      cdTables.push(t.table);
      for (const tree of t.trees) {
        const have = trees.find((x) => x.id === tree.id);
        if (have) (have.owners as TreeOwner[]).push(...tree.owners);
        else trees.push(tree);
      }
    }
    return {
      id: vmId(vm.name),
      name: vm.name,
      vmid: vm.vmid,
      ram: vm.ram,
      s2: stage2Tree(w, vm),
      vsmmus: [...k.vsmmus.values()]
        .filter((v) => v.vm === vm.name)
        .map((v) => ({
          name: v.name,
          vevents: v.vevents,
          vdevs: [...v.vdevs].map(([vsid, dev]) => ({
            vsid,
            dev,
            sid: k.devices.get(dev)?.sid ?? -1,
          })),
        })),
      cdTables,
      trees,
      streams,
    };
  });
}

/** The guest's CD table a nested STE points at (S1ContextPtr is an IPA), with its trees. */
function guestCdTable(
  w: World,
  vm: Vm,
  dev: string,
  sid: number,
  ste0: bigint,
  toPa: (ipa: bigint) => bigint | undefined,
): { table: CdTableNode; trees: TreeNode[] } | undefined {
  const v = viewSte([ste0, 0n]);
  const basePa = toPa(v.S1ContextPtr);
  if (basePa === undefined) return undefined;
  const id = `vcdt:${vm.name}:${sid}`;
  const l1: { index: number; pa: bigint; word: bigint }[] = [];
  const slots: [number, bigint][] = [];
  const leafBits =
    v.S1CDMax === 0 || v.S1Fmt === 0 || v.S1Fmt === 3 ? undefined : cdLeafBits(v.S1Fmt);
  if (leafBits === undefined) {
    for (let i = 0; i < 2 ** v.S1CDMax && i < 1 << 16; i++)
      slots.push([i, basePa + BigInt(i) * CD_BYTES]);
  } else {
    for (let i = 0; i < l1cdCount(v.S1CDMax, leafBits); i++) {
      const pa = basePa + BigInt(i) * 8n;
      const word = w.mem.read64(pa) ?? 0n;
      const leafIpa = l1cdLeaf(word, leafBits);
      const leaf = leafIpa === undefined ? undefined : toPa(leafIpa);
      if (leaf === undefined) continue;
      l1.push({ index: i, pa, word });
      for (let j = 0; j < 2 ** leafBits; j++)
        slots.push([(i << leafBits) + j, leaf + BigInt(j) * CD_BYTES]);
    }
  }
  const rows: CdRow[] = [];
  const trees = new Map<string, TreeNode>();
  for (const [ssid, pa] of slots) {
    const words = w.mem.readWords(pa, 8) ?? [];
    const cd = viewCd(words);
    if (!cd.V) continue;
    const rowId = `vcd:${vm.name}:${sid}:${ssid}`;
    const root = cd.EPD0 ? undefined : toPa(cd.TTB0);
    const treeId = root === undefined ? undefined : `vtree:${vm.name}:${cd.TTB0.toString(16)}`;
    const owner: Owner = { kind: 'guest', vm: vm.name, ssid };
    if (root !== undefined && treeId !== undefined) {
      const o: TreeOwner = {
        label: `guest CD ${ssid} of ${dev} (VM ${vm.name})`,
        owner,
        via: 'cd',
        from: rowId,
      };
      const have = trees.get(treeId);
      if (have) (have.owners as TreeOwner[]).push(o);
      else
        trees.set(
          treeId,
          guestTree(w, vm, treeId, root, cd.TTB0, tg0Granule(cd.TG0), 64 - cd.T0SZ, o, toPa),
        );
    }
    rows.push({
      id: rowId,
      ssid,
      pa,
      words,
      asid: cd.ASID,
      aset: cd.ASET,
      ttb0: cd.TTB0,
      epd0: cd.EPD0,
      owner,
      tree: treeId,
    });
  }
  const total = 2 ** v.S1CDMax;
  const gaps: { after: number; count: number }[] = [];
  let prev = -1;
  for (const r of rows) {
    if (r.ssid - prev > 1) gaps.push({ after: prev, count: r.ssid - prev - 1 });
    prev = r.ssid;
  }
  if (total - 1 - prev > 0) gaps.push({ after: prev, count: total - 1 - prev });
  const table: CdTableNode = {
    id,
    domain: `guest of ${dev}`,
    base: basePa,
    ipa: v.S1ContextPtr,
    fmt: leafBits === undefined ? 'linear' : '2level',
    s1cdmax: v.S1CDMax,
    rows,
    gaps,
    l1,
    sids: [sid],
  };
  return { table, trees: [...trees.values()] };
}

function guestTree(
  w: World,
  vm: Vm,
  id: string,
  root: bigint,
  rootIpa: bigint,
  g: GranuleShift,
  ias: number,
  owner: TreeOwner,
  toPa: (ipa: bigint) => bigint | undefined,
): TreeNode {
  const walked = walkTree(w.mem, geometryFor(g, ias), root, { toPa, rootIpa });
  return {
    id,
    root,
    g,
    inputSize: ias,
    kind: 'io',
    role: 'guest',
    owners: [owner],
    ...walked,
  };
}

/** The nesting parent's stage 2 (its start level may be concatenated one down). */
function stage2Tree(w: World, vm: Vm): TreeNode {
  const s2 = vm.s2;
  const walked = walkTree(w.mem, { g: s2.g, inputSize: s2.ias, start: s2.startLevel }, s2.root);
  return {
    id: s2TreeId(vm.name),
    root: s2.root,
    g: s2.g,
    inputSize: s2.ias,
    kind: 'io',
    role: 'stage2',
    owners: [
      {
        label: `stage 2 of VM ${vm.name} (VMID ${vm.vmid})`,
        owner: { kind: 'guest', vm: vm.name },
        via: 'ste',
        from: vmId(vm.name),
      },
    ],
    ...walked,
  };
}
