// (c) TLB and ATC entries agree with a fresh walk of the current tables.
import { grantS1, hex, s1PermsOf, type GranuleShift, type S1Perms } from '../../engine/index.ts';
import type { World } from '../world.ts';
import { v, type Violation } from './violation.ts';
import {
  cdWalk,
  freshTranslate,
  steReader,
  walkTables,
  type SteReader,
  type TableWalk,
} from './read.ts';
import { reachableCds, type ReachableCd } from './structures.ts';

const samePerms = (a: S1Perms, b: S1Perms | undefined): boolean =>
  !!b && a.ap === b.ap && a.pxn === b.pxn && a.uxn === b.uxn && a.dbm === b.dbm;

/** The address spaces the kernel has handed an SMMU ASID (and ASET) to, by `asid/aset`. */
export function asidOwners(w: World): Map<string, { what: string; walk: TableWalk }[]> {
  const out = new Map<string, { what: string; walk: TableWalk }[]>();
  const k = w.kernel;
  if (!k) return out;
  const add = (asid: number, aset: boolean, what: string, walk: TableWalk): void => {
    const key = `${asid}/${aset ? 1 : 0}`;
    const list = out.get(key);
    if (list) list.push({ what, walk });
    else out.set(key, [{ what, walk }]);
  };
  const io = (pt: { root: bigint; g: GranuleShift; ias: number; oas: number }): TableWalk => ({
    root: pt.root,
    g: pt.g,
    inputSize: pt.ias,
    oaBits: pt.oas,
    had: false,
  });
  for (const d of k.domains.values())
    if (d.pgtable) add(d.pgtable.asid, true, `domain ${d.name}`, io(d.pgtable));
  for (const p of k.privates.values())
    add(p.pgtable.asid, true, `private ${p.dev}/${p.proc}`, io(p.pgtable));
  for (const ip of k.iommuProcesses.values()) {
    const p = k.processes.get(ip.proc);
    // An exited mm's CDs fault everything (EPD0): nothing may be cached under its ASID.
    if (!p || ip.exited) continue;
    const cpu: TableWalk = {
      root: p.mm.pgd,
      g: k.cpu.granule,
      inputSize: k.cpu.vaBits,
      oaBits: Math.min(48, w.smmu.platform.oas),
      had: false,
    };
    // The CD's ASID and ASET as the bind recorded them (rfc2017 records none: the CPU's, ASET=0).
    const seen = new Set<string>();
    for (const dn of ip.domains) {
      const ctx = k.domains.get(dn)?.contexts.get(ip.proc);
      if (!ctx) continue;
      const key = `${ctx.asid ?? p.mm.asid}/${ctx.aset ? 1 : 0}`;
      if (seen.has(key)) continue;
      seen.add(key);
      add(ctx.asid ?? p.mm.asid, ctx.aset ?? false, `${ip.proc} (shared mm)`, cpu);
    }
  }
  return out;
}

/**
 * Every TLB entry agrees with a fresh walk of the tables it can be hit through: every live CD
 * with its ASID and ASET (or any CD, for a global entry), and the address space the kernel gave
 * that ASID. An entry whose ASID the kernel no longer gives anyone was not invalidated when the
 * ASID was released (the next owner of the ASID would hit it).
 */
export function checkTlb(w: World, cds: readonly ReachableCd[] = reachableCds(w)): Violation[] {
  const out: Violation[] = [];
  const entries = w.smmu.tlb.entries();
  if (entries.length === 0) return out;
  const spaces = new Map<string, { what: string; walk: TableWalk }[]>(asidOwners(w));
  for (const cd of cds) {
    const key = `${cd.view.ASID}/${cd.view.ASET ? 1 : 0}`;
    const s = { what: `CD ${cd.index} of ${cd.domain ?? '?'}`, walk: cdWalk(w, cd.view) };
    const list = spaces.get(key);
    if (list) list.push(s);
    else spaces.set(key, [s]);
  }
  for (const e of entries) {
    if (e.stage !== 's1' || e.world !== 'NS-EL1' || e.vmid !== 0) continue;
    const entry = `TLB entry ASID ${e.asid}${e.aset ? ' (ASET=1)' : ''} IA ${hex(e.ia)} (2^${e.sizeShift}) → ${hex(e.oa)}, filled by sid ${hex(e.sid)} ssid ${e.ssid ?? '-'}`;
    const users =
      e.asid < 0
        ? cds
            .filter((c) => c.view.ASET === e.aset)
            .map((c) => ({ what: `CD ${c.index}`, walk: cdWalk(w, c.view) }))
        : (spaces.get(`${e.asid}/${e.aset ? 1 : 0}`) ?? []);
    if (users.length === 0 && e.asid >= 0)
      out.push(
        v('tlb', `${entry}: no address space has that ASID any more (released without TLBI)`),
      );
    for (const u of users) {
      const leaf = walkTables(w.mem, u.walk, e.ia);
      const where = `${entry}; ${u.what}`;
      if (!leaf) out.push(v('tlb', `${where}: the tables map nothing there`));
      else if (leaf.oa !== e.oa || leaf.sizeShift !== e.sizeShift)
        out.push(v('tlb', `${where}: the tables give ${hex(leaf.oa)} (2^${leaf.sizeShift})`));
      else if (!samePerms(s1PermsOf(leaf), e.s1))
        out.push(v('tlb', `${where}: permissions differ from the leaf ${hex(leaf.desc)}`));
    }
  }
  return out;
}

/** Every cached STE, CD, L1STD and L1CD is what memory holds at its address (CFGI after every change). */
export function checkConfigCache(w: World): Violation[] {
  const out: Violation[] = [];
  for (const e of w.smmu.cfg.entries()) {
    const words: readonly bigint[] = e.kind === 'ste' || e.kind === 'cd' ? e.raw : [e.raw];
    const now = w.mem.readWords(e.pa, words.length);
    if (!now || now.some((x, i) => x !== words[i]))
      out.push(
        v(
          'cfg',
          `cached ${e.kind.toUpperCase()} ${e.kind === 'cd' ? `${e.ssid} of sid ${hex(e.sid)}` : e.kind === 'ste' ? `of sid ${hex(e.sid)}` : `[${e.index}]`} at ${hex(e.pa)} is stale: memory now holds ${now?.map((x) => hex(x)).join(' ')}`,
        ),
      );
  }
  return out;
}

/** Every ATC entry is what a Translation Request for (sid, ssid, page) would return now. */
export function checkAtc(w: World, steOf: SteReader = steReader(w)): Violation[] {
  const out: Violation[] = [];
  for (const e of w.smmu.atc.entries()) {
    const where = `ATC entry sid ${hex(e.sid)} ssid ${e.ssid ?? '-'} IA ${hex(e.ia)} (2^${e.sizeShift}) → ${hex(e.pa)} ${e.read ? 'R' : ''}${e.write ? 'W' : ''}${e.exec ? 'X' : ''}`;
    const ste = steOf(e.sid);
    if (typeof ste === 'string' || ste.view.Config !== 5 || ste.view.EATS === 0) {
      out.push(v('atc', `${where}: the STE no longer allows ATS (ATC not invalidated)`));
      continue;
    }
    const f = freshTranslate(w, e.sid, e.ssid, e.ia, steOf);
    if (f.kind !== 's1') {
      out.push(
        v('atc', `${where}: a fresh translation gives ${f.kind === 'fault' ? f.why : 'bypass'}`),
      );
      continue;
    }
    const shift = Math.max(12, Math.min(f.sizeShift, 21));
    const g = grantS1(f.perms, e.priv, {
      WXN: f.cd.WXN,
      PAN: f.cd.PAN,
      HD: f.cd.HD && f.cd.HA,
      el2: false,
    });
    if (f.pa !== e.pa || shift !== e.sizeShift)
      out.push(v('atc', `${where}: a fresh translation gives ${hex(f.pa)} (2^${f.sizeShift})`));
    else if (g.read !== e.read || g.write !== e.write || g.exec !== e.exec)
      out.push(
        v(
          'atc',
          `${where}: a fresh translation grants ${g.read ? 'R' : ''}${g.write ? 'W' : ''}${g.exec ? 'X' : ''}`,
        ),
      );
  }
  return out;
}
