// Goldens derived by hand from arm_vsmmu_convert_user_cmd and the CMDQ layouts of arm-smmu-v3.h
// (CMDQ_0_OP [7:0], CMDQ_TLBI_0_VMID [47:32], CMDQ_TLBI_0_ASID [63:48], CMDQ_CFGI_0_SSID [31:12],
// CMDQ_CFGI_0_SID [63:32], CMDQ_0_SSV bit 11, CMDQ_ATC_1_SIZE [5:0]).
import { describe, expect, it } from 'vitest';
import { convertUserCmd } from './vcmd.ts';

const VMID = 1;
/** One vDEVICE: vSID 0x10 is physical StreamID 0x200. */
const sidOf = (vsid: number): number | undefined => (vsid === 0x10 ? 0x200 : undefined);
const conv = (w0: bigint, w1 = 0n) => convertUserCmd([w0, w1], VMID, sidOf);

describe('arm_vsmmu_convert_user_cmd', () => {
  it.each([
    // TLBI_NH_ASID, guest VMID 0, ASID 5 → host VMID 1.
    ['TLBI_NH_ASID', 0x0005_0000_0000_0011n, 0n, 0x0005_0001_0000_0011n, 0n],
    // TLBI_NH_VA, guest's junk VMID 7, ASID 5, VA 0x7000, Leaf: only the VMID changes.
    ['TLBI_NH_VA', 0x0005_0007_0000_0012n, 0x7001n, 0x0005_0001_0000_0012n, 0x7001n],
    ['TLBI_NH_VAA', 0x0000_00ff_0000_0013n, 0x7000n, 0x0000_0001_0000_0013n, 0x7000n],
    ['TLBI_NH_ALL', 0x0000_1234_0000_0010n, 0n, 0x0000_0001_0000_0010n, 0n],
    // TLBI_NSNH_ALL → NH_ALL of the VMID; dword 1 cleared.
    ['TLBI_NSNH_ALL', 0x30n, 0xdeadn, 0x0000_0001_0000_0010n, 0n],
    // CFGI_CD vSID 0x10, SSID 1, Leaf → SID 0x200.
    ['CFGI_CD', 0x0000_0010_0000_1005n, 1n, 0x0000_0200_0000_1005n, 1n],
    ['CFGI_CD_ALL', 0x0000_0010_0000_0006n, 0n, 0x0000_0200_0000_0006n, 0n],
    // ATC_INV vSID 0x10, SSV, SSID 1, Size 52 (everything).
    ['ATC_INV', 0x0000_0010_0000_1840n, 0x34n, 0x0000_0200_0000_1840n, 0x34n],
  ])('%s is forwarded rewritten', (_, w0, w1, h0, h1) => {
    expect(conv(w0, w1)).toEqual({ ok: true, raw: [h0, h1] });
  });

  it.each([
    ['CFGI_STE', 0x0000_0010_0000_0003n],
    ['CFGI_ALL', 0x04n],
    ['TLBI_S12_VMALL', 0x0000_0001_0000_0028n],
    ['TLBI_S2_IPA', 0x0000_0001_0000_002an],
    ['TLBI_EL2_ALL', 0x20n],
    ['CMD_SYNC', 0x46n],
    ['PRI_RESP', 0x0000_0010_0000_0041n],
    ['RESUME', 0x0000_0010_0000_0044n],
    ['CFGI_CD of a vSID without vDEVICE', 0x0000_0011_0000_1005n],
    ['ATC_INV of a vSID without vDEVICE', 0x0000_0011_0000_0040n],
  ])('%s is refused with -EIO', (_, w0) => {
    expect(conv(w0)).toMatchObject({ ok: false, errno: '-EIO' });
  });
});
