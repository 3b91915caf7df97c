// The vSMMU and its vDEVICEs: iommufd viommu.c iommufd_viommu_alloc_ioctl /
// iommufd_vdevice_alloc_ioctl with arm-smmu-v3-iommufd.c arm_smmu_get_viommu_size and
// arm_vsmmu_init (v6.13; the size/init split ≈v6.17 changes nothing modelled).
// docs/research/nesting.md "vSMMU", "vDEVICE".
import { hex } from '../../engine/index.ts';
import { log, type KCtx } from '../ctx.ts';
import { eraOf } from '../eras/index.ts';
import { fail } from '../errors.ts';
import type { Vsmmu } from '../state.ts';
import { smmuNests } from './vm.ts';

/** "vX.Y" as a number to compare releases by (v6.13 → 6013). */
const release = (v: string): number => {
  const [maj = 0, min = 0] = v.replace(/^v/, '').split('.').map(Number);
  return maj * 1000 + min;
};

/**
 * iommufd exists from v6.2 and the vIOMMU from v6.13 (IOMMU_VIOMMU_ALLOC): an era that ends
 * before v6.13 has none. The v6.11 era runs past v6.13, so it counts as having it.
 */
export function needIommufd(c: KCtx, what: string): void {
  const era = eraOf(c.k.era);
  if (era.to !== null && release(era.to) <= release('v6.13'))
    fail(
      '-EOPNOTSUPP',
      `${what}: the ${era.title} kernel has no iommufd vIOMMU (IOMMU_VIOMMU_ALLOC came in v6.13); choose a later kernel era`,
    );
}

export function createVsmmu(c: KCtx, name: string, vmName: string): Vsmmu {
  needIommufd(c, 'IOMMU_VIOMMU_ALLOC');
  const k = c.k;
  if (k.vsmmus.has(name)) fail('-EEXIST', `a vSMMU named ${name} already exists`);
  const vm = k.vms.get(vmName) ?? fail('-ENOENT', `no VM named ${vmName}`);
  // arm_smmu_get_viommu_size returns 0 (→ -EOPNOTSUPP) without ARM_SMMU_FEAT_NESTING, or when the
  // master is not CANWBS and there is no S2FWB; this model's masters are CANWBS (nesting.md).
  if (!smmuNests(c))
    fail('-EOPNOTSUPP', 'arm_smmu_get_viommu_size: the SMMU has no ARM_SMMU_FEAT_NESTING');
  const v: Vsmmu = { name, vm: vmName, vmid: vm.vmid, vdevs: new Map(), vevents: 0 };
  k.vsmmus.set(name, v);
  log(
    c,
    `iommufd: vSMMU ${name} on VM ${vmName}'s nesting parent: arm_vsmmu_init takes its VMID ${vm.vmid} (s2_parent->s2_cfg.vmid); a vEVENTQ of type ARM_SMMUV3 is allocated for it`,
  );
  return v;
}

export function createVdevice(c: KCtx, vsmmuName: string, devName: string, vsid: number): void {
  needIommufd(c, 'IOMMU_VDEVICE_ALLOC');
  const k = c.k;
  const v = k.vsmmus.get(vsmmuName) ?? fail('-ENOENT', `no vSMMU named ${vsmmuName}`);
  const dev = k.devices.get(devName) ?? fail('-ENODEV', `no device named ${devName}`);
  if (dev.vdev)
    fail(
      '-EEXIST',
      `${devName} already has a vDEVICE (vSID ${hex(dev.vdev.vsid)} on ${dev.vdev.vsmmu}): idev->vdev is set`,
    );
  const taken = v.vdevs.get(vsid);
  if (taken !== undefined)
    fail('-EEXIST', `vSID ${hex(vsid)} of ${vsmmuName} is already ${taken}'s (xa_cmpxchg)`);
  v.vdevs.set(vsid, devName);
  dev.vdev = { vsmmu: vsmmuName, vsid };
  log(
    c,
    `iommufd: vDEVICE: ${devName} (StreamID ${hex(dev.sid)}) is vSID ${hex(vsid)} to ${vsmmuName}'s guest`,
  );
}
