// (e) Nothing leaks: with every bond undone, every process gone and every domain mapping
// unmapped, the only frames allocated are the permanent ones, computed from the state. And the
// kernel's bookkeeping agrees with memory.
import { hex, startLevel, type GranuleShift, type PhysMem } from '../../engine/index.ts';
import type { World } from '../world.ts';
import { v, type Violation } from './violation.ts';
import { walkTables } from './read.ts';

/** Table pages reachable from an io-pgtable root in memory (root included). */
export function reachableTables(
  mem: PhysMem,
  root: bigint,
  g: GranuleShift,
  inputSize: number,
): bigint[] {
  const out: bigint[] = [];
  const s = g - 3;
  const visit = (table: bigint, level: number): void => {
    out.push(table);
    if (level >= 3) return;
    const lo = g + (3 - level) * s;
    const bits = level === startLevel(g, inputSize) ? inputSize - lo : s;
    for (let i = 0; i < 2 ** bits; i++) {
      const d = mem.read64(table + BigInt(i * 8)) ?? 0n;
      if ((d & 3n) === 3n) visit(d & ((1n << 48n) - 1n) & ~((1n << BigInt(g)) - 1n), level + 1);
    }
  };
  visit(root, startLevel(g, inputSize));
  return out;
}

export function checkQuiescent(w: World): Violation[] {
  const k = w.kernel;
  if (!k) return [];
  const out: Violation[] = [];
  if (k.idr.used.size > 0)
    out.push(v('leak', `PASIDs still in the IDR: ${[...k.idr.used.keys()].join(', ')}`));
  if (k.iommuProcesses.size > 0)
    out.push(
      v(
        'leak',
        `iommu_process still alive: ${[...k.iommuProcesses.values()].map((p) => p.proc).join(', ')}`,
      ),
    );
  if (k.privates.size > 0)
    out.push(v('leak', `private contexts left: ${[...k.privates.keys()].join(', ')}`));
  for (const d of k.domains.values())
    if (d.contexts.size > 0)
      out.push(v('leak', `${d.name} still has contexts: ${[...d.contexts.keys()].join(', ')}`));
  // Every driver unbound what it bound; a PASID held past its process's exit was released by
  // that unbind's -ESRCH (kernel/index.ts unbind), so no device still holds one.
  for (const dev of k.devices.values())
    if (dev.bonds.size > 0)
      out.push(
        v(
          'leak',
          `${dev.name} still holds PASIDs: ${[...dev.bonds].map(([p, b]) => `${b.pasid} (${p}, ${b.tables})`).join(', ')}`,
        ),
      );
  const permanent = new Map<bigint, string>();
  const add = (pa: bigint, what: string): void => void permanent.set(pa, what);
  const dr = k.driver;
  add(dr.strtab.base, 'stream table');
  for (const l2 of dr.strtab.l2.values()) add(l2, 'stream table L2');
  add(dr.cmdq.base, 'cmdq');
  add(dr.evtq.base, 'evtq');
  add(dr.priq.base, 'priq');
  add(k.zeroPage, 'zero page');
  // A master's own CD table (v6.7+) lives as long as the device.
  for (const dev of k.devices.values())
    for (const b of dev.cdtable?.blocks ?? []) add(b, `${dev.name} CD table`);
  for (const d of k.domains.values()) {
    for (const b of d.cdtable?.blocks ?? []) add(b, `${d.name} CD table`);
    if (d.pgtable) {
      const live = reachableTables(w.mem, d.pgtable.root, d.pgtable.g, d.pgtable.ias);
      for (const t of live) add(t, `${d.name} io-pgtable`);
      const listed = new Set(d.pgtable.tables);
      for (const t of live)
        if (!listed.has(t))
          out.push(v('state', `${d.name}: table ${hex(t)} reachable but not listed`));
      for (const t of listed)
        if (!live.includes(t))
          out.push(v('leak', `${d.name}: table ${hex(t)} listed but unreachable`));
      if (d.pgtable.leaves.size > 0)
        out.push(v('leak', `${d.name}: ${d.pgtable.leaves.size} leaves still mapped`));
      if (d.pgtable.buffers.size > 0) out.push(v('leak', `${d.name}: DMA buffers still held`));
    }
  }
  for (const [pa, b] of k.frames.used)
    if (!permanent.has(pa))
      out.push(v('leak', `frame ${hex(pa)} (${b.use}: ${b.label}) is still allocated`));
  for (const [pa, what] of permanent)
    if (!k.frames.used.has(pa))
      out.push(v('state', `${what} at ${hex(pa)} is not allocated (freed while in use)`));
  return out;
}

/** Alignment masks of frame blocks of order 0 (4 KB) to 18 (1 GB). */
const BLOCK_MASKS: readonly bigint[] = Array.from(
  { length: 19 },
  (_, order) => ~((0x1000n << BigInt(order)) - 1n),
);

/** Kernel bookkeeping agrees with memory: present user pages and io-pgtable leaves are live frames. */
export function checkFrames(w: World, walks = true): Violation[] {
  const k = w.kernel;
  if (!k) return [];
  const out: Violation[] = [];
  // Blocks are aligned to their size: the block holding `pa` starts at pa aligned to its order.
  const live = (pa: bigint): boolean => {
    for (let order = 0; order < BLOCK_MASKS.length; order++) {
      const b = k.frames.used.get(pa & BLOCK_MASKS[order]!);
      if (b && b.order >= order && pa < b.pa + (0x1000n << BigInt(b.order)))
        return b.use === 'user' || b.use === 'dma-buffer' || b.use === 'zero-page';
    }
    return false;
  };
  for (const p of k.processes.values()) {
    for (const [va, page] of p.mm.pages) {
      if (!live(page.pa))
        out.push(v('state', `${p.name}: page ${hex(va)} → ${hex(page.pa)}, a free frame`));
      if (!walks) continue;
      const leaf = walkTables(
        w.mem,
        { root: p.mm.pgd, g: k.cpu.granule, inputSize: k.cpu.vaBits, oaBits: 48, had: false },
        va,
      );
      const vma = p.mm.vmas.find((x) => va >= x.start && va < x.end);
      const none = vma && !vma.prot.r && !vma.prot.w && !vma.prot.x;
      if (!none && leaf?.oa !== page.pa)
        out.push(
          v(
            'state',
            `${p.name}: page ${hex(va)} should map ${hex(page.pa)}, the PTE gives ${leaf ? hex(leaf.oa) : 'nothing'}`,
          ),
        );
    }
    for (const [va, pin] of p.mm.pins)
      if (!pin.zero && !live(pin.pa))
        out.push(v('state', `${p.name}: pinned page ${hex(va)} → ${hex(pin.pa)} was freed`));
  }
  const pts = [
    ...[...k.domains.values()].flatMap((d) => (d.pgtable ? [[d.name, d.pgtable] as const] : [])),
    ...[...k.privates.values()].map((p) => [`${p.dev}/${p.proc}`, p.pgtable] as const),
  ];
  for (const [name, pt] of pts)
    for (const [iova, l] of pt.leaves) {
      if (!live(l.pa))
        out.push(v('state', `${name}: IOVA ${hex(iova)} → ${hex(l.pa)}, a free frame`));
      if (!walks) continue;
      const leaf = walkTables(
        w.mem,
        { root: pt.root, g: pt.g, inputSize: pt.ias, oaBits: 48, had: false },
        iova,
      );
      if (leaf?.oa !== l.pa)
        out.push(
          v(
            'state',
            `${name}: IOVA ${hex(iova)} should map ${hex(l.pa)}, the table gives ${leaf ? hex(leaf.oa) : 'nothing'}`,
          ),
        );
    }
  return out;
}
