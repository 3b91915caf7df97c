// The error paths of linux-sva.md §3.7's mainline rows (iommu-sva.c iommu_sva_bind_device,
// iommu_alloc_mm_data, iommu.c iommu_alloc_global_pasid, arm-smmu-v3-sva.c
// arm_smmu_sva_domain_alloc / arm_smmu_sva_supported): each returns its errno and changes
// nothing. The errnos are the table's; the model's own refusals say "model" in their message.
import { describe, expect, it } from 'vitest';
import type { OpDoc } from './format.ts';
import { failedUnchanged as failed, opsTimeline } from './run.testkit.ts';

const timeline = (ops: OpDoc[], platform?: object) =>
  opsTimeline(ops, { kernel: 'mainline', ...(platform ? { platform } : {}) });

const BASE: OpDoc[] = [
  { op: 'device', name: 'gpu', sid: 0x100, bus: 'pci', pasidBits: 8 },
  { op: 'device', name: 'dsp', sid: 0x200, bus: 'pci', pasidBits: 2 },
  { op: 'device', name: 'plain', sid: 0x300, bus: 'pci' },
  { op: 'domain', name: 'a' },
  { op: 'domain', name: 'b' },
  { op: 'domain', name: 'c' },
  { op: 'attach', dev: 'gpu', domain: 'a' },
  { op: 'attach', dev: 'dsp', domain: 'b' },
  { op: 'attach', dev: 'plain', domain: 'c' },
  { op: 'process', name: 'p0' },
];

describe('mainline bind errors (linux-sva §3.7)', () => {
  it('no PASID support and no PASID yet: -ENOSPC (iommu_alloc_global_pasid fails)', () => {
    const t = timeline([...BASE, { op: 'bind', dev: 'plain', proc: 'p0' }]);
    expect(failed(t, 10, '-ENOSPC')).toMatch(/IOMMU_PASID_INVALID/);
  });

  it("the mm's PASID beyond this device's max_pasids: -EOVERFLOW (iommu_alloc_mm_data)", () => {
    // p0..p3 get PASIDs 1..4 on gpu (8 bits); dsp has 2-bit PASIDs (max_pasids 4: 1–3).
    const procs = ['p1', 'p2', 'p3'].map((name): OpDoc => ({ op: 'process', name }));
    const binds = ['p0', 'p1', 'p2', 'p3'].map((proc): OpDoc => ({ op: 'bind', dev: 'gpu', proc }));
    const t = timeline([
      ...BASE,
      ...procs,
      ...binds,
      { op: 'bind', dev: 'dsp', proc: 'p3' },
      { op: 'bind', dev: 'plain', proc: 'p3' },
    ]);
    expect(t.records[16]!.pasid).toBe(4);
    expect(failed(t, 17, '-EOVERFLOW')).toMatch(/already has PASID 4, beyond dsp's 4 PASIDs/);
    // A device without PASIDs and an mm that has one: -EOVERFLOW too (max_pasids 0).
    failed(t, 18, '-EOVERFLOW');
  });

  it('an SMMU without ARM_SMMU_FEAT_SVA (OAS below the CPU PARange): -EOPNOTSUPP', () => {
    const t = timeline([...BASE, { op: 'bind', dev: 'gpu', proc: 'p0' }], { smmu: { oas: 44 } });
    expect(failed(t, 10, '-EOPNOTSUPP')).toMatch(/ARM_SMMU_FEAT_SVA/);
  });

  it('no free ASID for a new SVA domain: -EBUSY (xa_alloc)', () => {
    // 8-bit ASIDs on both sides: 1–255; domain a's io-pgtable has 1, then one per SVA domain.
    const n = 255;
    const procs = Array.from({ length: n }, (_, i): OpDoc => ({ op: 'process', name: `q${i}` }));
    const binds = Array.from({ length: n }, (_, i): OpDoc => ({
      op: 'bind',
      dev: 'gpu',
      proc: `q${i}`,
    }));
    const t = timeline([BASE[0]!, BASE[3]!, BASE[6]!, ...procs, ...binds], {
      smmu: { asidBits: 8 },
      cpu: { asidBits: 8 },
    });
    const last = 3 + 2 * n - 1;
    expect(t.records[last - 1]).toMatchObject({ status: 'ok', pasid: 254 });
    expect(failed(t, last, '-EBUSY')).toMatch(/no free ASID/);
  });

  it('a device in an identity domain: -EINVAL (model: CD tables live in DMA domains)', () => {
    const t = timeline([
      ...BASE,
      { op: 'domain', name: 'id', type: 'identity' },
      { op: 'attach', dev: 'gpu', domain: 'id' },
      { op: 'bind', dev: 'gpu', proc: 'p0' },
    ]);
    expect(failed(t, 12, '-EINVAL')).toMatch(/model keeps CD tables in DMA domains/);
  });

  it('a missing device is -ENODEV (no IOMMU group)', () => {
    const t = timeline([...BASE, { op: 'bind', dev: 'nope', proc: 'p0' }]);
    failed(t, 10, '-ENODEV');
  });
});

describe('mainline: a late unbind after exit succeeds (no -ESRCH since v5.8)', () => {
  it('and a new process of the same name binds once the old mm is gone', () => {
    const t = timeline([
      ...BASE,
      { op: 'bind', dev: 'gpu', proc: 'p0' },
      { op: 'exit', proc: 'p0' },
      { op: 'process', name: 'p0' },
      { op: 'bind', dev: 'gpu', proc: 'p0' },
      { op: 'unbind', dev: 'gpu', proc: 'p0' },
      { op: 'bind', dev: 'gpu', proc: 'p0' },
    ]);
    expect(failed(t, 13, '-EEXIST')).toMatch(/SVA handle of the p0 that exited/);
    expect(t.records[14]).toMatchObject({ status: 'ok', pasid: 1 });
    // The old mm's PASID 1 went back to the IDA with it: lowest free again.
    expect(t.records[15]).toMatchObject({ status: 'ok', pasid: 1 });
  });
});
