// Process and mm ops: create a process, add, remove and reprotect VMAs, CPU accesses, pinning
// and reclaim, and the process's exit.
import { groupHex } from '../../timeline/describe.ts';
import { ACCESS, procField, protField, vmaFields } from './fields.ts';
import type { OpSpec } from './spec.ts';
import { DEFAULT_VA, firstVma, freshName, nextVa, procs } from './world.ts';

export const MM_OPS: OpSpec[] = [
  {
    op: 'process',
    group: 'kernel',
    help: 'A process: its mm (pgd, ASID) is created.',
    fields: () => [
      { key: 'name', label: 'Name', kind: 'text', def: (c) => freshName('proc', procs(c)) },
      { key: 'pid', label: 'PID', kind: 'number', optional: true, def: () => '' },
    ],
  },
  {
    op: 'mmap',
    group: 'kernel',
    help: 'Adds a VMA to the process.',
    fields: () => [
      procField(),
      {
        key: 'addr',
        label: 'Address',
        kind: 'u64',
        wide: true,
        def: (c, v) => groupHex(nextVa(c, v['proc'] ?? '')),
      },
      { key: 'size', label: 'Size', kind: 'u64', def: () => '0x1_0000' },
      protField(),
      { key: 'populate', label: 'Populate', kind: 'bool', def: () => false },
    ],
  },
  {
    op: 'munmap',
    group: 'kernel',
    help: 'Removes VMAs; the MMU notifier invalidates the SMMU.',
    fields: () => vmaFields,
  },
  {
    op: 'mprotect',
    group: 'kernel',
    help: 'Changes the protection of a range; notifier invalidations follow.',
    fields: () => [...vmaFields, protField('r')],
  },
  {
    op: 'touch',
    group: 'kernel',
    help: 'A CPU access: a demand fault if the page is absent; returns the PA.',
    fields: () => [
      procField(),
      {
        key: 'addr',
        label: 'Address',
        kind: 'u64',
        wide: true,
        def: (c, v) => groupHex(firstVma(c, v['proc'] ?? '')?.start ?? DEFAULT_VA),
      },
      { key: 'access', label: 'Access', kind: 'select', choices: () => ACCESS, def: () => 'r' },
    ],
  },
  {
    op: 'pin',
    group: 'kernel',
    help: 'get_user_pages: faults pages in and holds them.',
    fields: () => vmaFields,
  },
  { op: 'unpin', group: 'kernel', help: 'Releases pinned pages.', fields: () => vmaFields },
  {
    op: 'reclaim',
    group: 'kernel',
    help: 'Evicts unpinned pages; notifier invalidations follow.',
    fields: () => vmaFields,
  },
];

/** Listed last among the kernel ops: it tears down everything the others set up. */
export const EXIT_OP: OpSpec = {
  op: 'exit',
  group: 'kernel',
  help: 'The process exits: its mm is torn down as the profile does it.',
  fields: () => [procField()],
};
