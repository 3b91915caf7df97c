// A guest as the VMM sets it up through iommufd: guest RAM pinned at host PAs, an IOAS mapping it
// at IPA 0 upward, and a HWPT allocated with IOMMU_HWPT_ALLOC_NEST_PARENT — an
// ARM_SMMU_DOMAIN_S2 domain with its own VMID (arm_smmu_domain_alloc_paging_flags,
// arm_smmu_domain_finalise_s2, v6.13). And the guest's own stores into its RAM (its CD table, its
// page tables), which go through the CPU's stage 2, not the SMMU. docs/research/nesting.md.
import { hex, type GranuleShift } from '../../engine/index.ts';
import { log, type KCtx } from '../ctx.ts';
import { fail } from '../errors.ts';
import { allocFrames, claimFrames } from '../frames.ts';
import type { Vm } from '../state.ts';
import { newS2Pgtable, s2Map, s2Vtcr } from './s2pgtable.ts';

/** ARM_SMMU_FEAT_NESTING: both stages implemented (arm_smmu_device_hw_probe). */
export const smmuNests = (c: KCtx): boolean => c.smmu.platform.s1 && c.smmu.platform.s2;

export interface VmResult {
  readonly vmid: number;
  readonly ram: readonly { ipa: bigint; pa: bigint; size: bigint }[];
}

export function createVm(
  c: KCtx,
  name: string,
  size: bigint,
  pa: bigint | undefined,
  granule: GranuleShift | undefined,
): VmResult {
  const k = c.k;
  const p = c.smmu.platform;
  if (k.vms.has(name)) fail('-EEXIST', `a VM named ${name} already exists`);
  if (!smmuNests(c))
    fail(
      '-EOPNOTSUPP',
      'IOMMU_HWPT_ALLOC_NEST_PARENT: the SMMU has no ARM_SMMU_FEAT_NESTING (stage 1 and stage 2 both needed, IDR0.S1P and S2P)',
    );
  const g = granule ?? k.cpu.granule;
  // smmu->ias = max(IAS, OAS) = OAS here (no AArch32 tables): guest RAM must fit the IPA space.
  if (size > 1n << BigInt(p.oas))
    fail('-ERANGE', `${hex(size)} bytes of guest RAM exceed the ${p.oas}-bit IPA space`);
  // VMID 0 is reserved for stage-1 and bypass STEs: ida_alloc_range(vmid_map, 1, 2^bits − 1).
  let vmid = 1;
  while (k.vmids.has(vmid)) vmid++;
  if (vmid >= 2 ** p.vmidBits)
    fail('-ENOSPC', `no free VMID in 1–${2 ** p.vmidBits - 1} (ida_alloc_range)`);
  let base: bigint;
  if (pa !== undefined) {
    if (!claimFrames(k.frames, pa, size, 'guest-ram', `guest RAM of ${name}`))
      fail(
        '-EBUSY',
        `host PA ${hex(pa)}–${hex(pa + size - 1n)} is not free RAM the kernel never allocated (model: a VM's RAM at a chosen PA must lie above the allocator's high-water mark ${hex(k.frames.next)})`,
      );
    base = pa;
  } else {
    // Model: the VMM's guest RAM is one physically contiguous, size-aligned block (hugepage-backed).
    base =
      allocFrames(k.frames, size, 'guest-ram', `guest RAM of ${name}`) ??
      fail('-ENOMEM', `no ${hex(size)}-byte block of host RAM for ${name}`);
    c.mem.zero(base, size);
  }
  k.vmids.add(vmid);
  const s2 = newS2Pgtable(c, g, `VM ${name}`);
  const leaves = s2Map(c, s2, 0n, base, size);
  const vm: Vm = { name, vmid, ram: [{ ipa: 0n, pa: base, size }], s2 };
  k.vms.set(name, vm);
  const v = s2Vtcr(s2);
  log(
    c,
    `iommufd: VM ${name}: ${hex(size)} bytes of guest RAM at IPA 0 → PA ${hex(base)}; nesting-parent stage-2 domain (ARM_SMMU_DOMAIN_S2), VMID ${vmid}, ${s2.ias}-bit IPA, start level ${s2.startLevel} (S2T0SZ=${v.tsz}, S2SL0=${v.sl}), root ${hex(s2.root)}; ${leaves} stage-2 leaves (IOMMU_CACHE|READ|WRITE)`,
  );
  return { vmid, ram: vm.ram };
}

/** The host PA behind a guest IPA, if the IPA is guest RAM. */
export function ipaToPa(vm: Vm, ipa: bigint): bigint | undefined {
  for (const r of vm.ram) if (ipa >= r.ipa && ipa < r.ipa + r.size) return r.pa + (ipa - r.ipa);
  return undefined;
}

/** The guest CPU stores a 64-bit word at an IPA of its RAM. */
export function guestWrite(c: KCtx, vmName: string, ipa: bigint, value: bigint): bigint {
  const vm = c.k.vms.get(vmName) ?? fail('-ENOENT', `no VM named ${vmName}`);
  const pa =
    ipaToPa(vm, ipa) ??
    fail(
      '-EFAULT',
      `IPA ${hex(ipa)} is not guest RAM of ${vmName} (its RAM ends at ${hex(end(vm))})`,
    );
  c.mem.write64(pa, value);
  log(c, `guest ${vmName}: writes ${hex(value)} at IPA ${hex(ipa)} (host PA ${hex(pa)})`);
  return pa;
}

const end = (vm: Vm): bigint =>
  vm.ram.reduce((m, r) => (r.ipa + r.size > m ? r.ipa + r.size : m), 0n);
