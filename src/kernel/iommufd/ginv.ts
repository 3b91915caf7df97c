// A guest's invalidation through IOMMU_VIOMMU_INVALIDATE: arm-smmu-v3-iommufd.c
// arm_vsmmu_cache_invalidate — each raw command converted (vcmd.ts), then issued on the main
// command queue with a CMD_SYNC (arm_smmu_cmdq_issue_cmdlist(…, true)). v6.13.
import { buildCommand, decodeCommand, hex64, type Command } from '../../engine/index.ts';
import { log, type KCtx } from '../ctx.ts';
import { fail } from '../errors.ts';
import { submit } from '../smmu/cmdq.ts';
import { convertUserCmd } from './vcmd.ts';
import { needIommufd } from './vsmmu.ts';

export interface Forwarded {
  readonly name: string;
  readonly raw: readonly [bigint, bigint];
}

/** The guest's command `name` with spec-named `fields` (its own vSID, VMID, …), forwarded. */
export function guestInvalidate(
  c: KCtx,
  vsmmuName: string,
  name: string,
  fields: Readonly<Record<string, bigint>>,
): Forwarded[] {
  needIommufd(c, 'IOMMU_VIOMMU_INVALIDATE');
  const v = c.k.vsmmus.get(vsmmuName) ?? fail('-ENOENT', `no vSMMU named ${vsmmuName}`);
  const guest = buildCommand(name, fields);
  const sidOf = (vsid: number): number | undefined => {
    const dev = v.vdevs.get(vsid);
    return dev === undefined ? undefined : c.k.devices.get(dev)?.sid;
  };
  const r = convertUserCmd(guest.raw, v.vmid, sidOf);
  if (!r.ok) fail(r.errno, `arm_vsmmu_convert_user_cmd: ${guest.name}: ${r.why}`);
  const host: Command = decodeCommand(r.raw)!;
  log(
    c,
    `iommufd: ${vsmmuName}'s guest ${guest.name} [${guest.raw.map(hex64).join(', ')}] forwarded as ${host.name} [${host.raw.map(hex64).join(', ')}] + CMD_SYNC`,
  );
  submit(c, [host], true);
  return [{ name: host.name, raw: host.raw }];
}
