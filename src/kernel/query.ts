// Questions the rest of the program asks of the kernel's state, answered once by the kernel's own
// rules: whose is this PASID, this ASID, this bond; where is this StreamID's STE. The views (the
// diagram, the PASIDs and caches panels) ask here instead of walking the records by hand, and the
// kernel's own paths use the same answers. Pure reads: nothing here changes the state.
import { S1FMT, STE_BYTES } from '../engine/index.ts';
import type { Bond, CdTable, Device, IommuProcess, KernelState } from './state.ts';

/** The iommu_process (mainline: the mm's iommu_mm) of the live process named `proc`. */
export function liveIommuProcess(k: KernelState, proc: string): IommuProcess | undefined {
  for (const ip of k.iommuProcesses.values()) if (ip.proc === proc && !ip.exited) return ip;
  return undefined;
}

/**
 * A shared bond whose PASID no longer belongs to the live process of that name: the process
 * exited (RFCv2 frees the PASID at once, linux-sva §1.7; mainline keeps it with the mm until the
 * driver unbinds) and the driver has not unbound yet. A bind of that name is then -EEXIST.
 */
export function isStale(k: KernelState, proc: string, bond: Bond): boolean {
  return bond.tables === 'shared' && liveIommuProcess(k, proc)?.pasid !== bond.pasid;
}

/**
 * What a device's bond is now. live: the PASID belongs to the bond's owner (the private context
 * of that device and process, or the live process's iommu_process). exited (mainline): the
 * process exited but its mm holds the PASID until this unbind. stale: the PASID is no longer the
 * bond's (rfc2017 freed it at exit; the unbind will answer -ESRCH).
 */
export type BondState = 'live' | 'exited' | 'stale';

export function bondState(k: KernelState, dev: string, proc: string, bond: Bond): BondState {
  if (bond.tables === 'private') {
    const owner = k.idr.used.get(bond.pasid);
    return owner?.kind === 'private' && owner.dev === dev && owner.proc === proc ? 'live' : 'stale';
  }
  if (!isStale(k, proc, bond)) return 'live';
  return k.iommuProcesses.get(bond.pasid)?.proc === proc ? 'exited' : 'stale';
}

/** mainline: the PASID is held by the mm of a process that exited, until the drivers unbind. */
export const heldByExitedMm = (k: KernelState, pasid: number): boolean =>
  k.iommuProcesses.get(pasid)?.exited === true;

/** Who a PASID (and the CD at that index of every CD table) belongs to. */
export type PasidOwner =
  | { readonly kind: 'private'; readonly dev: string; readonly proc: string }
  | { readonly kind: 'process'; readonly proc: string; readonly pid: number }
  /** mainline: the process exited; its mm keeps the PASID (its CD: EPD0=1) until the unbind. */
  | { readonly kind: 'exited'; readonly proc: string; readonly pid: number };

/**
 * By the PASID's own records (the IDR, then iommu_process / mm->iommu_mm): under mainline the
 * process may have exited while its mm keeps the PASID. Undefined: free, or no such process.
 */
export function pasidOwner(k: KernelState, pasid: number): PasidOwner | undefined {
  const u = k.idr.used.get(pasid);
  if (!u) return undefined;
  if (u.kind === 'private') return { kind: 'private', dev: u.dev, proc: u.proc };
  const ip = k.iommuProcesses.get(pasid);
  if (ip?.exited) return { kind: 'exited', proc: ip.proc, pid: ip.pid };
  const p = k.processes.get(u.proc);
  return p ? { kind: 'process', proc: p.name, pid: p.pid } : undefined;
}

/** Who holds an ASID the SMMU driver allocated (a CPU ASID when a shared CD reuses it). */
export type AsidOwner =
  | { readonly kind: 'sva-domain'; readonly proc: string; readonly exited: boolean }
  | { readonly kind: 'io-pgtable'; readonly domain: string }
  | { readonly kind: 'context'; readonly domain: string; readonly proc: string }
  | { readonly kind: 'private'; readonly dev: string; readonly proc: string }
  | { readonly kind: 'cpu'; readonly proc: string }
  /** Held by no record: reserved (ASID 0, or seized from a process). */
  | { readonly kind: 'none' };

export function asidOwner(k: KernelState, asid: number): AsidOwner {
  for (const p of k.iommuProcesses.values())
    if (p.sva?.asid === asid) return { kind: 'sva-domain', proc: p.proc, exited: !!p.exited };
  for (const d of k.domains.values()) {
    if (d.pgtable?.asid === asid) return { kind: 'io-pgtable', domain: d.name };
    for (const [proc, c] of d.contexts)
      if (c.asid === asid) return { kind: 'context', domain: d.name, proc };
  }
  for (const p of k.privates.values())
    if (p.pgtable.asid === asid) return { kind: 'private', dev: p.dev, proc: p.proc };
  for (const p of k.processes.values())
    if (p.mm.asid === asid) return { kind: 'cpu', proc: p.name };
  return { kind: 'none' };
}

/** The device whose StreamID is `sid`. */
export function deviceBySid(k: KernelState, sid: number): Device | undefined {
  for (const d of k.devices.values()) if (d.sid === sid) return d;
  return undefined;
}

/**
 * Where StreamID `sid`'s STE is in the stream table the driver built: linear, or in the level-2
 * table of its L1STD (undefined while that table is not allocated).
 */
export function steAddress(k: KernelState, sid: number): bigint | undefined {
  const t = k.driver.strtab;
  if (t.fmt === 'linear') return t.base + BigInt(sid) * STE_BYTES;
  const l2 = t.l2.get(sid >>> t.split);
  return l2 === undefined ? undefined : l2 + BigInt(sid & ((1 << t.split) - 1)) * STE_BYTES;
}

/** STE.S1Fmt the driver gives a CD table (Linux: linear, or 64 KB leaves of 1024 CDs). */
export const cdTableS1Fmt = (t: CdTable): number =>
  t.fmt === 'linear' ? S1FMT.LINEAR : S1FMT.L2_64K;
