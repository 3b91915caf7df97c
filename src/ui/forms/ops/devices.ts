// Device and domain ops, the iommu API side: probe a device (its STE), create an iommu_domain,
// attach a device to it; and iommu_map / iommu_unmap on a domain's io-pgtable or a private PASID
// context's.
import { groupHex } from '../../timeline/describe.ts';
import { devField, mapTargetFields, protField } from './fields.ts';
import type { OpSpec } from './spec.ts';
import { devices, domains, freshName, last, leaves, names, nextIova } from './world.ts';

export const DEVICE_OPS: OpSpec[] = [
  {
    op: 'device',
    group: 'kernel',
    help: 'A device probed behind the SMMU: its STE is written.',
    fields: () => [
      { key: 'name', label: 'Name', kind: 'text', def: (c) => freshName('dev', devices(c)) },
      {
        key: 'sid',
        label: 'StreamID',
        kind: 'number',
        def: (c) => {
          const sids = devices(c).map((d) => d.sid);
          return groupHex(sids.length ? Math.max(...sids) + 1 : 0x10);
        },
      },
      {
        key: 'bus',
        label: 'Bus',
        kind: 'select',
        choices: () => [
          { value: 'pci', label: 'PCI' },
          { value: 'platform', label: 'platform' },
        ],
        def: () => 'pci',
      },
      {
        key: 'pasidBits',
        label: 'PASID bits',
        kind: 'number',
        optional: true,
        def: () => '20',
        hint: '0–20; 0: no PASIDs',
      },
      { key: 'ats', label: 'ATS', kind: 'bool', def: () => false },
      { key: 'pri', label: 'PRI', kind: 'bool', def: () => false },
      { key: 'stall', label: 'Stall', kind: 'bool', def: () => false },
    ],
  },
  {
    op: 'domain',
    group: 'kernel',
    help: 'An iommu_domain; a DMA domain gets an io-pgtable.',
    fields: () => [
      { key: 'name', label: 'Name', kind: 'text', def: (c) => freshName('dom', domains(c)) },
      {
        key: 'type',
        label: 'Type',
        kind: 'select',
        choices: () => ['dma', 'identity', 'blocked'].map((t) => ({ value: t, label: t })),
        def: () => 'dma',
      },
      {
        key: 'granule',
        label: 'Granule',
        kind: 'select',
        optional: true,
        choices: () => [
          { value: '', label: "CPU's (default)" },
          ...['4K', '16K', '64K'].map((g) => ({ value: g, label: g })),
        ],
        def: () => '',
      },
    ],
  },
  {
    op: 'attach',
    group: 'kernel',
    help: "Attaches a device's RID to a domain.",
    fields: () => [
      devField(
        (c) =>
          last(devices(c).filter((d) => d.domain === undefined))?.name ?? last(devices(c))?.name,
      ),
      {
        key: 'domain',
        label: 'Domain',
        kind: 'name',
        choices: (c) => names(domains(c)),
        def: (c) => last(domains(c))?.name ?? '',
      },
    ],
  },
];

export const MAPPING_OPS: OpSpec[] = [
  {
    op: 'map',
    group: 'kernel',
    help: 'iommu_map: io-pgtable entries are written.',
    fields: () => [
      ...mapTargetFields,
      {
        key: 'iova',
        label: 'IOVA',
        kind: 'u64',
        wide: true,
        def: (c, v) => groupHex(nextIova(c, v)),
      },
      { key: 'size', label: 'Size', kind: 'u64', def: () => '0x4000' },
      protField(),
      {
        key: 'pa',
        label: 'PA',
        kind: 'u64',
        wide: true,
        optional: true,
        def: () => '',
        hint: 'empty: the kernel allocates',
      },
    ],
  },
  {
    op: 'unmap',
    group: 'kernel',
    help: 'iommu_unmap: entries cleared, invalidations queued.',
    fields: () => [
      ...mapTargetFields,
      {
        key: 'iova',
        label: 'IOVA',
        kind: 'u64',
        wide: true,
        def: (c, v) => groupHex(leaves(c, v)[0]?.[0] ?? 0x1000_0000n),
      },
      {
        key: 'size',
        label: 'Size',
        kind: 'u64',
        def: (c, v) => groupHex(leaves(c, v)[0]?.[1].size ?? 0x1000n),
      },
    ],
  },
];
