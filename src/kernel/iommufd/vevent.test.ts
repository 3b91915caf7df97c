// Goldens derived by hand from arm_smmu_handle_event (which IDs, stall, vmaster, S2) and
// arm_vmaster_report_event (EVTQ_0_SID [63:32] replaced by the vSID; dwords 1–3 unchanged), with
// the record layout of spec §7.3 (EVTQ_1_STALL bit 31, RnW 35, S2 39, CLASS [41:40]).
import { describe, expect, it } from 'vitest';
import { relayEvent } from './vevent.ts';

// F_TRANSLATION from StreamID 0x200, SSV, SSID 1: dword 0 = 0x10 | SSV (1 << 11) | SSID << 12 |
// SID << 32; dword 1 = RnW (1 << 35) | CLASS IN (2 << 40); dword 2 = input address.
const XLATE = [0x0000_0200_0000_1810n, 0x0000_0208_0000_0000n, 0x1234_5000n, 0n];

describe('arm_vmaster_report_event', () => {
  it('relays a stage-1 F_TRANSLATION with the vSID in place of the SID', () => {
    expect(relayEvent(XLATE, 0x10)).toEqual({
      relay: true,
      raw: [0x0000_0010_0000_1810n, 0x0000_0208_0000_0000n, 0x1234_5000n, 0n],
    });
  });

  it.each([0x04, 0x06, 0x08, 0x0a, 0x11, 0x12, 0x13])('relays ID 0x%s', (id) => {
    const raw = [0x0000_0200_0000_0000n | BigInt(id), 0n, 0n, 0n];
    expect(relayEvent(raw, 7)).toEqual({
      relay: true,
      raw: [0x0000_0007_0000_0000n | BigInt(id), 0n, 0n, 0n],
    });
  });

  it.each([
    ['F_CD_FETCH (a host fetch address)', [0x0000_0200_0000_0009n, 0n, 0n, 0x4000_0000n], 0x10],
    ['F_WALK_EABT', [0x0000_0200_0000_000bn, 0n, 0n, 0x4000_0000n], 0x10],
    ['F_STE_FETCH', [0x0000_0200_0000_0003n, 0n, 0n, 0n], 0x10],
    ['C_BAD_STREAMID', [0x0000_0200_0000_0002n, 0n, 0n, 0n], 0x10],
    // S2=1 (bit 39), CLASS=CD: a stage-2 fault on the guest's CD fetch.
    ['a stage-2 fault', [0x0000_0200_0000_0010n, 0x0000_0088_0000_0000n, 0n, 0x8000n], 0x10],
    // Stall (bit 31): the host's I/O page-fault path.
    ['a stalled fault', [0x0000_0200_0000_0010n, 0x0000_0208_8000_0000n, 0n, 0n], 0x10],
    ['a master without vDEVICE', XLATE, undefined],
  ])('keeps %s', (_, raw, vsid) => {
    expect(relayEvent(raw, vsid)).toMatchObject({ relay: false });
  });
});
