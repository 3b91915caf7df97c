// Virtual machines through iommufd (kernel/iommufd/, docs/research/nesting.md): guest RAM behind a
// stage-2 nesting parent, a vSMMU on it, a vDEVICE naming a device by the guest's StreamID, the
// guest's own stores (its CD table and page tables), its STE becoming a nested domain, and its
// invalidations forwarded.
import { granuleFromName, lookupCommand } from '../../engine/index.ts';
import {
  big,
  defineOp,
  fail,
  noWork,
  rangeWork,
  type DocOf,
  type FormCtx,
  type OpDef,
} from './def.ts';
import { devField, granuleField } from './formFields.ts';
import { devices, freshName, last, names } from './formWorld.ts';
import { commandFields, commandOf } from './hardware.ts';
import { addr, groupHex } from './text.ts';

const vms = (c: FormCtx) => [...(c.kernel?.vms.values() ?? [])];
const vsmmus = (c: FormCtx) => [...(c.kernel?.vsmmus.values() ?? [])];
const vmField = {
  key: 'vm',
  label: 'VM',
  kind: 'name',
  choices: (c: FormCtx) => names(vms(c)),
  def: (c: FormCtx) => last(vms(c))?.name ?? '',
} as const;
const vsmmuField = {
  key: 'vsmmu',
  label: 'vSMMU',
  kind: 'name',
  choices: (c: FormCtx) => names(vsmmus(c)),
  def: (c: FormCtx) => last(vsmmus(c))?.name ?? '',
} as const;

export const vmOp = defineOp('vm', {
  parse: (o, _at, c) => {
    const g = o.granule ? granuleFromName(o.granule) : undefined;
    const unit = 1n << BigInt(g ?? c.platform.cpu.granule);
    const size = big(o.size);
    c.nonZero('size', size);
    c.aligned('size', size, unit);
    const pa = o.pa !== undefined ? big(o.pa) : undefined;
    if (pa !== undefined) c.aligned('pa', pa, unit);
    return { op: 'vm', name: o.name, size, pa, granule: g };
  },
  link: { fields: ['name', 'size', 'pa', 'granule'] },
  work: rangeWork,
  runsIn: 'kernel',
  summary: (o) =>
    `vm ${o.name} · ${addr(o.size)} of guest RAM${o.pa ? ` at PA ${addr(o.pa)}` : ''}${o.granule ? ` · ${o.granule} stage 2` : ''}`,
  form: {
    help: 'A guest: its RAM from IPA 0, mapped by a stage-2 nesting-parent domain (iommufd).',
    fields: () => [
      { key: 'name', label: 'Name', kind: 'text', def: (c) => freshName('vm', vms(c)) },
      { key: 'size', label: 'Guest RAM', kind: 'u64', def: () => '0x10_0000' },
      {
        key: 'pa',
        label: 'Host PA',
        kind: 'u64',
        optional: true,
        def: () => '',
        hint: 'kernel picks',
      },
      granuleField('Stage-2 granule'),
    ],
  },
});

export const vsmmuOp = defineOp('vsmmu', {
  parse: (o) => ({ op: 'vsmmu', name: o.name, vm: o.vm }),
  link: { fields: ['name', 'vm'] },
  work: noWork,
  runsIn: 'kernel',
  summary: (o) => `vsmmu ${o.name} on ${o.vm}`,
  form: {
    help: "A vSMMU (iommufd vIOMMU) on a VM's stage 2, with a vEVENTQ.",
    fields: () => [
      { key: 'name', label: 'Name', kind: 'text', def: (c) => freshName('vsmmu', vsmmus(c)) },
      vmField,
    ],
  },
});

export const vdeviceOp = defineOp('vdevice', {
  parse: (o) => ({ op: 'vdevice', vsmmu: o.vsmmu, dev: o.dev, vsid: o.vsid }),
  link: { fields: ['vsmmu', 'dev', 'vsid'] },
  work: noWork,
  runsIn: 'kernel',
  summary: (o) => `vdevice ${o.dev} = vSID ${groupHex(o.vsid)} of ${o.vsmmu}`,
  form: {
    help: 'Gives a device the StreamID the guest knows it by (a vDEVICE).',
    fields: () => [
      vsmmuField,
      devField((c) => last(devices(c).filter((d) => !d.vdev))?.name ?? last(devices(c))?.name),
      {
        key: 'vsid',
        label: 'vSID',
        kind: 'number',
        def: (c, v) => {
          const taken = [...(c.kernel?.vsmmus.get(String(v['vsmmu']))?.vdevs.keys() ?? [])];
          return groupHex(taken.length ? Math.max(...taken) + 1 : 0x10);
        },
      },
    ],
  },
});

export const gwrite64Op = defineOp('gwrite64', {
  parse: (o, _at, c) => {
    const ipa = big(o.ipa);
    c.aligned('ipa', ipa, 8n);
    return { op: 'gwrite64', vm: o.vm, ipa, value: big(o.value) };
  },
  link: { fields: ['vm', 'ipa', 'value'] },
  work: noWork,
  runsIn: 'kernel',
  summary: (o) => `gwrite64 ${o.vm} [IPA ${addr(o.ipa)}] ← ${addr(o.value)}`,
  form: {
    help: 'The guest stores a 64-bit word in its own RAM (its CD table, its page tables).',
    fields: () => [
      vmField,
      { key: 'ipa', label: 'IPA', kind: 'u64', wide: true, def: () => '0x0' },
      { key: 'value', label: 'Value', kind: 'u64', wide: true, def: () => '0x0' },
    ],
  },
});

export const nestOp = defineOp('nest', {
  parse: (o) => ({
    op: 'nest',
    dev: o.dev,
    vsmmu: o.vsmmu,
    ste: [big(o.ste[0]), big(o.ste[1])],
  }),
  link: { fields: ['dev', 'vsmmu', 'ste'] },
  work: noWork,
  runsIn: 'kernel',
  summary: (o) => `nest ${o.dev} via ${o.vsmmu} ← vSTE ${addr(o.ste[0])} ${addr(o.ste[1])}`,
  form: {
    help: "The guest's STE for the device becomes a nested domain: the physical STE is written.",
    fields: () => [
      devField((c) => last(devices(c).filter((d) => d.vdev))?.name ?? last(devices(c))?.name),
      {
        ...vsmmuField,
        def: (c, v) =>
          c.kernel?.devices.get(String(v['dev']))?.vdev?.vsmmu ?? last(vsmmus(c))?.name ?? '',
      },
      {
        key: 'ste',
        label: 'Guest STE',
        kind: 'u64list',
        wide: true,
        def: () => '0x1, 0x0',
        hint: 'dword 0, dword 1',
      },
    ],
  },
});

// A guest's command: written like cmd (its fields depend on the opcode), plus the vSMMU.
export const ginvOp: OpDef<DocOf<'ginv'>> = {
  op: 'ginv',
  parse: (o, at) => {
    if (!lookupCommand(o.name)) fail(`${at}.name`, `unknown command "${o.name}"`);
    return { op: 'ginv', vsmmu: o.vsmmu, name: o.name, fields: commandOf(o, at, ['vsmmu']) };
  },
  link: 'object',
  work: noWork,
  runsIn: 'kernel',
  summary: (o) => {
    const fields = Object.entries(o)
      .filter(([k]) => k !== 'op' && k !== 'name' && k !== 'vsmmu')
      .map(([k, v]) => `${k}=${typeof v === 'string' ? addr(v) : String(v)}`);
    return `ginv ${o.vsmmu} ${o.name.toUpperCase().replace(/^CMD_/, '')}${fields.length ? ' ' + fields.join(' ') : ''}`;
  },
  form: {
    help: "A guest's invalidation, as iommufd forwards it (VMID and StreamID rewritten).",
    fields: (v) => [
      vsmmuField,
      {
        key: 'name',
        label: 'Command',
        kind: 'select',
        choices: () =>
          [
            'TLBI_NH_ALL',
            'TLBI_NH_ASID',
            'TLBI_NH_VA',
            'TLBI_NH_VAA',
            'TLBI_NSNH_ALL',
            'ATC_INV',
            'CFGI_CD',
            'CFGI_CD_ALL',
          ].map((n) => ({ value: n, label: `CMD_${n}` })),
        def: () => 'TLBI_NH_ASID',
      },
      ...commandFields(String(v['name'] ?? 'TLBI_NH_ASID')),
    ],
  },
};
