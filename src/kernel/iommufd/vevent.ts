// Which events the host hands to the guest: arm-smmu-v3.c arm_smmu_handle_event (v6.15 vEVENTQ
// series) and arm-smmu-v3-iommufd.c arm_vmaster_report_event. Pure: a raw record and what the
// host knows of its master in, the guest's record (or why the host keeps it) out.

/** Event IDs arm_smmu_handle_event considers at all (the rest: -EOPNOTSUPP, dumped). */
export const RELAYABLE_IDS: ReadonlySet<number> = new Set([
  0x04, // C_BAD_STE
  0x06, // F_STREAM_DISABLED
  0x08, // C_BAD_SUBSTREAMID
  0x0a, // C_BAD_CD
  0x10, // F_TRANSLATION
  0x11, // F_ADDR_SIZE
  0x12, // F_ACCESS
  0x13, // F_PERMISSION
]);

const SID = 0xffff_ffffn << 32n; // EVTQ_0_SID
const STALL = 1n << 31n; // EVTQ_1_STALL
const S2 = 1n << 39n; // EVTQ_1_S2

export type Relay =
  | { readonly relay: true; readonly raw: readonly bigint[] }
  | { readonly relay: false; readonly why: string };

/**
 * The guest's copy of a host event record, or why the host keeps it. `vsid` is the vSID of the
 * master's vmaster (a vDEVICE existed at the nested attach), undefined when it has none.
 */
export function relayEvent(raw: readonly bigint[], vsid: number | undefined): Relay {
  const w0 = raw[0] ?? 0n;
  const w1 = raw[1] ?? 0n;
  const id = Number(w0 & 0xffn);
  if (!RELAYABLE_IDS.has(id))
    return {
      relay: false,
      why: `event 0x${id.toString(16).padStart(2, '0')} is not one the host reports to a guest (it may carry a host address)`,
    };
  if ((w1 & STALL) !== 0n)
    return { relay: false, why: 'a stalled transaction goes to the host I/O page-fault handler' };
  if (vsid === undefined) return { relay: false, why: 'the master has no vDEVICE (no vmaster)' };
  if ((w1 & S2) !== 0n)
    return { relay: false, why: 'a stage-2 fault is the host’s to handle (S2=1)' };
  return {
    relay: true,
    raw: [(w0 & ~SID) | (BigInt(vsid) << 32n), w1, raw[2] ?? 0n, raw[3] ?? 0n],
  };
}
