// Binding and device access: bind a process to a device (a PASID, shared or private tables),
// unbind it, and a device's DMA, by default where its latest bond or its domain maps memory.
import { groupHex } from '../../timeline/describe.ts';
import { ACCESS, devField, procField } from './fields.ts';
import type { OpSpec } from './spec.ts';
import { bonds, devices, dmaTarget, last, procs } from './world.ts';

export const BINDING_OPS: OpSpec[] = [
  {
    op: 'bind',
    group: 'kernel',
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
  {
    op: 'unbind',
    group: 'kernel',
    help: 'Unbinds a process from a device: its PASID is freed.',
    fields: () => [
      devField((c) => last(bonds(c))?.dev ?? last(devices(c))?.name),
      procField((c) => last(bonds(c))?.proc ?? last(procs(c))?.name),
    ],
  },
];

export const DMA_OP: OpSpec = {
  op: 'dma',
  group: 'kernel',
  help: 'A device access: translated, or a fault (PRI / stall retries included).',
  fields: () => [
    devField(),
    {
      key: 'pasid',
      label: 'PASID',
      kind: 'number',
      optional: true,
      def: (c, v) => {
        const p = dmaTarget(c, v['dev'] ?? '').pasid;
        return p === undefined ? '' : String(p);
      },
      hint: 'empty: no PASID',
    },
    {
      key: 'addr',
      label: 'Address',
      kind: 'u64',
      wide: true,
      def: (c, v) => groupHex(dmaTarget(c, v['dev'] ?? '').addr),
    },
    { key: 'access', label: 'Access', kind: 'select', choices: () => ACCESS, def: () => 'r' },
    { key: 'priv', label: 'Privileged', kind: 'bool', def: () => false },
    { key: 'count', label: 'Count', kind: 'number', optional: true, def: () => '', hint: '1' },
    {
      key: 'stride',
      label: 'Stride',
      kind: 'u64',
      optional: true,
      def: () => '',
      hint: 'a page',
    },
  ],
};
