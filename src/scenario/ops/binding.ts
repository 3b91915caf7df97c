// Binding a process to a device (a PASID; the process's own tables shared, or a private
// io-pgtable) and unbinding it.
import { defineOp, noWork } from './def.ts';
import { devField, procField } from './formFields.ts';
import { bonds, devices, last, procs } from './formWorld.ts';

export const bindOp = defineOp('bind', {
  parse: (o) => ({ op: 'bind', dev: o.dev, proc: o.proc, tables: o.tables ?? 'shared' }),
  link: { fields: ['dev', 'proc', 'tables'], defaults: { tables: 'shared' } },
  work: noWork,
  runsIn: 'kernel',
  summary: (o) => `bind ${o.dev} ↔ ${o.proc}${o.tables === 'private' ? ' (private tables)' : ''}`,
  form: {
    help: 'Binds a process to a device: returns a PASID.',
    fields: () => [
      devField(
        (c) => last(devices(c).filter((d) => d.ssidBits > 0))?.name ?? last(devices(c))?.name,
      ),
      procField(),
      {
        key: 'tables',
        label: 'Page tables',
        kind: 'select',
        choices: () => [
          { value: 'shared', label: "shared (the process's own: SVA)" },
          { value: 'private', label: 'private (a new io-pgtable)' },
        ],
        def: () => 'shared',
      },
    ],
  },
});

export const unbindOp = defineOp('unbind', {
  parse: (o) => ({ op: 'unbind', dev: o.dev, proc: o.proc }),
  link: { fields: ['dev', 'proc'] },
  work: noWork,
  runsIn: 'kernel',
  summary: (o) => `unbind ${o.dev} ↔ ${o.proc}`,
  form: {
    help: 'Unbinds a process from a device: its PASID is freed.',
    fields: () => [
      devField((c) => last(bonds(c))?.dev ?? last(devices(c))?.name),
      procField((c) => last(bonds(c))?.proc ?? last(procs(c))?.name),
    ],
  },
});
