// A guest's invalidation as the host forwards it: arm-smmu-v3-iommufd.c arm_vsmmu_convert_user_cmd
// (v6.13). The guest writes raw SMMUv3 commands; the host accepts a fixed list of opcodes, forces
// its own VMID into TLBI_NH_* and swaps the guest's virtual StreamID for the physical one in
// ATC_INV / CFGI_CD / CFGI_CD_ALL. Everything else is refused with -EIO. Pure: words in, words out.
import type { Errno } from '../errors.ts';

const OP = 0xffn; // CMDQ_0_OP
const VMID = 0xffffn << 32n; // CMDQ_TLBI_0_VMID [47:32]
const SID = 0xffff_ffffn << 32n; // CMDQ_CFGI_0_SID / CMDQ_ATC_0_SID [63:32]

/** Opcodes (arm-smmu-v3.h CMDQ_OP_*). */
const TLBI_NH_ALL = 0x10n;
const TLBI_NH_ASID = 0x11n;
const TLBI_NH_VA = 0x12n;
const TLBI_NH_VAA = 0x13n;
const TLBI_NSNH_ALL = 0x30n;
const ATC_INV = 0x40n;
const CFGI_CD = 0x05n;
const CFGI_CD_ALL = 0x06n;

export type Converted =
  | { readonly ok: true; readonly raw: readonly [bigint, bigint] }
  | { readonly ok: false; readonly errno: Errno; readonly why: string };

/**
 * Converts one guest command. `vmid` is the vSMMU's (its stage-2 parent's) VMID; `sidOf` maps a
 * vSID to the physical StreamID of the device behind it (arm_vsmmu_vsid_to_sid), or undefined.
 */
export function convertUserCmd(
  raw: readonly [bigint, bigint],
  vmid: number,
  sidOf: (vsid: number) => number | undefined,
): Converted {
  const [w0, w1] = raw;
  const op = w0 & OP;
  switch (op) {
    case TLBI_NSNH_ALL:
      // "Convert to NH_ALL": a guest's everything-non-secure-non-hyp is everything of its VMID.
      return { ok: true, raw: [TLBI_NH_ALL | (BigInt(vmid) << 32n), 0n] };
    case TLBI_NH_VA:
    case TLBI_NH_VAA:
    case TLBI_NH_ALL:
    case TLBI_NH_ASID:
      return { ok: true, raw: [(w0 & ~VMID) | (BigInt(vmid) << 32n), w1] };
    case ATC_INV:
    case CFGI_CD:
    case CFGI_CD_ALL: {
      const vsid = Number((w0 & SID) >> 32n);
      const sid = sidOf(vsid);
      if (sid === undefined)
        return {
          ok: false,
          errno: '-EIO',
          why: `vSID 0x${vsid.toString(16)} has no vDEVICE on this vSMMU (arm_vsmmu_vsid_to_sid)`,
        };
      return { ok: true, raw: [(w0 & ~SID) | (BigInt(sid) << 32n), w1] };
    }
    default:
      return {
        ok: false,
        errno: '-EIO',
        why: `opcode 0x${op.toString(16).padStart(2, '0')} is not one a guest may forward (TLBI_NH_ALL/ASID/VA/VAA, TLBI_NSNH_ALL, ATC_INV, CFGI_CD, CFGI_CD_ALL)`,
      };
  }
}
