// (a) STEs and CDs agree with the kernel state.
import { CD_BYTES, hex, STE_BYTES, type SteView } from '../../engine/index.ts';
import { eraOf, steTableOf, type Domain, type KernelState } from '../../kernel/index.ts';
import type { World } from '../world.ts';
import { v, type Violation } from './violation.ts';
import {
  cdAddress,
  fmtOf,
  leafBitsOf,
  steReader,
  validCds,
  type CdRead,
  type SteReader,
} from './read.ts';

interface Owner {
  readonly what: string;
  readonly asid: number;
  /** The table base the CD must give; undefined when the CD's TTB0 is ignored (EPD0). */
  readonly ttb: bigint | undefined;
}

/** Who should own CD[index] of a table read by `sids` of domain `d`, by the kernel state. */
function ownerOf(
  k: KernelState,
  d: Domain,
  index: number,
  sids: readonly number[],
): Owner | string {
  if (index === 0) {
    if (!d.pgtable) return `domain ${d.name} has no io-pgtable`;
    return { what: `domain ${d.name} io-pgtable`, asid: d.pgtable.asid, ttb: d.pgtable.root };
  }
  const o = k.idr.used.get(index);
  if (!o) return `PASID ${index} is not in the IDR`;
  if (o.kind === 'process') {
    const ctx = d.contexts.get(o.proc);
    if (!ctx || ctx.pasid !== index)
      return `PASID ${index} belongs to ${o.proc}, which has no context in ${d.name}`;
    // Upstream: an mm that exited while bound keeps its CD valid with EPD0=1 (arm_smmu_mm_release)
    // until the drivers unbind — v6.11+ without TTB0, earlier eras with it (quiet_cd).
    if (k.iommuProcesses.get(index)?.exited)
      return { what: `the exited ${o.proc}'s mm (EPD0)`, asid: ctx.asid ?? -1, ttb: undefined };
    const p = k.processes.get(o.proc);
    if (!p) return `PASID ${index}: process ${o.proc} is gone`;
    return { what: `${o.proc} (shared mm)`, asid: ctx.asid ?? p.mm.asid, ttb: p.mm.pgd };
  }
  const priv = k.privates.get(`${o.dev}/${o.proc}`);
  if (!priv) return `PASID ${index}: private context ${o.dev}/${o.proc} is gone`;
  if (!sids.includes(k.devices.get(o.dev)?.sid ?? -1))
    return `PASID ${index} is private to ${o.dev}, which does not read this CD table`;
  return {
    what: `private ${o.dev}/${o.proc}`,
    asid: priv.pgtable.asid,
    ttb: priv.pgtable.root,
  };
}

/**
 * v6.7 (svaCdReplicated): an SVA CD left in a master's own table after the master moved to
 * another domain — a PASID CD in a master's own table that none of its masters is bound at, and
 * whose masters' domains hold no context at that PASID (a live replica is checked as usual).
 */
function leftReplica(k: KernelState, cd: ReachableCd): boolean {
  if (cd.index === 0) return false;
  for (const d of k.domains.values()) if (d.cdtable?.base === cd.table) return false;
  for (const dev of k.devices.values()) {
    if (!cd.sids.includes(dev.sid)) continue;
    if ([...dev.bonds.values()].some((b) => b.pasid === cd.index)) return false;
    const d = dev.domain ? k.domains.get(dev.domain) : undefined;
    if ([...(d?.contexts.values() ?? [])].some((c) => c.pasid === cd.index)) return false;
  }
  return true;
}

/** The valid CDs reachable from the STEs of the kernel's devices, once per CD table. */
export interface ReachableCd extends CdRead {
  readonly table: bigint;
  readonly sids: readonly number[];
  readonly domain: string | undefined;
}

/** Memory the SMMU reads to find CDs: the devices' STEs and the CD tables (L1 and leaves). */
export type Range = readonly [start: bigint, end: bigint];

export function scanCds(
  w: World,
  steOf: SteReader = steReader(w),
): { cds: ReachableCd[]; ranges: Range[] } {
  const k = w.kernel;
  if (!k) return { cds: [], ranges: [] };
  const ranges: Range[] = [];
  const tables = new Map<bigint, { ste: SteView; sids: number[]; domain: string | undefined }>();
  for (const dev of k.devices.values()) {
    const ste = steOf(dev.sid);
    if (typeof ste === 'string') continue;
    ranges.push([ste.pa, ste.pa + STE_BYTES]);
    if (!ste.view.V || ste.view.Config !== 5) continue;
    const t = tables.get(ste.view.S1ContextPtr);
    if (t) t.sids.push(dev.sid);
    else tables.set(ste.view.S1ContextPtr, { ste: ste.view, sids: [dev.sid], domain: dev.domain });
  }
  const cds: ReachableCd[] = [];
  for (const [table, t] of tables) {
    const s = t.ste;
    const count = s.S1CDMax === 0 ? 1 : 2 ** s.S1CDMax;
    if (s.S1CDMax === 0 || fmtOf(s) === 0) ranges.push([table, table + BigInt(count) * CD_BYTES]);
    else {
      const perLeaf = Math.min(count, 2 ** leafBitsOf(s));
      ranges.push([table, table + BigInt(Math.ceil(count / perLeaf)) * 8n]);
      for (let i = 0; i < count; i += perLeaf) {
        const leaf = cdAddress(w.mem, s, i);
        if (typeof leaf !== 'string') ranges.push([leaf, leaf + BigInt(perLeaf) * CD_BYTES]);
      }
    }
    for (const cd of validCds(w.mem, s)) cds.push({ ...cd, table, sids: t.sids, domain: t.domain });
  }
  return { cds, ranges };
}

export function reachableCds(w: World, steOf: SteReader = steReader(w)): ReachableCd[] {
  return scanCds(w, steOf).cds;
}

/** (a) Every device's STE matches its domain; every valid CD matches its owner; every context has its CD. */
export function checkStructures(
  w: World,
  steOf: SteReader = steReader(w),
  cds: readonly ReachableCd[] = reachableCds(w, steOf),
): Violation[] {
  const k = w.kernel;
  if (!k) return [];
  const out: Violation[] = [];
  for (const dev of k.devices.values()) {
    const ste = steOf(dev.sid);
    if (typeof ste === 'string') {
      out.push(v('ste', `${dev.name}: ${ste}`));
      continue;
    }
    const d = dev.domain ? k.domains.get(dev.domain) : undefined;
    const table = steTableOf(k, dev);
    const want = table ? 5 : !d || d.type === 'blocked' ? 0 : d.type === 'identity' ? 4 : 5;
    if (!ste.view.V || ste.view.Config !== want)
      out.push(
        v('ste', `${dev.name}: STE Config=${ste.view.Config} V=${ste.view.V}, expected ${want}`),
      );
    else if (want === 5 && ste.view.S1ContextPtr !== table?.base)
      out.push(v('ste', `${dev.name}: STE points at CD table ${hex(ste.view.S1ContextPtr)}`));
    else if (want === 5 && d?.type !== 'dma' && ste.view.S1DSS !== (d?.type === 'identity' ? 1 : 0))
      out.push(
        v('ste', `${dev.name}: ${d?.type} RID with PASIDs in use, but S1DSS=${ste.view.S1DSS}`),
      );
  }
  const replicas = eraOf(k.era).config.svaCdReplicated;
  for (const cd of cds) {
    if (replicas && leftReplica(k, cd)) continue;
    const d = cd.domain ? k.domains.get(cd.domain) : undefined;
    if (!d) {
      out.push(v('cd', `CD ${cd.index} at ${hex(cd.pa)} reachable from a device without a domain`));
      continue;
    }
    const o = ownerOf(k, d, cd.index, cd.sids);
    if (typeof o === 'string') {
      out.push(v('cd', `valid CD ${cd.index} of ${d.name} (at ${hex(cd.pa)}) has no owner: ${o}`));
      continue;
    }
    if (cd.view.ASID !== o.asid || (o.ttb !== undefined && cd.view.TTB0 !== o.ttb))
      out.push(
        v(
          'cd',
          `CD ${cd.index} of ${d.name}: ASID ${cd.view.ASID} TTB0 ${hex(cd.view.TTB0)}, but ${o.what} has ASID ${o.asid} pgd ${o.ttb === undefined ? '(ignored)' : hex(o.ttb)}`,
        ),
      );
    for (const sid of cd.sids) {
      const ste = steOf(sid);
      if (typeof ste !== 'string' && cd.view.S && ste.view.S1STALLD)
        out.push(
          v(
            'cd',
            `CD ${cd.index} of ${d.name} has S=1 but StreamID ${hex(sid)} has S1STALLD=1: C_BAD_CD`,
          ),
        );
    }
  }
  // The other way round: every live context has its CD in every table it was written to — the
  // domain's (all its masters read it), or each bound master's own.
  const validIn = (base: bigint | undefined): Set<number> =>
    new Set(cds.filter((c) => c.table === base).map((c) => c.index));
  for (const d of k.domains.values()) {
    if (d.devices.length === 0) continue;
    if (d.cdtable && d.type === 'dma') {
      const have = validIn(d.cdtable.base);
      if (d.pgtable && !have.has(0)) out.push(v('cd', `${d.name}: CD 0 is not valid`));
      for (const [proc, ctx] of d.contexts)
        if (!have.has(ctx.pasid))
          out.push(v('cd', `${d.name}: context of ${proc} (PASID ${ctx.pasid}) has no valid CD`));
      for (const p of k.privates.values())
        if (d.devices.includes(p.dev) && !have.has(p.pasid))
          out.push(
            v('cd', `${d.name}: private PASID ${p.pasid} of ${p.dev}/${p.proc} has no valid CD`),
          );
      continue;
    }
    for (const name of d.devices) {
      const dev = k.devices.get(name)!;
      const table = steTableOf(k, dev);
      if (!table) continue;
      const have = validIn(table.base);
      if (d.type === 'dma' && d.pgtable && !have.has(0))
        out.push(v('cd', `${name}: CD 0 is not valid`));
      for (const [proc, ctx] of d.contexts)
        if (ctx.devices.includes(name) && !have.has(ctx.pasid))
          out.push(v('cd', `${name}: context of ${proc} (PASID ${ctx.pasid}) has no valid CD`));
      for (const p of k.privates.values())
        if (p.dev === name && !have.has(p.pasid))
          out.push(v('cd', `${name}: private PASID ${p.pasid} of ${p.proc} has no valid CD`));
    }
  }
  return out;
}
