// The guest's STE becomes a nested domain attached to the physical device: iommufd
// IOMMU_HWPT_ALLOC on the vSMMU (arm_vsmmu_alloc_domain_nested → arm_smmu_validate_vste), then
// the attach (arm_smmu_attach_dev_nested → arm_smmu_attach_prepare_vmaster,
// arm_smmu_make_nested_domain_ste, arm_smmu_install_ste_for_dev). docs/research/nesting.md.
import { hex } from '../../engine/index.ts';
import { log, type KCtx } from '../ctx.ts';
import { fail } from '../errors.ts';
import { submit } from '../smmu/cmdq.ts';
import { atcInv } from '../smmu/inv.ts';
import { writeSte } from '../smmu/strtab.ts';
import type { Device, Vm } from '../state.ts';
import { s2Vtcr } from './s2pgtable.ts';
import { needIommufd } from './vsmmu.ts';
import { physicalSte, validateVste, type S2Parent } from './vste.ts';

/** The parent as arm_smmu_make_s2_domain_ste reads it. No FEAT_S2FWB in this model's SMMU. */
export const s2Parent = (vm: Vm): S2Parent => ({
  vmid: vm.vmid,
  vtcr: s2Vtcr(vm.s2),
  vttbr: vm.s2.root,
  s2fwb: false,
});

export function nest(c: KCtx, devName: string, vsmmuName: string, ste: readonly bigint[]): void {
  needIommufd(c, 'IOMMU_HWPT_ALLOC (nested)');
  const k = c.k;
  const dev = k.devices.get(devName) ?? fail('-ENODEV', `no device named ${devName}`);
  const v = k.vsmmus.get(vsmmuName) ?? fail('-ENOENT', `no vSMMU named ${vsmmuName}`);
  const vm = k.vms.get(v.vm)!;
  const verdict = validateVste(ste[0] ?? 0n, ste[1] ?? 0n);
  if (!verdict.ok) fail(verdict.errno, `arm_smmu_validate_vste: ${verdict.why}`);
  // arm_smmu_attach_dev_nested: a master whose own CD table has PASIDs in use cannot nest.
  if (dev.bonds.size > 0)
    fail(
      '-EBUSY',
      `${devName} has PASIDs in use in its own CD table (arm_smmu_ssids_in_use); unbind them first`,
    );
  // arm_smmu_attach_prepare_vmaster: a translating vSTE needs the vDEVICE (for CD/ATS
  // invalidations and vevents); abort and bypass may attach without one.
  const vsid = dev.vdev?.vsmmu === vsmmuName ? dev.vdev.vsid : undefined;
  if (vsid === undefined && verdict.config === 5)
    fail(
      '-ENOENT',
      `${devName} has no vDEVICE on ${vsmmuName} (iommufd_viommu_get_vdev_id): a stage-1 vSTE needs one`,
    );
  // Commit. arm_smmu_attach_prepare: ATS on when the vSTE asked for it and the master can.
  const ats = verdict.enableAts && dev.ats;
  const old = dev.domain ? k.domains.get(dev.domain) : undefined;
  if (old) old.devices = old.devices.filter((n) => n !== devName);
  const wasAts = (old?.type === 'dma' && dev.ats) || dev.nested?.ats === true;
  if (wasAts && !ats) {
    // arm_smmu_attach_commit → arm_smmu_disable_ats: the ATC is emptied.
    submit(c, [atcInv(dev.sid, undefined, 0n, 0n)], true);
    log(c, `arm-smmu-v3: ${devName}: ATS disabled, its ATC invalidated`);
  }
  const phys = physicalSte(verdict, s2Parent(vm), {
    ats,
    stall: stallEnabled(c, dev),
    attrTypesOvr: false,
  });
  writeSte(c, dev.sid, phys.words);
  dev.domain = undefined;
  dev.nested = {
    vsmmu: vsmmuName,
    guest: [ste[0] ?? 0n, ste[1] ?? 0n],
    vste: [verdict.ste[0], verdict.ste[1]],
    kind: phys.kind,
    ats,
    vsid,
  };
  log(c, describe(devName, dev, phys.kind, vm, verdict.ste[0]));
}

/** master->stall_enabled (arm_smmu_probe_device): a stall-capable master, or stalls forced. */
const stallEnabled = (c: KCtx, dev: Device): boolean =>
  c.smmu.platform.stall === 'forced' || (c.smmu.platform.stall === 'supported' && dev.stall);

function describe(name: string, dev: Device, kind: string, vm: Vm, ste0: bigint): string {
  const sid = hex(dev.sid);
  if (kind === 'abort')
    return `arm-smmu-v3: ${name}: nested domain with an abort vSTE — STE ${sid} = abort (the guest will see C_BAD_STE-free aborts)`;
  if (kind === 'stage2')
    return `arm-smmu-v3: ${name}: nested domain with a bypass vSTE — STE ${sid} = stage 2 only (Config=0b110), VMID ${vm.vmid}: DMA addresses are guest IPAs`;
  const cdIpa = ste0 & (((1n << 52n) - 1n) & ~0x3fn);
  return `arm-smmu-v3: ${name}: nested domain — STE ${sid} = nested (Config=0b111): the guest's CD table at IPA ${hex(cdIpa)} (S1ContextPtr), stage 2 of VM ${vm.name} (VMID ${vm.vmid}), MEV set${dev.nested?.vsid !== undefined ? `; events relayed as vSID ${hex(dev.nested.vsid)}` : ''}`;
}
