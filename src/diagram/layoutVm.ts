// The VM band below the host's columns: one region per VM, its header (name, VMID, where its RAM
// is, its vSMMUs and vDEVICEs), the guest's CD tables and page tables laid out as the host's are
// (the same layout, run on the guest's structures alone, then moved into the band), and the VM's
// stage-2 tree on the right — the tables the SMMU walks to find every one of them. Arrows from a
// nested STE run to the guest's CD table (S1ContextPtr, an IPA) and to the stage 2 (S2TTB).
import { linkPath } from './linkPath.ts';
import type { DiagramModel } from './model.ts';
import { G, type Anchor, type Box, type Edge, type Layout, type ViewState } from './layoutTypes.ts';

type Lay = (model: DiagramModel, view: ViewState) => Layout;
type Sink = Pick<Layout, 'boxes' | 'edges' | 'anchors'> & {
  readonly boxes: Box[];
  readonly edges: Edge[];
  readonly anchors: Map<string, Anchor>;
};

/** An SVG path moved by (dx, dy): absolute M/L/C pairs, H (x) and V (y), as layout.ts writes. */
export function movePath(d: string, dx: number, dy: number): string {
  return d.replace(/([MLCHV])([^MLCHV]*)/g, (_, cmd: string, args: string) => {
    const n = args
      .split(/[\s,]+/)
      .filter((x) => x !== '')
      .map(Number);
    const moved =
      cmd === 'H'
        ? n.map((x) => x + dx)
        : cmd === 'V'
          ? n.map((y) => y + dy)
          : n.map((v, i) => (i % 2 === 0 ? v + dx : v + dy));
    return cmd + moved.join(',');
  });
}

/** A sub-layout moved by (dx, dy) into the sink. */
function merge(sink: Sink, sub: Layout, dx: number, dy: number): void {
  for (const b of sub.boxes) sink.boxes.push({ ...b, x: b.x + dx, y: b.y + dy });
  for (const [id, a] of sub.anchors)
    sink.anchors.set(id, {
      l: { x: a.l.x + dx, y: a.l.y + dy },
      r: { x: a.r.x + dx, y: a.r.y + dy },
    });
  for (const e of sub.edges)
    sink.edges.push({
      ...e,
      d: movePath(e.d, dx, dy),
      src: { x: e.src.x + dx, y: e.src.y + dy },
      dst: { x: e.dst.x + dx, y: e.dst.y + dy },
    });
}

/** A model holding only `m`'s structures (the host's stream table rides along, unused). */
const only = (host: DiagramModel, m: Partial<DiagramModel>): DiagramModel => ({
  strtab: host.strtab,
  domains: [],
  streams: [],
  cdTables: [],
  trees: [],
  processes: [],
  vms: [],
  ...m,
});

/** Lays out every VM of `model` below what `sink` holds; `lay` is the host's layout. */
export function placeVms(
  model: DiagramModel,
  view: ViewState,
  sink: Sink,
  lay: Lay,
  cols: { readonly cdt: number; readonly tree: number; readonly proc: number },
): void {
  let y = Math.max(0, ...sink.boxes.map((b) => b.y + b.h)) + G.nodeGap * 3;
  for (const vm of model.vms) {
    const head = G.vmMargin + G.vmLine * (2 + Math.max(1, vm.vsmmus.length));
    const at = sink.boxes.length; // the region goes under its boxes: inserted once sized
    const inner = y + head;
    const guest = lay(only(model, { cdTables: vm.cdTables, trees: vm.trees }), view);
    merge(sink, guest, 0, inner);
    // Stage 2 in the processes' column (its frames to its right).
    const s2 = lay(only(model, { trees: [vm.s2] }), view);
    merge(sink, s2, cols.proc - cols.tree, inner);
    // The guest's CD tables are the nested STEs' (the sub-layout had no streams to name).
    for (let i = at; i < sink.boxes.length; i++) {
      const b = sink.boxes[i]!;
      if (b.kind === 'cdtable')
        sink.boxes[i] = {
          ...b,
          devs: vm.streams.filter((s) => s.cdTable === b.id).map((s) => s.dev),
        };
    }
    const mine = sink.boxes.slice(at);
    const bottom = Math.max(inner + G.row, ...mine.map((b) => b.y + b.h));
    const x = cols.cdt - G.vmMargin;
    const right = Math.max(...mine.map((b) => b.x + b.w), x + G.cdtW);
    sink.boxes.splice(at, 0, {
      kind: 'vm',
      id: vm.id,
      x,
      y,
      w: right + G.vmMargin - x,
      h: bottom - y + G.vmMargin,
      vm,
      head,
    });
    sink.anchors.set(vm.id, { l: { x, y: y + G.vmMargin }, r: { x: right, y: y + G.vmMargin } });
    for (const s of vm.streams) {
      const from = `ste:${s.sid}`;
      if (s.cdTable) arrow(sink, from, s.cdTable, 'ste');
      arrow(sink, from, vm.s2.id, 's2');
    }
    y = bottom + G.vmMargin + G.nodeGap * 2;
  }
}

function arrow(sink: Sink, from: string, to: string, kind: 'ste' | 's2'): void {
  const a = sink.anchors.get(from);
  const b = sink.anchors.get(to);
  if (!a || !b) return;
  const src = a.r;
  const dst = b.l;
  const d = linkPath([src.x, src.y], [dst.x - 4, dst.y]);
  const role = kind === 's2' ? ({ role: 'stage2' } as const) : {};
  sink.edges.push({ id: `${from}->${to}`, from, to, kind, ...role, d, src, dst });
}
