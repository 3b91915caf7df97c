// The world, as "Add an op" form choices and defaults: the kernel's devices, domains, processes and bonds, fresh
// names, and the addresses a new op most likely wants (the next free VA or IOVA, the first VMA,
// where a device's DMA would land).
import { privateKey } from '../../kernel/index.ts';
import type { Choice, FormCtx, Value, Values } from './def.ts';

export const devices = (c: FormCtx) => [...(c.kernel?.devices.values() ?? [])];
export const domains = (c: FormCtx) => [...(c.kernel?.domains.values() ?? [])];
export const procs = (c: FormCtx) => [...(c.kernel?.processes.values() ?? [])];
export const names = (xs: readonly { name: string }[]): Choice[] =>
  xs.map((x) => ({ value: x.name, label: x.name }));
export const last = <T>(xs: readonly T[]): T | undefined => xs[xs.length - 1];

/** "dev0", "dev1", … the first not taken. */
export function freshName(prefix: string, taken: readonly { name: string }[]): string {
  const set = new Set(taken.map((t) => t.name));
  for (let i = 0; ; i++) if (!set.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

/** Bonds (device ↔ process) in the order the devices were added. */
export function bonds(c: FormCtx) {
  return devices(c).flatMap((d) =>
    [...d.bonds].map(([proc, b]) => ({ dev: d.name, proc, pasid: b.pasid, tables: b.tables })),
  );
}

export const DEFAULT_VA = 0x7f00_0000_0000n;
const vmasOf = (c: FormCtx, proc: Value) =>
  c.kernel?.processes
    .get(String(proc))
    ?.mm.vmas.slice()
    .sort((a, b) => Number(a.start - b.start)) ?? [];

/** The next free page-aligned address above the process's VMAs. */
export function nextVa(c: FormCtx, proc: Value): bigint {
  const vmas = vmasOf(c, proc);
  const top = vmas.reduce((m, v) => (v.end > m ? v.end : m), 0n);
  return top === 0n ? DEFAULT_VA : top;
}

export function firstVma(c: FormCtx, proc: Value): { start: bigint; size: bigint } | undefined {
  const v = vmasOf(c, proc)[0];
  return v ? { start: v.start, size: v.end - v.start } : undefined;
}

/** The io-pgtable a map/unmap names (a domain's, or a private PASID context's). */
function pgtableOf(c: FormCtx, v: Values) {
  if (v['target'] === 'private')
    return c.kernel?.privates.get(privateKey(String(v['dev']), String(v['proc'])))?.pgtable;
  return c.kernel?.domains.get(String(v['domain']))?.pgtable;
}

export function leaves(c: FormCtx, v: Values) {
  return [...(pgtableOf(c, v)?.leaves ?? [])].sort((a, b) => Number(a[0] - b[0]));
}

export function nextIova(c: FormCtx, v: Values): bigint {
  const ls = leaves(c, v);
  if (ls.length === 0) return v['target'] === 'private' ? 0x10_0000n : 0x1000_0000n;
  const [iova, leaf] = ls[ls.length - 1]!;
  return iova + leaf.size;
}

/** Where a device's DMA would land by default: its latest bond's memory, or its domain's. */
export function dmaTarget(c: FormCtx, dev: Value): { pasid: number | undefined; addr: bigint } {
  const d = c.kernel?.devices.get(String(dev));
  if (!d) return { pasid: undefined, addr: 0n };
  const bond = last([...d.bonds]);
  if (bond) {
    const [proc, b] = bond;
    if (b.tables === 'private') {
      const first = [...(c.kernel?.privates.get(privateKey(d.name, proc))?.pgtable.leaves ?? [])]
        .map(([iova]) => iova)
        .sort((x, y) => Number(x - y))[0];
      return { pasid: b.pasid, addr: first ?? 0x10_0000n };
    }
    return { pasid: b.pasid, addr: firstVma(c, proc)?.start ?? DEFAULT_VA };
  }
  const iovas = [...(c.kernel?.domains.get(d.domain ?? '')?.pgtable?.leaves.keys() ?? [])].sort(
    (x, y) => Number(x - y),
  );
  return { pasid: undefined, addr: iovas[0] ?? 0n };
}
