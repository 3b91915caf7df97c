// A kernel era: one Linux release's SMMUv3 SVA behaviour, as one object the kernel consults — the
// way Linux itself dispatches through an ops struct (iommu_ops, mmu_notifier_ops). The kernel's
// shared code (kernel/*.ts) asks the era what to do wherever releases differ; nothing outside
// src/kernel/eras/ tests which era it runs. Facts and sources: docs/research/eras.md.
import type { KCtx } from '../ctx.ts';
import type { Errno } from '../errors.ts';
import type { Bond, Device, Mm, Process } from '../state.ts';

/** One line of what an era changed: the change, and the release + commit or function. */
export interface EraChange {
  readonly what: string;
  readonly where: string;
}

/** Words the page shows for this era's bookkeeping (the PASIDs tab, tooltips). */
export interface EraLabels {
  /** The short name in the selector. */
  readonly name: string;
  /** How PASIDs are allocated. */
  readonly allocator: string;
  /** The per-process record: RFCv2's iommu_process, or the PASID an mm holds. */
  readonly record: 'iommu_process' | 'mm';
  /** A bind counted `n` times for one (device, process): who holds the count. */
  bindCount(n: number): string;
  /** The heading of the domains panel. */
  readonly domains: string;
  /** What the CD of an exited-but-bound mm does, given whether stalls are forced. */
  exitedCd(pasid: number, forcedStall: boolean): string;
}

/** How the kernel writes a context descriptor (see smmu/cdtable.ts). */
export type CdWriter =
  /** 2018 arm_smmu_write_ctx_desc: words that changed, flush, word 0, flush; clear = V=0 only. */
  | 'rfc2018'
  /** v5.x–v6.8 arm_smmu_write_ctx_desc: install always syncs twice, quiet/remove/ASID once. */
  | 'ctxdesc'
  /** v6.10+ arm_smmu_write_entry: hitless updates by used bits. */
  | 'entry';

/** What the mm and the SMMU driver of this era do, as data the shared kernel code reads. */
export interface EraConfig {
  /** arm64 page-table and MAIR encodings (kernel/arm64.ts). */
  readonly arm64: 'v4.14' | 'v5.10+';
  /** The io-pgtable's MAIR (io-pgtable-arm.c). */
  readonly iopgtableMair: bigint;
  /** SMMU-private ASIDs: a cursor (2018 ida/idr) or the lowest free (arm_smmu_asid_xa). */
  readonly smmuAsids: 'cyclic' | 'lowest';
  /** Private-tables PASIDs (tables: "private"): cyclic IDR or the lowest free. */
  readonly privatePasids: 'cyclic' | 'lowest';
  /** CR2.PTM cleared when the SMMU has BTM (only the RFC used broadcast TLB maintenance). */
  readonly btm: boolean;
  /** Who owns a CD table: the domain (all its masters share it) or each master. */
  readonly cdTables: 'domain' | 'master';
  readonly cdWriter: CdWriter;
  /**
   * A master's CD 0, written at attach before its STE points at the table, is synced (CFGI_CD +
   * CMD_SYNC per StreamID, as arm_smmu_sync_cd does whether or not the STE is live).
   */
  readonly cd0Sync: boolean;
  /** Masters of a domain in the driver's list order: attach order, or newest first (list_add). */
  readonly domainOrder: 'attach' | 'newest-first';
  /**
   * Attach checks on a domain's shared CD table (arm_smmu_attach_dev): a narrower master only
   * while PASIDs are in use (the 2017 model), SSID width and stall must match (v5.x–v6.6), none.
   */
  readonly attachChecks: 'in-use' | 'exact' | 'none';
  /** Unmapping part of a block: split it (≤ v6.12) or remove the whole block (v6.13+). */
  readonly partialBlockUnmap: 'split' | 'remove';
  /**
   * io-pgtable unmap invalidation: one command per leaf (v4.14), or gathered into one range
   * (iommu_iotlb_gather), or gathered with the v7.1 size cap (arm_smmu_inv_size_too_big).
   */
  readonly unmapInvalidation: 'per-leaf' | 'gather' | 'gather-capped';
  /**
   * TTL of a range TLBI (IDR3.RIL) that is not leaf-only, as __arm_smmu_tlb_inv_range sets it:
   * from the granule like a leaf one (v5.7 range support … v6.4), or 0 with a one-page bump of a
   * count whose low 5 bits are 1 (6833b8f2e199 "Set TTL invalidation hint better", v6.5, and
   * eb6c97647be2 "Avoid constructing invalid range commands", v6.6).
   */
  readonly rangeTtl: 'granule' | 'leaf';
  /**
   * When the mm tells the SMMU about a CPU-side change (kernel/notifier.ts mmChanged): the 2017
   * model (CPU flush and notifier over the whole range), over the whole range of the operation
   * from mmu_notifier_invalidate_range_end (≤ v6.5), or only when and where the CPU flushes its
   * TLB (arch_invalidate_secondary_tlbs from __flush_tlb_range, v6.6+).
   */
  readonly notify: 'whole' | 'range' | 'flushed';
  /**
   * v6.7 as released: the SVA CD is written into every master of the RID domain and cleared only
   * from the masters still attached at the last unbind, so a master that left keeps it — a stale
   * CD no kernel record owns (fixed in v6.8 by b5bf7778b722). The invariant checker tolerates it.
   */
  readonly svaCdReplicated: boolean;
}

/** The process-management operations of an era: bind, unbind, exit, invalidation, faults. */
export interface EraOps {
  /** Binds `procName`'s address space to the device (shared tables); returns the PASID. */
  bind(c: KCtx, dev: Device, procName: string): number;
  /** The driver's unbind of one bind it holds (the bond). May throw; see kernel/index.ts. */
  unbind(c: KCtx, dev: Device, procName: string, bond: Bond): void;
  /** The mm of a bound process is torn down (before exit_mmap frees its pages). */
  release(c: KCtx, proc: Process): void;
  /** After exit_mmap: may the CPU ASID go back to the allocator now (not pinned any more)? */
  cpuAsidFree(c: KCtx, proc: Process): boolean;
  /** A CPU-side change of [start, end) of a bound mm: what the SMMU is told. */
  invalidate(c: KCtx, proc: Process, start: bigint, end: bigint): void;
  /** The CD that shares `mm` (smmu/cd.ts builds the words). */
  sharedCd(c: KCtx, mm: Mm, asid: number, stall: boolean): bigint[];
  /** Recoverable I/O page faults: PRI serviced or denied; a stall needs the device's own handle. */
  readonly iopf: { readonly pri: 'serviced' | 'denied'; readonly stallNeedsHandle: boolean };
  /** A device bound while a process of the same name that exited still holds its PASID. */
  staleBond(dev: string, proc: string, pasid: number): string;
  /** Errno when the device cannot use PASIDs at all (enabling SVA fails, or the core refuses). */
  readonly noPasidErrno: Errno;
}

export interface KernelEra {
  readonly id: string;
  /**
   * The first release that behaves this way ("vX.Y"); for the 2017 RFC, which was never merged, the
   * release it was written against.
   */
  readonly from: string;
  /** The release where the next era starts; null for the current one. */
  readonly to: string | null;
  readonly title: string;
  readonly summary: string;
  /** What this era changed against the one before, with releases and commits/functions. */
  readonly changes: readonly EraChange[];
  readonly labels: EraLabels;
  readonly config: EraConfig;
  readonly ops: EraOps;
}

/** What the CLI's `kernels --json` and the page's selector list per era. */
export interface EraInfo {
  readonly id: string;
  readonly from: string;
  readonly to: string | null;
  readonly title: string;
  readonly summary: string;
}
