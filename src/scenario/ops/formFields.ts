// Form fields several ops share: the device and process pickers, protection, an existing VMA's range
// (munmap, mprotect, pin, unpin, reclaim), and a map/unmap's target tables.
import type { Choice, FieldSpec, FormCtx } from './def.ts';
import { DEFAULT_VA, devices, domains, firstVma, last, names, procs } from './formWorld.ts';
import { groupHex } from './text.ts';

const PROT: Choice[] = ['r', 'rw', 'rx', 'rwx', 'w', 'x', 'wx'].map((p) => ({
  value: p,
  label: p,
}));
export const ACCESS: Choice[] = [
  { value: 'r', label: 'r (read)' },
  { value: 'w', label: 'w (write)' },
  { value: 'x', label: 'x (instruction fetch)' },
];

/** A reference to a device or a process: free text, the world's names suggested. */
const picker =
  (key: string, label: string, list: (c: FormCtx) => readonly { name: string }[]) =>
  (def: (c: FormCtx) => string | undefined = (c) => last(list(c))?.name): FieldSpec => ({
    key,
    label,
    kind: 'name',
    choices: (c) => names(list(c)),
    def: (c) => def(c) ?? '',
  });
export const devField = picker('dev', 'Device', devices);
export const procField = picker('proc', 'Process', procs);

/** A translation granule to choose, or none: the CPU's (a domain's io-pgtable, a VM's stage 2). */
export const granuleField = (label: string): FieldSpec => ({
  key: 'granule',
  label,
  kind: 'select',
  optional: true,
  choices: () => [
    { value: '', label: "CPU's (default)" },
    ...['4K', '16K', '64K'].map((g) => ({ value: g, label: g })),
  ],
  def: () => '',
});

/** A 64-bit address taking the form's full width. */
export const addrField = (
  key: string,
  label: string,
  def: NonNullable<FieldSpec['def']>,
): FieldSpec => ({ key, label, kind: 'u64', wide: true, def });

/** The start of the process's first VMA (munmap, mprotect, pin, unpin, reclaim, touch). */
export const vmaStartField = addrField('addr', 'Address', (c, v) =>
  groupHex(firstVma(c, v['proc'] ?? '')?.start ?? DEFAULT_VA),
);

export const protField = (def = 'rw'): FieldSpec => ({
  key: 'prot',
  label: 'Protection',
  kind: 'select',
  choices: () => PROT,
  def: () => def,
});

/** proc + addr + size over an existing VMA (munmap, mprotect, pin, unpin, reclaim). */
export const vmaFields: FieldSpec[] = [
  procField(),
  vmaStartField,
  {
    key: 'size',
    label: 'Size',
    kind: 'u64',
    def: (c, v) => groupHex(firstVma(c, v['proc'] ?? '')?.size ?? 0x1000n),
  },
];

export const mapTargetFields: FieldSpec[] = [
  {
    key: 'target',
    label: 'Tables',
    kind: 'select',
    virtual: true,
    choices: () => [
      { value: 'domain', label: "a domain's io-pgtable" },
      { value: 'private', label: 'a private PASID context (dev + proc)' },
    ],
    def: (c) =>
      domains(c).some((d) => d.type === 'dma') || !c.kernel?.privates.size ? 'domain' : 'private',
  },
  {
    key: 'domain',
    label: 'Domain',
    kind: 'name',
    when: (v) => v['target'] !== 'private',
    choices: (c) => names(domains(c)),
    def: (c) => last(domains(c).filter((d) => d.type === 'dma'))?.name ?? '',
  },
  {
    ...devField((c) => last([...(c.kernel?.privates.values() ?? [])])?.dev),
    when: (v) => v['target'] === 'private',
  },
  {
    ...procField((c) => last([...(c.kernel?.privates.values() ?? [])])?.proc),
    when: (v) => v['target'] === 'private',
  },
];
