// The event thread's iommufd branch: arm_smmu_handle_event → arm_vmaster_report_event →
// iommufd_viommu_report_event (v6.15). A record of a nested master that the guest should see is
// queued to its vSMMU's vEVENTQ with the vSID instead of the SID; the host does not log it.
import { eventName, hex } from '../../engine/index.ts';
import { log, type KCtx } from '../ctx.ts';
import type { Device } from '../state.ts';
import { relayEvent } from './vevent.ts';

/** True when the record went to the guest (the caller then does not dump it). */
export function relayToGuest(c: KCtx, dev: Device | undefined, raw: readonly bigint[]): boolean {
  const n = dev?.nested;
  if (!dev || !n) return false;
  const r = relayEvent(raw, n.vsid);
  const name = eventName(Number((raw[0] ?? 0n) & 0xffn));
  if (!r.relay) {
    log(c, `iommufd: ${name} of ${dev.name} stays with the host: ${r.why}`);
    return false;
  }
  const v = c.k.vsmmus.get(n.vsmmu);
  if (!v) return false;
  v.vevents++;
  c.vevents?.push({ name, vsmmu: v.name, vsid: n.vsid!, raw: r.raw });
  log(
    c,
    `iommufd: ${name} of ${dev.name} relayed to ${v.name}'s vEVENTQ as vSID ${hex(n.vsid!)} (record ${v.vevents})`,
  );
  return true;
}
