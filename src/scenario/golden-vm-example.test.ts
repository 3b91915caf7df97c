// Golden V1 (golden/v1-vm-nested.json): an accelerator assigned to a guest, the guest's SVA bind
// of PASID 1 written into its own RAM, the nested walk, a fault relayed, forwarded invalidations.
// Expected values derived by hand: STE words from arm_smmu_make_nested_cd_table_ste over
// arm_smmu_make_s2_domain_ste; the walk arithmetic of a nested 4 KB/4 KB translation (spec §4.8);
// event records from §7.3 with the vSID of arm_vmaster_report_event; forwarded commands from
// arm_vsmmu_convert_user_cmd (docs/research/nesting.md). Addresses that depend on where the
// kernel put the guest's RAM are expressed from the vm op's own result.
import { describe, expect, it } from 'vitest';
import type { TraceStep } from '../engine/index.ts';
import { recordJson } from './results.ts';
import { goldenTimeline } from './run.testkit.ts';

const t = goldenTimeline('v1-vm-nested.json');
const ramPa = t.records[1]!.ram![0]!.pa;
const READS = new Set(['l1std', 'ste', 'l1cd', 'cd', 'tt']);

describe('Golden V1: a VM with an assigned accelerator, guest SVA through a vSMMU', () => {
  it('every op succeeds; the VM gets VMID 1 and 1 MB at a 1 MB-aligned host block', () => {
    expect(t.records.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(t.records[1]).toMatchObject({ vmid: 1, ram: [{ ipa: 0n, size: 0x10_0000n }] });
    expect(ramPa % 0x10_0000n).toBe(0n);
  });

  it('nest writes the nested STE: guest dword 0 under Config=7, dword 1 | MEV, the S2 fields', () => {
    const ste = t.records[12]!.dma!.steps.find((s) => s.kind === 'ste')!.value;
    const root = t.stateAt(12).kernel!.vms.get('guest')!.s2.root;
    // dword 2: S2R | S2PTW | S2AA64 | S2PS 48-bit | SH0 IS | OR0/IR0 WBWA | SL0 2 | T0SZ 16 | VMID 1.
    expect(ste).toEqual([
      0x2000_0000_0000_800fn,
      0x8_00d5n,
      0x044d_3590_0000_0001n,
      root,
      0n,
      0n,
      0n,
      0n,
    ]);
  });

  it('the guest PASID 1 DMA: stage 1 of the guest tables, then stage 2; 24 reads after the CD', () => {
    const d = t.records[12]!.dma!;
    expect(d).toMatchObject({ outcome: 'translated', pa: ramPa + 0x2_0123n });
    const reads = d.steps.filter((s: TraceStep) => READS.has(s.kind));
    const cd = reads.findIndex((s) => s.kind === 'cd');
    expect(cd).toBe(6); // L1STD, STE, then the CD IPA's 4-level stage-2 walk
    expect(reads.length - cd - 1).toBe(4 * (4 + 1) + 4);
  });

  it('the guest fault is relayed: vSID 16 in place of SID 0x300, the rest of the record as is', () => {
    const r = t.records[13]!;
    expect(r.dma!.outcome).toBe('fault');
    // dword 0: F_TRANSLATION | SSV | SSID 1 << 12 | SID << 32; dword 1: a write (RnW=0), CLASS=IN.
    expect(r.events.map((e) => e.raw)).toEqual([
      [0x0000_0300_0000_1810n, 0x0000_0200_0000_0000n, 0x7fff_dead_c000n, 0n],
    ]);
    expect((recordJson(r) as { vevents: unknown }).vevents).toEqual([
      {
        name: 'F_TRANSLATION',
        vsmmu: 'vsmmu0',
        vsid: 16,
        raw: [
          '0x0000001000001810',
          '0x0000020000000000',
          '0x00007fffdeadc000',
          '0x0000000000000000',
        ],
      },
    ]);
  });

  it('after the guest maps the page, the retried DMA lands', () => {
    expect(t.records[15]!.dma).toMatchObject({ outcome: 'translated', pa: ramPa + 0x2_1000n });
  });

  it('the guest TLBI_NH_ASID goes out with VMID 1 and empties the nested TLB entries of ASID 5', () => {
    expect(t.records[16]!.forwarded).toEqual([
      { name: 'CMD_TLBI_NH_ASID', raw: [0x0005_0001_0000_0011n, 0n] },
    ]);
    const s12 = (i: number) =>
      t
        .stateAt(i)
        .smmu.tlb.entries()
        .filter((e) => e.stage === 's12');
    expect(s12(16).map((e) => e.asid)).toEqual([5, 5]);
    expect(s12(17)).toEqual([]);
  });

  it('the guest CFGI_CD goes out with the physical StreamID 0x300', () => {
    expect(t.records[17]!.forwarded).toEqual([
      { name: 'CMD_CFGI_CD', raw: [0x0000_0300_0000_1005n, 1n] },
    ]);
    expect(t.records[17]!.commands.map((c) => c.command?.name)).toEqual([
      'CMD_CFGI_CD',
      'CMD_SYNC',
    ]);
  });
});
