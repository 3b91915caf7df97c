// Fields several ops share: the device and process pickers, protection, an existing VMA's range
// (munmap, mprotect, pin, unpin, reclaim), and a map/unmap's target tables.
import { groupHex } from '../../timeline/describe.ts';
import type { Choice, FieldSpec, FormCtx } from './spec.ts';
import { DEFAULT_VA, devices, domains, firstVma, last, names, procs } from './world.ts';

const PROT: Choice[] = ['r', 'rw', 'rx', 'rwx', 'w', 'x', 'wx'].map((p) => ({
  value: p,
  label: p,
}));
export const ACCESS: Choice[] = [
  { value: 'r', label: 'r (read)' },
  { value: 'w', label: 'w (write)' },
  { value: 'x', label: 'x (instruction fetch)' },
];

export const devField = (def: (c: FormCtx) => string | undefined = (c) => last(devices(c))?.name) =>
  ({
    key: 'dev',
    label: 'Device',
    kind: 'name',
    choices: (c) => names(devices(c)),
    def: (c) => def(c) ?? '',
  }) satisfies FieldSpec;

export const procField = (def: (c: FormCtx) => string | undefined = (c) => last(procs(c))?.name) =>
  ({
    key: 'proc',
    label: 'Process',
    kind: 'name',
    choices: (c) => names(procs(c)),
    def: (c) => def(c) ?? '',
  }) satisfies FieldSpec;

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
  {
    key: 'addr',
    label: 'Address',
    kind: 'u64',
    wide: true,
    def: (c, v) => groupHex(firstVma(c, v['proc'] ?? '')?.start ?? DEFAULT_VA),
  },
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
