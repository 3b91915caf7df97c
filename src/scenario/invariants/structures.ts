// (a) STEs and CDs agree with the kernel state.
import { CD_BYTES, hex, STE_BYTES, type SteView } from '../../engine/index.ts';
import type { Domain, KernelState } from '../../kernel/index.ts';
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
  readonly ttb: bigint;
}

/** Who should own CD[index] of domain `d`, by the kernel state. */
function ownerOf(k: KernelState, d: Domain, index: number): Owner | string {
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
    // mainline: an mm that exited while bound keeps its CD valid with EPD0=1 and no TTB0
    // (arm_smmu_mm_release) until the drivers unbind.
    if (k.iommuProcesses.get(index)?.exited)
      return { what: `the exited ${o.proc}'s mm (EPD0)`, asid: ctx.asid ?? -1, ttb: 0n };
    const p = k.processes.get(o.proc);
    if (!p) return `PASID ${index}: process ${o.proc} is gone`;
    const asid = k.profile === 'rfc2017' ? p.mm.asid : (ctx.asid ?? p.mm.asid);
    return { what: `${o.proc} (shared mm)`, asid, ttb: p.mm.pgd };
  }
  const priv = k.privates.get(`${o.dev}/${o.proc}`);
  if (!priv) return `PASID ${index}: private context ${o.dev}/${o.proc} is gone`;
  if (!d.devices.includes(o.dev))
    return `PASID ${index} is private to ${o.dev}, which is not in ${d.name}`;
  return {
    what: `private ${o.dev}/${o.proc}`,
    asid: priv.pgtable.asid,
    ttb: priv.pgtable.root,
  };
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
    const want = !d || d.type === 'blocked' ? 0 : d.type === 'identity' ? 4 : 5;
    if (!ste.view.V || ste.view.Config !== want)
      out.push(
        v('ste', `${dev.name}: STE Config=${ste.view.Config} V=${ste.view.V}, expected ${want}`),
      );
    else if (want === 5 && ste.view.S1ContextPtr !== d!.cdtable?.base)
      out.push(v('ste', `${dev.name}: STE points at CD table ${hex(ste.view.S1ContextPtr)}`));
  }
  for (const cd of cds) {
    const d = cd.domain ? k.domains.get(cd.domain) : undefined;
    if (!d) {
      out.push(v('cd', `CD ${cd.index} at ${hex(cd.pa)} reachable from a device without a domain`));
      continue;
    }
    const o = ownerOf(k, d, cd.index);
    if (typeof o === 'string') {
      out.push(v('cd', `valid CD ${cd.index} of ${d.name} (at ${hex(cd.pa)}) has no owner: ${o}`));
      continue;
    }
    if (cd.view.ASID !== o.asid || cd.view.TTB0 !== o.ttb)
      out.push(
        v(
          'cd',
          `CD ${cd.index} of ${d.name}: ASID ${cd.view.ASID} TTB0 ${hex(cd.view.TTB0)}, but ${o.what} has ASID ${o.asid} pgd ${hex(o.ttb)}`,
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
  // The other way round: every live context of an attached domain has its CD.
  for (const d of k.domains.values()) {
    if (d.type !== 'dma' || !d.cdtable || d.devices.length === 0) continue;
    const have = new Set(cds.filter((c) => c.table === d.cdtable!.base).map((c) => c.index));
    if (d.pgtable && !have.has(0)) out.push(v('cd', `${d.name}: CD 0 is not valid`));
    for (const [proc, ctx] of d.contexts)
      if (!have.has(ctx.pasid))
        out.push(v('cd', `${d.name}: context of ${proc} (PASID ${ctx.pasid}) has no valid CD`));
    for (const p of k.privates.values())
      if (d.devices.includes(p.dev) && !have.has(p.pasid))
        out.push(
          v('cd', `${d.name}: private PASID ${p.pasid} of ${p.dev}/${p.proc} has no valid CD`),
        );
  }
  return out;
}
