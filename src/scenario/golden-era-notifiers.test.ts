// Golden, eras v5.14 … v6.7: one mm bound into two domains has two mmu_notifiers, one per
// (domain, mm) (arm-smmu-v3-sva.c arm_smmu_mmu_notifier_get). __mmu_notifier_register adds each
// at the head of the mm's list (hlist_add_head_rcu, mm/mmu_notifier.c), and the invalidation and
// release walks go from the head, so the domain bound last hears first. Per notifier:
// arm_smmu_mm_invalidate_range (≤ v6.5) / arm_smmu_mm_arch_invalidate_secondary_tlbs (v6.6+):
// TLBI_NH_VA (Leaf=0) per page + SYNC, then arm_smmu_atc_inv_domain, which sends nothing for a
// domain without ATS masters (nr_ats_masters == 0); arm_smmu_mm_release: quiet_cd (one sync),
// TLBI_NH_ASID + SYNC, ATC_INV. v5.14's size is end − start + 1 and a munmap of a present page
// reaches the notifiers twice (tlb_flush_mmu_tlbonly, then invalidate_range_end); see
// golden-era-v5.test.ts for those derivations. Encodings: smmuv3.md §6.1 via golden.testkit.ts.
import { describe, expect, it } from 'vitest';
import type { OpDoc } from './format.ts';
import { cmd, raws, type Dw2 } from './golden.testkit.ts';
import { DSP, GPU, PAGE0 } from './golden-eras.testkit.ts';
import { eraTimeline } from './run.testkit.ts';

const OPS: OpDoc[] = [
  { op: 'device', name: 'gpu', sid: GPU, bus: 'pci', pasidBits: 20, ats: true },
  { op: 'device', name: 'dsp', sid: DSP, bus: 'platform', pasidBits: 8, stall: true },
  { op: 'domain', name: 'gpu-dom' },
  { op: 'attach', dev: 'gpu', domain: 'gpu-dom' },
  { op: 'domain', name: 'dsp-dom' },
  { op: 'attach', dev: 'dsp', domain: 'dsp-dom' },
  { op: 'process', name: 'app' },
  { op: 'mmap', proc: 'app', addr: '0x7fff_0000_0000', size: '0x1000', prot: 'rw' },
  { op: 'touch', proc: 'app', addr: '0x7fff_0000_0000', access: 'w' },
  { op: 'bind', dev: 'gpu', proc: 'app' },
  { op: 'bind', dev: 'dsp', proc: 'app' },
  { op: 'munmap', proc: 'app', addr: '0x7fff_0000_0000', size: '0x1000' },
  { op: 'exit', proc: 'app' },
];

const sync = (sid: number): Dw2[] => [cmd.cfgiCd(sid, 1), cmd.sync()];

for (const era of ['v5.14', 'v6.6'] as const) {
  describe(`golden ${era}: two (domain, mm) notifiers, the newest first`, () => {
    const t = eraTimeline(era, OPS);
    const asid = t.stateAt(10).kernel!.processes.get('app')!.mm.asid;
    // v5.14: size 0x1001 → pages 0 and 1, ATC pages 0..1 → Size 1; v6.6: one page, Size 0.
    const pages = era === 'v5.14' ? 2 : 1;
    const tlbis = (): Dw2[] =>
      Array.from({ length: pages }, (_, i) =>
        cmd.tlbiNhVa(asid, PAGE0 + BigInt(i) * 0x1000n, false),
      );
    const oneCall = [
      ...tlbis(),
      cmd.sync(), // dsp-dom: no ATS master, so no ATC_INV
      ...tlbis(),
      cmd.sync(),
      cmd.atcInv(GPU, 1, PAGE0, pages - 1),
      cmd.sync(),
    ];

    it('munmap: dsp-dom’s invalidation, then gpu-dom’s (with its ATC_INV)', () => {
      expect(raws(t.records[11]!)).toEqual(era === 'v5.14' ? [...oneCall, ...oneCall] : oneCall);
    });

    it('exit: dsp-dom’s CD is quieted first, then gpu-dom’s', () => {
      expect(raws(t.records[12]!)).toEqual([
        ...sync(DSP),
        cmd.tlbiNhAsid(asid),
        cmd.sync(),
        ...sync(GPU),
        cmd.tlbiNhAsid(asid),
        cmd.sync(),
        cmd.atcInv(GPU, 1, 0n, 52),
        cmd.sync(),
      ]);
    });
  });
}
