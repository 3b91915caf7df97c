// The lens's last column, under the frames: the owners of the chain's tables — the processes
// (their mm), the domains (their io-pgtable behind CD 0) and the VMs (a guest's stage 1 and the
// stage 2 behind it) — each lined up with its tree, the ones off the chain folded into one
// summary per kind ("2 more processes") that opens on demand.
import { procH, vmasShown } from './lensBoxes.ts';
import type { DetailGeom } from './lensGeom.ts';
import type { Anchor, Box, Detail, ViewState } from './layoutTypes.ts';
import type { DiagramModel } from './model.ts';
import type { VmNode } from './modelVm.ts';

export const SIDE_GROUPS = {
  procs: 'more:procs',
  domains: 'more:domains',
  vms: 'more:vms',
} as const;

export interface SideCtx {
  readonly m: DiagramModel;
  readonly view: ViewState;
  readonly g: DetailGeom;
  readonly detail: Detail;
  /** The column's x. */
  readonly x: number;
  readonly on: (id: string) => boolean;
  readonly anchors: ReadonlyMap<string, Anchor>;
  /** Pushes a box, anchors its id `dy` below its top, marks it on the chain when it is. */
  readonly place: (b: Box, dy: number) => void;
  /** A summary box for `group` at the column's bottom. */
  readonly summary: (group: string, title: string, names: readonly string[]) => void;
  /** The column's bottom so far (moved on as boxes are placed). */
  readonly col: { side: number };
}

/** Height of a VM's owner card at a detail: its lines (name, RAM, each vSMMU and vDEVICE). */
export function vmCardH(vm: VmNode, detail: Detail): number {
  if (detail === 'summary') return 26;
  // The name; each RAM block on two lines; each vSMMU, then two lines per vDEVICE (or "none").
  const vsmmus = vm.vsmmus.reduce((n, v) => n + 1 + (v.vdevs.length * 2 || 1), 0);
  const lines = 1 + vm.ram.length * 2 + vsmmus;
  return 10 + lines * 16;
}

export function placeOwners(c: SideCtx): void {
  const { m, view, g, detail, x, on, anchors, col } = c;
  const treeY = (id: string): number => anchors.get(id)?.r.y ?? 0;
  const openProcs = view.open.has(SIDE_GROUPS.procs);
  const offProcs = m.processes.filter((p) => !on(p.id));
  for (const p of [...m.processes].sort((a, b) => treeY(a.tree) - treeY(b.tree))) {
    if (!on(p.id) && !openProcs) continue;
    const y = Math.max(col.side, treeY(p.tree) - 20);
    const h = procH(g, detail, p.vmas.length);
    const vmas = vmasShown(detail, p.vmas.length);
    c.place(
      { kind: 'process', id: p.id, x, y, w: g.sideW, h, proc: p, vmasShown: vmas, detail },
      13,
    );
  }
  c.summary(
    SIDE_GROUPS.procs,
    openProcs ? 'Hide processes off the chain' : `${offProcs.length} more processes`,
    offProcs.map((p) => p.name),
  );
  const openDoms = view.open.has(SIDE_GROUPS.domains);
  const offDoms = m.domains.filter((d) => !on(d.id));
  for (const d of m.domains) {
    if (!on(d.id) && !openDoms) continue;
    c.place(
      { kind: 'domain', id: d.id, x, y: col.side, w: g.sideW, h: g.domainH, domain: d, detail },
      13,
    );
  }
  c.summary(
    SIDE_GROUPS.domains,
    openDoms ? 'Hide domains off the chain' : `${offDoms.length} more domains`,
    offDoms.map((d) => d.name),
  );
  // A VM owns its guest's stage-1 trees and its stage 2: its card sits level with the stage 2.
  const openVms = view.open.has(SIDE_GROUPS.vms);
  const offVms = m.vms.filter((vm) => !on(vm.id));
  for (const vm of m.vms) {
    if (!on(vm.id) && !openVms) continue;
    const y = Math.max(col.side, treeY(vm.s2.id) - 20);
    const h = vmCardH(vm, detail);
    c.place({ kind: 'vm', id: vm.id, x, y, w: g.sideW, h, vm, head: h, card: detail }, 13);
  }
  c.summary(
    SIDE_GROUPS.vms,
    openVms ? 'Hide VMs off the chain' : `${offVms.length} more VMs`,
    offVms.map((vm) => vm.name),
  );
}
