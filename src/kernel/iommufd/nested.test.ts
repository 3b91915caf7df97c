// The nested path end to end at the kernel level: a VM, its vSMMU and vDEVICE, the guest's own
// CD table and page tables written into its RAM, the nested STE, and DMA by a guest PASID.
// Expected values derived by hand: the STE words from arm_smmu_make_nested_cd_table_ste, the walk
// arithmetic of spec §3.4/§4.8 (every stage-1 fetch and the output IPA through a 4-level stage
// 2), event records from §7.3 with the vSID swap of arm_vmaster_report_event.
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../engine/index.ts';
import { bootedCtx } from './boot.testkit.ts';
import type { KCtx, VEvent } from '../ctx.ts';
import { dma } from '../dma.ts';
import { serviceInterrupts } from '../index.ts';
import { guestInvalidate } from './ginv.ts';
import { nest } from './nest.ts';
import { nestedSteOf } from './query.ts';
import { createVm, guestWrite } from './vm.ts';
import { createVdevice, createVsmmu } from './vsmmu.ts';

const VA = 0x0000_7fff_dead_b123n; // L0 0xFF, L1 0x1FF, L2 0xF5, L3 0xDB
const CD_TABLE = 0x8000n; // guest IPA of its linear CD table (16 CDs)
const TABLES = [0x1_0000n, 0x1_1000n, 0x1_2000n, 0x1_3000n]; // guest L0–L3 tables
const OFFS = [0x7f8n, 0xff8n, 0x7a8n, 0x6d8n]; // index × 8 of VA at each level
const DATA = 0x2_0000n; // the guest page VA maps to
/** CD dword 0: T0SZ 16, IR0/OR0 WBWA, SH0 ISH (0x3510), EPD1, V, IPS 48-bit, AA64, R, A, ASID 5. */
const CD0 = 0x0005_6205_c000_3510n;
/** vSTE: V, Config=S1_TRANS, linear CD table at IPA 0x8000, S1CDMax=4; S1DSS bypass, WBRA, ISH. */
const VSTE = [0x2000_0000_0000_800bn, 0xd5n];

function setup(): { c: KCtx; vevents: VEvent[]; ramPa: bigint } {
  const c = bootedCtx(0x200, 20);
  const vevents = c.vevents;
  const vm = createVm(c, 'vm0', 0x10_0000n, undefined, undefined);
  createVsmmu(c, 'vs0', 'vm0');
  createVdevice(c, 'vs0', 'gpu', 0x10);
  // The guest kernel's SVA bind of PASID 1: its CD 1, then its process's page tables.
  guestWrite(c, 'vm0', CD_TABLE + 0x40n + 8n, TABLES[0]!); // CD 1 dword 1: TTB0
  guestWrite(c, 'vm0', CD_TABLE + 0x40n + 24n, 0xffn); // dword 3: MAIR (Attr0 = normal WB)
  guestWrite(c, 'vm0', CD_TABLE + 0x40n, CD0);
  TABLES.forEach((t, i) => {
    const next = i < 3 ? TABLES[i + 1]! | 3n : DATA | 0x743n; // table; page: AF | SH | AP[1] | 0b11
    guestWrite(c, 'vm0', t + OFFS[i]!, next);
  });
  nest(c, 'gpu', 'vs0', VSTE);
  return { c, vevents, ramPa: vm.ram[0]!.pa };
}

const reads = (t: Trace) => t.filter((s) => ['l1std', 'ste', 'l1cd', 'cd', 'tt'].includes(s.kind));

describe('nested translation through the vSMMU', () => {
  it('the VM: VMID 1, 1 MB at a size-aligned host block', () => {
    const { c, ramPa } = setup();
    const vm = c.k.vms.get('vm0')!;
    expect(vm.vmid).toBe(1);
    expect(ramPa % 0x10_0000n).toBe(0n);
    expect(vm.s2.startLevel).toBe(0); // 48-bit IPA, 4 KB: 512-entry PGD, no concatenation
  });

  it('writes the nested STE: guest dword 0 under Config=7, dword 1 | MEV, the parent stage 2', () => {
    const { c } = setup();
    const t = dma(c, 'gpu', 1, VA, 'r', false, 1, 0n);
    const ste = t.steps.find((s) => s.kind === 'ste')!.value;
    const root = c.k.vms.get('vm0')!.s2.root;
    expect(ste.slice(0, 4)).toEqual([
      0x2000_0000_0000_800fn,
      0x8_00d5n,
      0x044d_3590_0000_0001n,
      root,
    ]);
  });

  it('the STE of SID 0x200 came from the guest vSTE: guest-owned and host-forced bits', () => {
    const { c } = setup();
    const n = nestedSteOf(c.k, 0x200)!;
    expect(n).toMatchObject({ dev: 'gpu', vsmmu: 'vs0', vm: 'vm0', guest: VSTE, kind: 'nested' });
    expect(n.guestBits.slice(0, 3)).toEqual([0xf80f_ffff_ffff_fff0n, 0x0800_00ffn, 0n]);
    expect(n.hostBits[0]).toBe(0x07f0_0000_0000_000fn); // V, Config, S1ContextPtr[55:52]
    expect(nestedSteOf(c.k, 0x201)).toBeUndefined();
  });

  it('a guest PASID DMA: PA = guest page + offset; 5 reads for the CD, then 4×(4+1)+4 = 24', () => {
    const { c, ramPa } = setup();
    const t = dma(c, 'gpu', 1, VA, 'r', false, 1, 0n);
    expect(t.outcome).toBe('translated');
    expect(t.pa).toBe(ramPa + DATA + 0x123n);
    const r = reads(t.steps);
    const cdAt = r.findIndex((s) => s.kind === 'cd');
    // Before the CD: the L1STD and STE (2-level stream table), then the CD IPA's stage-2 walk.
    expect(r.slice(0, cdAt).map((s) => s.kind)).toEqual(['l1std', 'ste', 'tt', 'tt', 'tt', 'tt']);
    expect(r[cdAt]).toMatchObject({ ipa: CD_TABLE + 0x40n, pa: ramPa + CD_TABLE + 0x40n });
    const after = r.slice(cdAt + 1);
    expect(after).toHaveLength(24);
    expect(after.map((s) => (s.kind !== 'tt' ? s.kind : s.stage === 1 ? 'S1' : s.nested))).toEqual([
      ...['TT', 'TT', 'TT', 'TT', 'S1'],
      ...['TT', 'TT', 'TT', 'TT', 'S1'],
      ...['TT', 'TT', 'TT', 'TT', 'S1'],
      ...['TT', 'TT', 'TT', 'TT', 'S1'],
      ...['IN', 'IN', 'IN', 'IN'],
    ]);
    // Each stage-1 descriptor read at its IPA, from the host PA stage 2 gave.
    expect(after.flatMap((s) => (s.kind === 'tt' && s.stage === 1 ? [[s.ipa, s.pa]] : []))).toEqual(
      TABLES.map((t, i) => [t + OFFS[i]!, ramPa + t + OFFS[i]!]),
    );
  });

  it('a guest stage-1 fault is relayed to the guest with vSID 0x10 in place of SID 0x200', () => {
    const { c, vevents } = setup();
    const t = dma(c, 'gpu', 1, VA + 0x1000n, 'r', false, 1, 0n); // L3 index 0xDC: empty
    expect(t.outcome).toBe('fault');
    serviceInterrupts(c);
    // dword 0: F_TRANSLATION | SSV | SSID 1 << 12 | vSID << 32; dword 1: RnW | CLASS=IN.
    expect(vevents).toEqual([
      {
        name: 'F_TRANSLATION',
        vsmmu: 'vs0',
        vsid: 0x10,
        raw: [0x0000_0010_0000_1810n, 0x0000_0208_0000_0000n, VA + 0x1000n, 0n],
      },
    ]);
  });

  it('a stage-2 fault on the guest CD fetch: S2=1, CLASS=CD, IPA of the CD; kept by the host', () => {
    const { c, vevents } = setup();
    // The guest points its STE at a CD table beyond its 1 MB of RAM.
    nest(c, 'gpu', 'vs0', [0x2000_0000_0020_000bn, 0xd5n]);
    const t = dma(c, 'gpu', 1, VA, 'r', false, 1, 0n);
    const ev = t.attempts[0]!.outcome;
    // CD 1 is at IPA 0x20_0040; the record keeps IPA[55:12] only (spec 7.3.13).
    expect(ev).toMatchObject({
      type: 'fault',
      event: { name: 'F_TRANSLATION', s2: true, class: 'CD', ipa: 0x20_0000n },
    });
    const step = t.steps.find((s) => s.kind === 'event')!;
    // dword 1: RnW (bit 35) | S2 (bit 39) | CLASS=CD (0); dword 3: IPA[51:12].
    expect(step.eventRaw).toEqual([0x0000_0200_0000_1810n, 0x0000_0088_0000_0000n, VA, 0x20_0000n]);
    serviceInterrupts(c);
    expect(vevents).toEqual([]);
  });

  it('a guest TLBI_NH_ASID is forwarded with the host VMID, a CFGI_CD with the physical SID', () => {
    const { c } = setup();
    expect(guestInvalidate(c, 'vs0', 'TLBI_NH_ASID', { ASID: 5n, VMID: 0n })).toEqual([
      { name: 'CMD_TLBI_NH_ASID', raw: [0x0005_0001_0000_0011n, 0n] },
    ]);
    expect(
      guestInvalidate(c, 'vs0', 'CFGI_CD', { StreamID: 0x10n, SubstreamID: 1n, Leaf: 1n }),
    ).toEqual([{ name: 'CMD_CFGI_CD', raw: [0x0000_0200_0000_1005n, 1n] }]);
    let err: unknown;
    try {
      guestInvalidate(c, 'vs0', 'CFGI_STE', { StreamID: 0x10n });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ errno: '-EIO' });
  });
});
