// The VMs in the lens. The lens reads a guest's structures as the host's: the guest's CD tables
// and stage-1 trees (drawn at the host PAs the SMMU reads them from) join the host's, and each
// VM's stage-2 tree joins the trees, so that a nested dma's chain — physical STE → guest CD (and
// the stage-2 walk that fetched it) → each guest table level → stage-2 tables → frame → VM — is
// found by address (chainFind.findByPa) and laid out in the same four columns (lens.ts). A
// nested stream points at the guest CD table its S1ContextPtr names (modelVm.ts).
import type { DiagramModel, StreamNode } from './model.ts';
import { vmId, type NestedStream, type VmNode } from './modelVm.ts';

const merged = new WeakMap<DiagramModel, DiagramModel>();

/** `m` with every VM's guest CD tables, guest trees and stage 2 among the host's structures. */
export function lensModel(m: DiagramModel): DiagramModel {
  if (m.vms.length === 0) return m;
  const have = merged.get(m);
  if (have) return have;
  const nested = new Map(m.vms.flatMap((vm) => vm.streams.map((s) => [s.sid, s] as const)));
  const streams: StreamNode[] = m.streams.map((s) => {
    const n = nested.get(s.sid);
    return n?.cdTable && !s.cdTable ? { ...s, cdTable: n.cdTable } : s;
  });
  const out: DiagramModel = {
    ...m,
    streams,
    cdTables: [...m.cdTables, ...m.vms.flatMap((vm) => vm.cdTables)],
    trees: [...m.trees, ...m.vms.flatMap((vm) => [...vm.trees, vm.s2])],
  };
  merged.set(m, out);
  return out;
}

/** The guest STE a host stream's STE was built from, and its VM (none for a host stream). */
export function nestedOf(
  m: DiagramModel,
  sid: number,
): { readonly vm: VmNode; readonly stream: NestedStream } | undefined {
  for (const vm of m.vms) {
    const stream = vm.streams.find((s) => s.sid === sid);
    if (stream) return { vm, stream };
  }
  return undefined;
}

/** The VM whose structure (guest CD table, guest tree, stage 2) has this id. */
export function vmOfStructure(m: DiagramModel, id: string): VmNode | undefined {
  return m.vms.find(
    (vm) =>
      vm.s2.id === id || vm.cdTables.some((t) => t.id === id) || vm.trees.some((t) => t.id === id),
  );
}

export { vmId };
