// /proc/PID/maps → the ops that give a process those VMAs: `process` and one `mmap` per mapping
// the model can hold, so the user can then bind the process to a device and send DMA at its
// addresses. A mapping the model cannot represent is listed with the reason; the model keeps
// anonymous private memory only, so files and shared mappings become anonymous private memory
// (said once per mapping; the page cache and shared mappings are not modelled).
import { hex } from '../engine/index.ts';
import type { OpDoc } from '../scenario/index.ts';
import type { Vma } from './maps.ts';

export interface MappedVma {
  readonly vma: Vma;
  /** What the mapping is: its path, `[heap]`, `[stack]`, `[vdso]`, or `anonymous`. */
  readonly label: string;
  /** Whether an mmap op stands for it. */
  readonly mapped: boolean;
  /** Why not (mapped: false), or what the model changes about it (mapped: true). */
  readonly note?: string;
}

export interface MapsOps {
  readonly name: string;
  readonly ops: OpDoc[];
  readonly vmas: MappedVma[];
}

export interface MapsOpsOptions {
  /** Process name; by default the program's file name. */
  readonly name?: string;
  /** The CPU's user address space (platform.cpu.vaBits, 48 by default). */
  readonly vaBits?: number;
  /** The CPU's page size in bytes (platform.cpu.granule, 4 KB by default). */
  readonly pageSize?: bigint;
}

const NAME = /^[A-Za-z0-9_.:+-]{1,40}$/;

/** A process name from the maps: the main program's file name (the first file mapped r-x). */
export function programName(vmas: readonly Vma[]): string {
  const prog = vmas.find(
    (v) => v.path?.startsWith('/') && v.perms.exec && !/\.so(\.|$)/.test(v.path),
  );
  const base = (prog?.path ?? '').split('/').pop() ?? '';
  const clean = base.replace(/[^A-Za-z0-9_.:+-]/g, '_').slice(0, 40);
  return NAME.test(clean) ? clean : 'proc';
}

const protOf = (v: Vma): string =>
  `${v.perms.read ? 'r' : ''}${v.perms.write ? 'w' : ''}${v.perms.exec ? 'x' : ''}`;

export function mapsToOps(vmas: readonly Vma[], o: MapsOpsOptions = {}): MapsOps {
  const name = o.name ?? programName(vmas);
  const vaBits = o.vaBits ?? 48;
  const page = o.pageSize ?? 0x1000n;
  const ops: OpDoc[] = [{ op: 'process', name }];
  const out: MappedVma[] = [];
  for (const v of vmas) {
    const label = v.path ?? 'anonymous';
    const start = BigInt(v.start);
    const end = BigInt(v.end);
    const skip = (note: string) => out.push({ vma: v, label, mapped: false, note });
    const prot = protOf(v);
    if (prot === '')
      skip(
        'no access (---): a guard page or a reserved range; the model’s mmap needs at least one of r, w, x',
      );
    else if (end > 1n << BigInt(vaBits))
      skip(`beyond the CPU’s ${vaBits}-bit user address space (ends at ${hex(end)})`);
    else if (start % page !== 0n || end % page !== 0n)
      skip(`not aligned to the CPU’s ${page / 1024n} KB pages`);
    else {
      ops.push({
        op: 'mmap',
        proc: name,
        addr: hex(start),
        size: hex(end - start),
        prot,
        ...(v.path === undefined ? {} : { name: v.path.slice(0, 200) }),
      });
      const changed = [
        v.path && !v.path.startsWith('[') ? 'file-backed: anonymous memory here' : '',
        v.perms.shared ? 'MAP_SHARED: private here' : '',
      ].filter(Boolean);
      out.push({
        vma: v,
        label,
        mapped: true,
        ...(changed.length ? { note: changed.join('; ') } : {}),
      });
    }
  }
  return { name, ops, vmas: out };
}
