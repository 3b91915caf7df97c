// The error paths of bind and unbind, era by era (docs/research/eras.md §1–§6; linux-sva.md §3.7).
// Each failing op returns its era's errno and changes nothing. Expected values derived from each
// release's source:
// - a master without SubstreamIDs, or an SMMU without ARM_SMMU_FEAT_SVA: the driver's
//   iommu_dev_enable_feature(IOMMU_DEV_FEAT_SVA) fails — v5.14/v5.18 arm_smmu_dev_enable_feature
//   `!arm_smmu_dev_has_feature` → -ENODEV; v6.6–v6.11 `!arm_smmu_master_sva_supported` → -EINVAL;
//   v7.2 has no feature API: iommu_alloc_mm_data / iommu_alloc_global_pasid → -ENOSPC /
//   -EOVERFLOW, and arm_smmu_sva_domain_alloc → -EOPNOTSUPP; RFCv2 finds no PASID → -ENOSPC;
// - a RID in an identity or blocked domain: arm_smmu_sva_bind (v5.14/v5.18) `smmu_domain->stage !=
//   ARM_SMMU_DOMAIN_S1` → -EINVAL; v6.6/v6.7 `!(domain->type & __IOMMU_DOMAIN_PAGING)` → -ENODEV;
//   v6.11+ binds (arm_smmu_set_pasid with an identity/blocked RID: S1DSS BYPASS/TERMINATE);
// - an mm PASID beyond a device's SSIDs: iommu_sva_alloc_pasid / iommu_alloc_mm_data -EOVERFLOW;
// - a late unbind after exit: RFCv2 -ESRCH; upstream the mm keeps its PASID until it is unbound.
import { describe, expect, it } from 'vitest';
import { ERA_IDS } from '../kernel/index.ts';
import type { OpDoc } from './format.ts';
import { eraTimeline, failedUnchanged as failed } from './run.testkit.ts';

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

type Era = (typeof ERA_IDS)[number];
/** Expected outcome per era: an errno, or 'ok'. */
type Table = Readonly<Record<Era, string>>;

/** Runs `ops` under every era; checks op `i` against the table (a failure changed nothing). */
function each(ops: OpDoc[], i: number, want: Table, platform?: object): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const era of ERA_IDS) {
    const t = eraTimeline(era, ops, platform);
    const w = want[era]!;
    if (w === 'ok') expect(t.records[i], era).toMatchObject({ status: 'ok' });
    else messages[era] = failed(t, i, w);
  }
  return messages;
}

describe('bind errors across eras', () => {
  it('a master without SubstreamIDs', () => {
    const m = each([...BASE, { op: 'bind', dev: 'plain', proc: 'p0' }], 10, {
      rfc2017: '-ENOSPC',
      'v5.14': '-ENODEV',
      'v5.18': '-ENODEV',
      'v6.6': '-EINVAL',
      'v6.7': '-EINVAL',
      'v6.11': '-EINVAL',
      mainline: '-ENOSPC',
    });
    expect(m['v6.6']).toMatch(/cannot enable IOMMU_DEV_FEAT_SVA/);
    expect(m.mainline).toMatch(/IOMMU_PASID_INVALID/);
  });

  it("the mm's PASID beyond a device's SSIDs: -EOVERFLOW upstream", () => {
    // p0..p3 get PASIDs 1..4 on gpu (8 bits); dsp has 2-bit PASIDs (1–3).
    const procs = ['p1', 'p2', 'p3'].map((name): OpDoc => ({ op: 'process', name }));
    const binds = ['p0', 'p1', 'p2', 'p3'].map((proc): OpDoc => ({ op: 'bind', dev: 'gpu', proc }));
    const ops: OpDoc[] = [...BASE, ...procs, ...binds, { op: 'bind', dev: 'dsp', proc: 'p3' }];
    const m = each(ops, 17, {
      rfc2017: '-ENOSPC',
      'v5.14': '-EOVERFLOW',
      'v5.18': '-EOVERFLOW',
      'v6.6': '-EOVERFLOW',
      'v6.7': '-EOVERFLOW',
      'v6.11': '-EOVERFLOW',
      mainline: '-EOVERFLOW',
    });
    expect(m['v5.14']).toMatch(/already has PASID 4, beyond dsp's 4 PASIDs/);
    // v7.2: a device without PASIDs and an mm that has one: -EOVERFLOW too (max_pasids 0).
    each([...ops, { op: 'bind', dev: 'plain', proc: 'p3' }], 18, {
      rfc2017: '-ENOSPC',
      'v5.14': '-ENODEV',
      'v5.18': '-ENODEV',
      'v6.6': '-EINVAL',
      'v6.7': '-EINVAL',
      'v6.11': '-EINVAL',
      mainline: '-EOVERFLOW',
    });
  });

  it('an SMMU without ARM_SMMU_FEAT_SVA (OAS below the CPU PARange)', () => {
    const m = each(
      [...BASE, { op: 'bind', dev: 'gpu', proc: 'p0' }],
      10,
      {
        rfc2017: 'ok',
        'v5.14': '-ENODEV',
        'v5.18': '-ENODEV',
        'v6.6': '-EINVAL',
        'v6.7': '-EINVAL',
        'v6.11': '-EINVAL',
        mainline: '-EOPNOTSUPP',
      },
      { smmu: { oas: 44 } },
    );
    expect(m['v6.11']).toMatch(/ARM_SMMU_FEAT_SVA/);
    expect(m.mainline).toMatch(/arm_smmu_sva_domain_alloc/);
  });

  for (const type of ['identity', 'blocked'] as const)
    it(`a RID in a ${type} domain: refused until v6.11`, () => {
      each(
        [
          ...BASE,
          { op: 'domain', name: 'x', type },
          { op: 'attach', dev: 'gpu', domain: 'x' },
          { op: 'bind', dev: 'gpu', proc: 'p0' },
        ],
        12,
        {
          rfc2017: '-EINVAL',
          'v5.14': '-EINVAL',
          'v5.18': '-EINVAL',
          'v6.6': '-ENODEV',
          'v6.7': '-ENODEV',
          'v6.11': 'ok',
          mainline: 'ok',
        },
      );
    });

  it('no free ASID for a new SVA domain: -EBUSY (xa_alloc), v6.11+', () => {
    // 8-bit ASIDs on both sides: 1–255; domain a's io-pgtable has 1, then one per SVA domain.
    const n = 255;
    const procs = Array.from({ length: n }, (_, i): OpDoc => ({ op: 'process', name: `q${i}` }));
    const binds = Array.from({ length: n }, (_, i): OpDoc => ({
      op: 'bind',
      dev: 'gpu',
      proc: `q${i}`,
    }));
    const ops = [BASE[0]!, BASE[3]!, BASE[6]!, ...procs, ...binds];
    const last = 3 + 2 * n - 1;
    for (const era of ['v6.11', 'mainline']) {
      const t = eraTimeline(era, ops, { smmu: { asidBits: 8 }, cpu: { asidBits: 8 } });
      expect(t.records[last - 1]).toMatchObject({ status: 'ok', pasid: 254 });
      expect(failed(t, last, '-EBUSY')).toMatch(/no free ASID/);
    }
  });

  it('a missing device is -ENODEV in every era', () => {
    const enodev = Object.fromEntries(ERA_IDS.map((e) => [e, '-ENODEV'])) as Table;
    each([...BASE, { op: 'bind', dev: 'nope', proc: 'p0' }], 10, enodev);
  });
});

describe('a late unbind after exit', () => {
  const ops: OpDoc[] = [
    ...BASE,
    { op: 'bind', dev: 'gpu', proc: 'p0' },
    { op: 'exit', proc: 'p0' },
    { op: 'process', name: 'p0' },
    { op: 'bind', dev: 'gpu', proc: 'p0' },
    { op: 'unbind', dev: 'gpu', proc: 'p0' },
    { op: 'bind', dev: 'gpu', proc: 'p0' },
  ];

  it('RFCv2: the exit freed the PASID, so the unbind is -ESRCH; the next bind gets PASID 2', () => {
    const t = eraTimeline('rfc2017', ops);
    failed(t, 13, '-EEXIST');
    expect(t.records[14]).toMatchObject({ status: 'error', error: '-ESRCH' });
    expect(t.records[15]).toMatchObject({ status: 'ok', pasid: 2 });
  });

  for (const era of ERA_IDS.filter((e) => e !== 'rfc2017'))
    it(`${era}: the exited mm keeps PASID 1 until the unbind, then it is free again`, () => {
      const t = eraTimeline(era, ops);
      expect(failed(t, 13, '-EEXIST')).toMatch(/p0 that exited/);
      expect(t.records[14]).toMatchObject({ status: 'ok', pasid: 1 });
      expect(t.records[15]).toMatchObject({ status: 'ok', pasid: 1 });
    });
});
