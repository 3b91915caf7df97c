// (b) What a device access should give, by the kernel state (not by the SMMU's structures).
import { checkS1, s1PermsOf, type GranuleShift, type S1Perms } from '../../engine/index.ts';
import type { Access } from '../format.ts';
import type { World } from '../world.ts';
import { walkTables } from './read.ts';
import { steTableOf } from '../../kernel/index.ts';

export interface DmaExpectation {
  /** The PA the owner's tables give, or undefined when the access must not translate. */
  readonly pa: bigint | undefined;
  /** The tables map the page with permissions that allow the access: it must translate. */
  readonly must: boolean;
  readonly owner: string;
}

function allowsEl0(p: S1Perms, a: Access): boolean {
  const grant = checkS1;
  const f = { WXN: false, PAN: false, HD: false, el2: false };
  if (a === 'x') return grant(p, false, true, false, f).ok && grant(p, false, false, false, f).ok;
  return grant(p, a === 'w', false, false, f).ok;
}

/**
 * The PA a device's access (with or without PASID) should reach, walking the tables of whoever
 * owns that address space in the kernel: the bound process's page tables from its mm pgd (what
 * the CPU walks), a private io-pgtable, the domain's io-pgtable, or nothing.
 */
export function expectDma(
  w: World,
  devName: string,
  pasid: number | undefined,
  addr: bigint,
  access: Access,
): DmaExpectation {
  const k = w.kernel!;
  const none = (owner: string): DmaExpectation => ({ pa: undefined, must: false, owner });
  const dev = k.devices.get(devName);
  const d = dev?.domain ? k.domains.get(dev.domain) : undefined;
  if (!dev || !d) return none('no domain');
  // v6.11+: an identity/blocked RID with PASIDs in use reads a CD table for PASID traffic.
  const table = steTableOf(k, dev);
  if (d.type === 'identity' && pasid === undefined)
    return { pa: addr, must: true, owner: 'identity' };
  if (d.type !== 'dma' && (pasid === undefined || !table))
    return none(`${d.type} domain${pasid === undefined ? '' : ' with a PASID'}`);
  let root: bigint;
  let g: GranuleShift;
  let inputSize: number;
  let owner: string;
  if (pasid === undefined) {
    if (!d.pgtable) return none('domain without io-pgtable');
    ({ root, g } = d.pgtable);
    inputSize = d.pgtable.ias;
    owner = `domain ${d.name}`;
  } else {
    const o = k.idr.used.get(pasid);
    if (!o) return none(`PASID ${pasid} unallocated`);
    if (o.kind === 'process') {
      const ctx = d.contexts.get(o.proc);
      if (ctx?.pasid !== pasid) return none(`${o.proc} not bound into ${d.name}`);
      // A domain's table reaches the process from every master; a master's own table only when
      // its CD was written there (bound, or replicated to it in v6.7).
      if (table !== d.cdtable && !(ctx.masters ?? ctx.devices).includes(devName))
        return none(`${o.proc} is not in ${devName}'s own CD table`);
      if (k.iommuProcesses.get(pasid)?.exited) return none(`${o.proc} exited: its CD faults`);
      const p = k.processes.get(o.proc);
      if (!p) return none('process gone');
      root = p.mm.pgd;
      g = k.cpu.granule;
      inputSize = k.cpu.vaBits;
      owner = `${o.proc} (CPU walk)`;
    } else {
      const pr = k.privates.get(`${o.dev}/${o.proc}`);
      const reach = table === d.cdtable ? d.devices.includes(o.dev) : o.dev === devName;
      if (!pr || !reach) return none('private context elsewhere');
      ({ root, g } = pr.pgtable);
      inputSize = pr.pgtable.ias;
      owner = `private ${o.dev}/${o.proc}`;
    }
  }
  const leaf = walkTables(w.mem, { root, g, inputSize, oaBits: 48, had: false }, addr);
  if (!leaf) return none(`${owner}: nothing mapped`);
  return { pa: leaf.oa, must: allowsEl0(s1PermsOf(leaf), access), owner };
}
