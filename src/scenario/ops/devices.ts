// The iommu API's device side: a device probed behind the SMMU (its STE), an iommu_domain, and a
// device attached to a domain.
import { granuleFromName } from '../../engine/index.ts';
import { defineOp, noWork } from './def.ts';
import { devField, granuleField } from './formFields.ts';
import { devices, domains, freshName, last, names } from './formWorld.ts';
import { groupHex } from './text.ts';

export const deviceOp = defineOp('device', {
  parse: (o) => ({
    op: 'device',
    name: o.name,
    sid: o.sid,
    bus: o.bus ?? 'pci',
    pasidBits: o.pasidBits ?? 0,
    ats: o.ats ?? false,
    pri: o.pri ?? false,
    stall: o.stall ?? false,
  }),
  link: {
    fields: ['name', 'sid', 'bus', 'pasidBits', 'ats', 'pri', 'stall'],
    defaults: { bus: 'pci', pasidBits: 0, ats: false, pri: false, stall: false },
  },
  work: noWork,
  runsIn: 'kernel',
  summary: (o) => {
    const caps = [
      o.bus === 'platform' ? 'platform' : 'PCI',
      o.ats ? 'ATS' : '',
      o.pri ? 'PRI' : '',
      o.stall ? 'stall' : '',
      o.pasidBits ? `${o.pasidBits}-bit PASID` : '',
    ].filter(Boolean);
    return `device ${o.name} · SID ${groupHex(o.sid)} · ${caps.join(', ')}`;
  },
  form: {
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
});

export const domainOp = defineOp('domain', {
  parse: (o, _at, c) => {
    const g = o.granule ? granuleFromName(o.granule) : undefined;
    c.domainGranule.set(o.name, g ?? c.platform.cpu.granule);
    return { op: 'domain', name: o.name, type: o.type ?? 'dma', granule: g };
  },
  link: { fields: ['name', 'type', 'granule'], defaults: { type: 'dma' } },
  work: noWork,
  runsIn: 'kernel',
  summary: (o) => `domain ${o.name} (${o.type ?? 'dma'}${o.granule ? `, ${o.granule}` : ''})`,
  form: {
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
      granuleField('Granule'),
    ],
  },
});

export const attachOp = defineOp('attach', {
  parse: (o) => ({ op: 'attach', dev: o.dev, domain: o.domain }),
  link: { fields: ['dev', 'domain'] },
  work: noWork,
  runsIn: 'kernel',
  summary: (o) => `attach ${o.dev} → ${o.domain}`,
  form: {
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
});
