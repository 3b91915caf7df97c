// A process's address space: add, remove and reprotect VMAs, a CPU access, pinning and reclaim.
import { permsOf } from '../../kernel/index.ts';
import {
  big,
  defineOp,
  noWork,
  rangeWork,
  type DocOf,
  type OpDef,
  type OpOf,
  type RunsIn,
} from './def.ts';
import { ACCESS, addrField, procField, protField, vmaFields, vmaStartField } from './formFields.ts';
import { nextVa } from './formWorld.ts';
import { addr, groupHex, range } from './text.ts';

export const mmapOp = defineOp('mmap', {
  parse: (o, _at, c) => {
    const [addr, size] = c.cpuRange(o.addr, o.size);
    return {
      op: 'mmap',
      proc: o.proc,
      addr,
      size,
      prot: permsOf(o.prot),
      populate: o.populate ?? false,
      ...(o.name === undefined ? {} : { name: o.name }),
    };
  },
  // `name` came after link version 1's first release: appended, so older links read the same.
  link: {
    fields: ['proc', 'addr', 'size', 'prot', 'populate', 'name'],
    defaults: { populate: false },
  },
  // A plain mmap only adds a VMA; a populated one faults every page in.
  work: (o) => (o.populate ? rangeWork(o) : {}),
  runsIn: 'kernel',
  summary: (o) =>
    `mmap ${o.proc} ${range(o.addr, o.size)} ${o.prot}${o.populate ? ' populate' : ''}${o.name === undefined ? '' : ` ${o.name}`}`,
  form: {
    help: 'Adds a VMA to the process.',
    fields: () => [
      procField(),
      addrField('addr', 'Address', (c, v) => groupHex(nextVa(c, v['proc'] ?? ''))),
      { key: 'size', label: 'Size', kind: 'u64', def: () => '0x1_0000' },
      protField(),
      { key: 'populate', label: 'Populate', kind: 'bool', def: () => false },
    ],
  },
});

export const mprotectOp = defineOp('mprotect', {
  parse: (o, _at, c) => {
    const [addr, size] = c.cpuRange(o.addr, o.size);
    return { op: 'mprotect', proc: o.proc, addr, size, prot: permsOf(o.prot) };
  },
  link: { fields: ['proc', 'addr', 'size', 'prot'] },
  work: rangeWork,
  runsIn: 'kernel',
  summary: (o) => `mprotect ${o.proc} ${range(o.addr, o.size)} ${o.prot}`,
  form: {
    help: 'Changes the protection of a range; notifier invalidations follow.',
    fields: () => [...vmaFields, protField('r')],
  },
});

export const touchOp = defineOp('touch', {
  parse: (o) => ({ op: 'touch', proc: o.proc, addr: big(o.addr), access: o.access }),
  link: { fields: ['proc', 'addr', 'access'] },
  work: noWork,
  runsIn: 'kernel',
  summary: (o) => `touch ${o.proc} ${o.access} ${addr(o.addr)}`,
  form: {
    help: 'A CPU access: a demand fault if the page is absent; returns the PA.',
    fields: () => [
      procField(),
      vmaStartField,
      { key: 'access', label: 'Access', kind: 'select', choices: () => ACCESS, def: () => 'r' },
    ],
  },
});

/** munmap, pin, unpin, reclaim: a name, a process and a range of its address space. */
type VmaOpName = 'munmap' | 'pin' | 'unpin' | 'reclaim';
interface VmaDoc<K extends VmaOpName> {
  op: K;
  proc: string;
  addr: string;
  size: string;
}
function vmaOp<K extends VmaOpName>(op: K, help: string): OpDef<DocOf<K>> {
  // Each schema is vmaRange plus op (schemas.ts); TypeScript cannot see that through a generic K.
  const def: OpDef<VmaDoc<K>> = {
    op,
    parse: (o, _at, c) => {
      const [addr, size] = c.cpuRange(o.addr, o.size);
      return { op, proc: o.proc, addr, size } as OpOf<K>;
    },
    link: { fields: ['proc', 'addr', 'size'] },
    work: rangeWork,
    // Every K here is a kernel op; TypeScript cannot see that through a generic K.
    runsIn: 'kernel' as RunsIn<K>,
    summary: (o) => `${op} ${o.proc} ${range(o.addr, o.size)}`,
    form: { help, fields: () => vmaFields },
  };
  return def as unknown as OpDef<DocOf<K>>;
}

export const munmapOp = vmaOp('munmap', 'Removes VMAs; the MMU notifier invalidates the SMMU.');
export const pinOp = vmaOp('pin', 'get_user_pages: faults pages in and holds them.');
export const unpinOp = vmaOp('unpin', 'Releases pinned pages.');
export const reclaimOp = vmaOp('reclaim', 'Evicts unpinned pages; notifier invalidations follow.');
