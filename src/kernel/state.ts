// The kernel's state as plain data (Maps, bigints, no classes), so a checkpoint is a deep copy —
// except the big collections (CowMap, FreeList), which copies share until they write.
// Names follow the Linux structures they model: iommu_process, iommu_context (RFCv2
// iommu-process.c), arm_smmu_domain / arm_smmu_master (arm-smmu-v3.c), mm_struct / vm_area_struct.
import type { GranuleShift } from '../engine/index.ts';
import type { AsidSpace } from './asid.ts';
import { CowMap } from './cowMap.ts';
import type { Frames } from './frames.ts';
import { FreeList } from './freeList.ts';
import type { Access, CpuPlatform, Perms } from './vocab.ts';
import type { S2Pgtable } from './iommufd/s2pgtable.ts';

export interface Vma {
  start: bigint;
  end: bigint;
  prot: Perms;
  /**
   * What it maps, as /proc/PID/maps names it (a file path, [heap], [stack], [vdso]); the model
   * keeps every mapping as anonymous memory, so this is a label only. Absent: anonymous.
   */
  name?: string;
}

/** A user page the kernel faulted in (or the shared zero page mapped read-only). Shared between
 * checkpoints: replaced, never changed in place. */
export interface UserPage {
  readonly pa: bigint;
  /** Mapped from the shared zero page (read fault on anonymous memory). */
  readonly zero: boolean;
  readonly dirty: boolean;
}

/** A get_user_pages reference (shared between checkpoints: replaced, never changed in place). */
export interface Pin {
  readonly count: number;
  readonly pa: bigint;
  readonly zero: boolean;
}

export interface Mm {
  pgd: bigint;
  /** CPU ASID (arm64 context.c); pinned while an iommu_process holds it. */
  asid: number;
  asidPinned: boolean;
  vmas: Vma[];
  /** Present pages by page-aligned VA. */
  pages: CowMap<bigint, UserPage>;
  /** get_user_pages references by page VA: pin count and the frame it holds. */
  pins: CowMap<bigint, Pin>;
  /** Page-table pages of this mm (for freeing at exit). */
  tables: bigint[];
  /**
   * Pages whose PTE a hardware-level write cleared while the kernel had them mapped: the next
   * fault there took a new page and these stay allocated, counted in the mm's rss (mm.ts readPte).
   */
  lost?: number;
}

export interface Process {
  name: string;
  pid: number;
  mm: Mm;
}

/** The io-pgtable of a DMA domain or of a private PASID context (io-pgtable-arm.c). */
export interface IoPgtable {
  root: bigint;
  g: GranuleShift;
  ias: number;
  oas: number;
  startLevel: number;
  /** SMMU-private ASID (arm_smmu_asid_xa / asid_idr). */
  asid: number;
  mair: bigint;
  /** Table pages (root included). */
  tables: bigint[];
  /** Leaves as mapped: base IOVA → {pa, size, prot, buffer it belongs to} (display and unmap). */
  leaves: CowMap<bigint, IoLeaf>;
  /** DMA buffers the kernel allocated for `map` without a PA: base → bytes still mapped. */
  buffers: CowMap<bigint, bigint>;
}

/** Shared between checkpoints: replaced, never changed in place. */
export interface IoLeaf {
  readonly pa: bigint;
  readonly size: bigint;
  readonly prot: Perms;
  readonly buffer: bigint | undefined;
}

export interface CdTable {
  /** Base given to STE.S1ContextPtr. */
  base: bigint;
  fmt: 'linear' | '2level';
  /** STE.S1CDMax = log2(number of CDs). */
  s1cdmax: number;
  /** Two-level: leaf tables by L1 index. */
  leaves: Map<number, bigint>;
  /** Every frame block of the table (L1, linear array, leaves). */
  blocks: bigint[];
}

/** What a device driver holds after bind: the PASID, and whose tables it translates through. */
export interface Bond {
  pasid: number;
  tables: 'shared' | 'private';
  /**
   * Binds of this (device, process) not yet unbound, when more than one (absent = 1): each RFCv2
   * bind took a context ref (iommu_process_attach_locked), each mainline bind a handle user
   * (iommu_sva_bind_device → refcount_inc(&handle->users)); the driver unbinds once per bind.
   */
  count?: number;
}

export interface Device {
  name: string;
  sid: number;
  bus: 'pci' | 'platform';
  pasidBits: number;
  /** min(pasidBits, SMMU SSIDSIZE): master->ssid_bits. */
  ssidBits: number;
  ats: boolean;
  pri: boolean;
  stall: boolean;
  domain: string | undefined;
  /**
   * PASIDs the device driver was handed by bind, by process name. Kept after the process exits
   * (the driver still holds the number; RFCv2 freed it at exit) until the driver's unbind.
   */
  bonds: Map<string, Bond>;
  /** Next PRI Page Request Group index. */
  nextPrg: number;
  /** The master's own CD table (v6.7+ arm_smmu_master.cd_table; absent in earlier eras). */
  cdtable?: CdTable;
  /** iommufd: the device's vDEVICE (its StreamID as the guest sees it), if any. */
  vdev?: { vsmmu: string; vsid: number };
  /** iommufd: the nested domain the device is attached to (its RID STE came from a vSTE). */
  nested?: NestedAttach | undefined;
}

/** arm_smmu_nested_domain as attached: the vSTE (EATS stripped) and what the attach decided. */
export interface NestedAttach {
  vsmmu: string;
  /** The guest's STE as the VMM handed it over (IOMMU_HWPT_ALLOC data). */
  guest: [bigint, bigint];
  /** The vSTE as validated (V=0 → zeros, EATS stripped). */
  vste: [bigint, bigint];
  /** What the host installed: abort, the parent's stage 2 (bypass vSTE), or nested. */
  kind: 'abort' | 'stage2' | 'nested';
  /** state.ats_enabled: the vSTE asked for ATS and the master supports it. */
  ats: boolean;
  /** master->vmaster: the vSID events are relayed with (a vDEVICE existed at attach). */
  vsid: number | undefined;
}

/** A guest: its RAM (IPA 0 upward) and the stage-2 nesting parent that maps it. */
export interface Vm {
  name: string;
  /** s2_cfg.vmid of the nesting parent. */
  vmid: number;
  /** Guest RAM: IPA ranges and the host PA behind each. */
  ram: { ipa: bigint; pa: bigint; size: bigint }[];
  s2: S2Pgtable;
}

/** arm_vsmmu: a vIOMMU on a VM's nesting parent, its vDEVICEs and its vEVENTQ. */
export interface Vsmmu {
  name: string;
  vm: string;
  vmid: number;
  /** viommu->vdevs: vSID → device name. */
  vdevs: Map<number, string>;
  /** Events delivered to the vEVENTQ so far (its sequence number). */
  vevents: number;
}

/** iommu_context: one process in one domain; ref counts the domain's devices bound to it. */
export interface Context {
  pasid: number;
  ref: number;
  /** The ASID the CD carries: the SVA domain's own (v6.11+) or the CPU's (v5.14–v6.7). */
  asid?: number;
  /** CD.ASET of that CD (set with `asid`; rfc2017 leaves both unset: the CPU's ASID, ASET=0). */
  aset?: boolean;
  /** Devices bound (for exit handlers and display). */
  devices: string[];
  /**
   * v6.7: the masters whose own CD tables got this CD — every master of the RID domain when the
   * (domain, mm) notifier was created (arm_smmu_mmu_notifier_get), bound or not.
   */
  masters?: string[];
}

export interface Domain {
  name: string;
  type: 'dma' | 'identity' | 'blocked';
  granule: GranuleShift;
  devices: string[];
  pgtable: IoPgtable | undefined;
  /**
   * The domain's CD table, shared by its masters (RFCv2 … v6.6); undefined in eras whose masters
   * own their tables (Device.cdtable).
   */
  cdtable: CdTable | undefined;
  minPasid: number;
  maxPasid: number;
  /** smmu_domain->stall_enabled: its CDs set S=1 (fixed by the first master, at finalise). */
  stall?: boolean;
  /** Bound processes: iommu_context by process name. */
  contexts: Map<string, Context>;
}

/**
 * iommu_process (RFCv2): one per bound process, keyed by its PASID in the IDR. mainline: the mm's
 * iommu_mm_data (mm->iommu_mm: the PASID, allocated at the first bind and held until the mm is
 * freed) with its SVA domain.
 */
export interface IommuProcess {
  pasid: number;
  proc: string;
  pid: number;
  /** Domains this process is bound into (mainline: DMA domains whose CD table holds its SVA CD). */
  domains: string[];
  /**
   * v6.11+: the mm's SVA domain on the SMMU (arm_smmu_sva_domain_alloc: an arm_smmu_domain of
   * type SVA with its own ASID from arm_smmu_asid_xa) and domain->users, the devices attached.
   */
  sva?: {
    asid: number;
    users: number;
    /** The masters attached to the SVA domain, newest first (its devices list, list_add). */
    masters?: string[];
  };
  /**
   * The process exited, but its mm_struct lives on — an SVA domain or a shared CD holds an
   * mmgrab, and the bonds hold its PASID — until the last unbind (upstream eras).
   */
  exited?: boolean;
  /**
   * v5.14–v6.7: the CPU ASID the shared CD uses, pinned (arm64_mm_context_get) until the last
   * shared CD of the mm is freed — after the process exited too.
   */
  cpuAsid?: number;
}

/** A PASID with a private io-pgtable (tables: "private"): the GPU-per-process case. */
export interface PrivateContext {
  dev: string;
  proc: string;
  pasid: number;
  pgtable: IoPgtable;
}

/** The IDR: cyclic allocation (RFCv2 idr_alloc_cyclic) or lowest-free (ioasid/IDA, upstream). */
export interface PasidIdr {
  cursor: number;
  used: Map<
    number,
    { kind: 'process'; proc: string } | { kind: 'private'; dev: string; proc: string }
  >;
}

export interface DriverState {
  strtab: {
    base: bigint;
    fmt: 'linear' | '2level';
    log2size: number;
    split: number;
    l2: Map<number, bigint>;
  };
  cmdq: { base: bigint; log2size: number };
  evtq: { base: bigint; log2size: number };
  priq: { base: bigint; log2size: number };
  /** SMMU-private ASIDs in use (io-pgtables; mainline SVA domains too). */
  asids: AsidSpace;
  /** CR2.PTM left clear so the SMMU snoops CPU broadcast TLBI (BTM in use). */
  btm: boolean;
}

/**
 * A page request that is not the last of its group, held until the group's last request arrives
 * (RFCv2 io-pgfault.c: iommu_partial_faults, keyed by device and page_req_group_id). The list is
 * never flushed: a group whose last request was lost (PRI-queue overflow) stays here.
 */
export interface PartialFault {
  dev: string;
  grpid: number;
  pasid: number | undefined;
  addr: bigint;
  access: Access;
}

export interface KernelState {
  /** The kernel era (src/kernel/eras): which Linux release the kernel behaves like. */
  era: string;
  cpu: CpuPlatform;
  frames: Frames;
  zeroPage: bigint;
  driver: DriverState;
  processes: Map<string, Process>;
  nextPid: number;
  cpuAsids: AsidSpace;
  devices: Map<string, Device>;
  domains: Map<string, Domain>;
  idr: PasidIdr;
  iommuProcesses: Map<number, IommuProcess>;
  privates: Map<string, PrivateContext>;
  /** rfc2017: non-last page requests waiting for the last of their group (iopf partial list). */
  partialFaults: PartialFault[];
  /** iommufd guests, vSMMUs, and the VMIDs in use (smmu->vmid_map; 0 is reserved). */
  vms: Map<string, Vm>;
  vsmmus: Map<string, Vsmmu>;
  vmids: Set<number>;
}

export const privateKey = (dev: string, proc: string): string => `${dev}/${proc}`;

/**
 * A copy of the kernel state: what structuredClone gives for this plain data (Maps, Sets,
 * arrays, plain objects, bigints), several times faster — Timeline checkpoints and every
 * stateAt() jump clone it. Differences: objects the state shares (a leaf's `prot`, never
 * mutated) are copied once per reference, and the big collections (CowMap, FreeList) are shared
 * copy-on-write, their values with them. Anything else falls back to structuredClone.
 */
export function cloneKernel(k: KernelState): KernelState {
  return copyData(k);
}

function copyData<T>(x: T): T {
  if (typeof x !== 'object' || x === null) return x;
  if (x instanceof CowMap || x instanceof FreeList) return x.share() as T;
  if (Array.isArray(x)) {
    const out: unknown[] = x.slice();
    for (let i = 0; i < out.length; i++)
      if (typeof out[i] === 'object' && out[i] !== null) out[i] = copyData(out[i]);
    return out as T;
  }
  if (x instanceof Map) {
    const m = new Map<unknown, unknown>();
    for (const [key, v] of x) m.set(key, copyData(v));
    return m as T;
  }
  if (x instanceof Set) return new Set(x) as T;
  if (Object.getPrototypeOf(x) !== Object.prototype) return structuredClone(x);
  const o: Record<string, unknown> = {};
  for (const key of Object.keys(x)) o[key] = copyData((x as Record<string, unknown>)[key]);
  return o as T;
}
