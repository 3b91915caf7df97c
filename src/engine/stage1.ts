// Stage 1 for one transaction (§3.4; Arm ARM D8): TLB lookup, TTB choice (ttb.ts), the walk
// (through stage 2 when nested), Access flag / dirty-state updates (HTTU), stage 2 on the output,
// TLB fill. The hot path: helpers are module-level and the direct reader cached per memory.
import { ABSENT } from './absent.ts';
import { hex } from './bits.ts';
import type { CdView } from './cd.ts';
import { worldOf } from './cdFetch.ts';
import type { CachedCd, CachedSte } from './configCache.ts';
import { note, tlbConflict, translationFault, type Ctx } from './context.ts';
import { granuleName } from './granule.ts';
import type { PhysMem } from './memory.ts';
import {
  afSet,
  checkS1,
  checkS2,
  grantS1,
  s1Dirty,
  s1PermsOf,
  s1PermsOfHalves,
  withAf,
  type PermVerdict,
  type S1Flags,
} from './permissions.ts';
import { changedSources, walkSources } from './stale.ts';
import type { S2Translator } from './stage2.ts';
import type { SteView } from './ste.ts';
import type { S2Perms, TlbEntry } from './tlb.ts';
import type { Outcome } from './transaction.ts';
import { s1Params, selectTtb } from './ttb.ts';
import { walk, type Fetch, type StageFault } from './walk.ts';
import { FAST_LEAF, fastSources } from './walkFast.ts';

/**
 * A permission verdict that lets the translation complete. An ATS Translation Request is not
 * refused for permissions: its completion carries whatever R/W/X the tables allow (§3.9.1.2;
 * spec-facts Q2). A write to a writable-clean page still walks to record the dirty state.
 */
const atsOrOk = (ctx: Ctx, v: PermVerdict): boolean => v.ok || (ctx.ats && !v.dirty);

/** Permissions both stages grant: an ATS completion never exceeds stage 2's (§3.9.1.2). */
function bothStages(
  p: { read: boolean; write: boolean; exec: boolean },
  s2: S2Perms | undefined,
): { read: boolean; write: boolean; exec: boolean } {
  if (!s2) return p;
  return {
    read: p.read && (s2.s2ap & 1) === 1,
    write: p.write && (s2.s2ap & 2) === 2,
    exec: p.exec && !s2.xn,
  };
}

// Hot-path helpers (module-level, so a translation allocates no closures for them).
const MASK: readonly bigint[] = Array.from({ length: 65 }, (_, w) => (1n << BigInt(w)) - 1n);
/** ~MASK[w]: the bits above the low w. */
const HIGH: readonly bigint[] = MASK.map((m) => ~m);
const NG = 1n << 11n;
/** AF (bit 10) and nG (bit 11) in the low half of a descriptor. */
const AF_LO = 1 << 10;
const NG_LO = 1 << 11;
const tagOf = (e: TlbEntry): string => `ASID ${e.asid < 0 ? 'global' : e.asid}`;
const s1Fault = (ctx: Ctx, c: CdView, ste: SteView, f: StageFault): Outcome =>
  translationFault(ctx, f, c, ste).outcome;

/** Stage-1 descriptor reads without stage 2: one reader per memory, made once. */
const directFetch = new WeakMap<PhysMem, Fetch>();
function memFetch(mem: PhysMem): Fetch {
  let f = directFetch.get(mem);
  if (!f) {
    f = (addr) => {
      const w = mem.read64(addr);
      if (w === undefined)
        return {
          ok: false,
          fault: {
            kind: 'F_WALK_EABT',
            stage: 1,
            class: 'TT',
            fetchAddr: addr,
            why: `external abort reading a stage-1 descriptor at ${hex(addr)}`,
          },
        };
      return { ok: true, value: w, pa: addr };
    };
    directFetch.set(mem, f);
  }
  return f;
}

export function stage1(ctx: Ctx, ste: CachedSte, cd: CachedCd, s2: S2Translator | null): Outcome {
  const { smmu, txn } = ctx;
  const c = cd.view;
  const world = worldOf(ctx, ste.view);
  const flags: S1Flags = { WXN: c.WXN, PAN: c.PAN, HD: c.HD && c.HA, el2: world === 'EL2' };
  const va = txn.addr;

  // E0PDx (§5.4): an unprivileged access through a TTB with E0PD set faults whether or not the
  // TLB holds the translation (the field may be cached, the fault is not skipped by a hit). It
  // is RES0 without SMMU_IDR3.E0PD and in the EL2 StreamWorld (every access is privileged).
  if (!ctx.priv && (c.E0PD0 || c.E0PD1) && ABSENT.e0pd.present(smmu.platform) && world !== 'EL2') {
    const which = ((va >> 55n) & 1n) === 1n ? 1 : 0;
    if (which === 0 ? c.E0PD0 : c.E0PD1) {
      note(ctx, `E0PD${which}=1: unprivileged accesses through TTB${which} fault`, 'cd');
      return s1Fault(ctx, c, ste.view, {
        kind: 'F_TRANSLATION',
        stage: 1,
        class: 'IN',
        why: `CD.E0PD${which}=1`,
      });
    }
  }

  const hit = smmu.tlb.lookup(cd.tags, va);
  if (hit?.s1) {
    ctx.tlb = 'hit';
    const other = smmu.tlb.conflict(cd.tags, va, hit);
    if (other) return tlbConflict(ctx, hit, other).outcome;
    ctx.src = hit.src;
    // Only for the trace: the hardware never re-reads memory on a hit, the simulator says so.
    const changed = ctx.steps ? changedSources(hit.src, smmu.mem) : [];
    const stale = changed.length ? { stale: changed } : {};
    const pa = hit.oa | (va & MASK[hit.sizeShift]!);
    const v1 = checkS1(hit.s1, ctx.write, ctx.instr, ctx.priv, flags);
    const v2 = hit.s2
      ? checkS2(hit.s2, ctx.write, ctx.instr, ste.view.S2HD && ste.view.S2HA)
      : ({ ok: true } as const);
    if (atsOrOk(ctx, v1) && atsOrOk(ctx, v2)) {
      ctx.steps?.push({
        kind: 'tlb-hit',
        tlb: hit,
        ...stale,
        note: `TLB hit (${tagOf(hit)}): VA ${hex(va)} → PA ${hex(pa)}, no walk`,
      });
      return {
        type: 'translated',
        pa,
        stages: s2 ? 's1+s2' : 's1',
        perms: bothStages(grantS1(hit.s1, ctx.priv, flags), hit.s2),
        sizeShift: hit.sizeShift,
      };
    }
    if (!v1.ok && !v1.dirty) {
      ctx.steps?.push({
        kind: 'tlb-hit',
        tlb: hit,
        ...stale,
        note: `TLB hit (${tagOf(hit)}): the cached permissions deny the access — ${v1.why}`,
      });
      return s1Fault(ctx, c, ste.view, {
        kind: 'F_PERMISSION',
        stage: 1,
        class: 'IN',
        why: v1.why,
      });
    }
    if (!v2.ok && !v2.dirty) {
      ctx.steps?.push({
        kind: 'tlb-hit',
        tlb: hit,
        ...stale,
        note: `TLB hit (${tagOf(hit)}): cached stage-2 permissions deny the access — ${v2.why}`,
      });
      return s1Fault(ctx, c, ste.view, {
        kind: 'F_PERMISSION',
        stage: 2,
        class: 'IN',
        why: v2.why,
      });
    }
    ctx.steps?.push({
      kind: 'tlb-hit',
      tlb: hit,
      ...stale,
      note: `TLB hit on a writable-clean page: the write needs a walk to record the dirty state`,
    });
  } else {
    ctx.tlb = 'miss';
    ctx.steps?.push({
      kind: 'tlb-miss',
      note: `TLB miss for VA ${hex(va)} (ASID ${c.ASID}): walk the stage-1 tables`,
    });
  }

  const sel = selectTtb(c, va, world === 'EL2');
  if (typeof sel === 'string') {
    note(ctx, sel, 'cd');
    return s1Fault(ctx, c, ste.view, {
      kind: 'F_TRANSLATION',
      stage: 1,
      class: 'IN',
      level: 0,
      why: sel,
    });
  }
  if (sel.epd) {
    note(ctx, `EPD${sel.which}=1: walks through TTB${sel.which} are disabled`, 'cd');
    return s1Fault(ctx, c, ste.view, {
      kind: 'F_TRANSLATION',
      stage: 1,
      class: 'IN',
      why: `CD.EPD${sel.which}=1`,
    });
  }
  const params = s1Params(sel, c, smmu.platform.oas, ABSENT.had.present(smmu.platform));
  if (ctx.steps)
    note(
      ctx,
      `TTB${sel.which} (${sel.inputSize}-bit VA, ${granuleName(sel.g)} granule): walk starts at level ${params.startLevel}, table ${hex(params.ttb)}`,
      'cd',
    );

  let s2Outcome: Outcome | undefined;
  const path: bigint[] = [];
  const r = walk(
    params,
    va,
    !s2
      ? memFetch(smmu.mem)
      : (addr) => {
          let pa = addr;
          if (s2) {
            const t = s2(addr, 'TT');
            if (!t.ok) {
              s2Outcome = t.outcome;
              return {
                ok: false,
                fault: { kind: 'F_TRANSLATION', stage: 2, class: 'TT', why: 'stage 2' },
              };
            }
            pa = t.value.pa;
          }
          const w = smmu.mem.read64(pa);
          if (w === undefined)
            return {
              ok: false,
              fault: {
                kind: 'F_WALK_EABT',
                stage: 1,
                class: 'TT',
                fetchAddr: pa,
                why: `external abort reading a stage-1 descriptor at ${hex(pa)}`,
              },
            };
          return { ok: true, value: w, pa };
        },
    ctx.steps,
    s2 ? undefined : smmu.mem,
    path,
  );
  if (s2Outcome) return s2Outcome;
  if (!r.ok) return s1Fault(ctx, c, ste.view, r.fault);
  const leaf = r.leaf;
  // The fast path's leaf comes with its descriptor as halves: decoded without BigInt operations.
  const fast = FAST_LEAF.leaf === leaf;
  const perms = fast ? s1PermsOfHalves(leaf, FAST_LEAF.lo, FAST_LEAF.hi) : s1PermsOf(leaf);
  const verdict = checkS1(perms, ctx.write, ctx.instr, ctx.priv, flags);
  const af = fast ? (FAST_LEAF.lo & AF_LO) !== 0 : afSet(leaf.desc);
  if (!af && !c.HA && !c.AFFD)
    return s1Fault(ctx, c, ste.view, {
      kind: 'F_ACCESS',
      stage: 1,
      class: 'IN',
      level: leaf.level,
      why: 'AF=0 and neither HA nor AFFD',
    });
  if (!verdict.ok && !verdict.dirty && !ctx.ats)
    return s1Fault(ctx, c, ste.view, {
      kind: 'F_PERMISSION',
      stage: 1,
      class: 'IN',
      level: leaf.level,
      why: verdict.why,
    });

  let desc = leaf.desc;
  let updated = desc;
  if (!af && c.HA) updated = withAf(updated);
  if (!verdict.ok && verdict.dirty) updated = s1Dirty(updated);
  if (updated !== desc) {
    if (s2) {
      const t = s2(leaf.descAddr, 'TT', true);
      if (!t.ok) return t.outcome;
    }
    smmu.mem.write64(leaf.descPa, updated);
    const what = [!af ? 'AF set' : '', updated !== withAf(desc) ? 'AP[2] cleared (dirty)' : '']
      .filter(Boolean)
      .join(', ');
    ctx.steps?.push({
      kind: 'httu',
      stage: 1,
      level: leaf.level,
      pa: leaf.descPa,
      old: desc,
      value: [updated],
      note: `hardware update of the leaf descriptor: ${what}`,
    });
    desc = updated;
  }

  let pa = leaf.oa;
  let sizeShift = leaf.sizeShift;
  let s2Perms: S2Perms | undefined;
  if (s2) {
    const t = s2(leaf.oa, 'IN');
    if (!t.ok) return t.outcome;
    pa = t.value.pa;
    sizeShift = Math.min(sizeShift, t.value.sizeShift);
    s2Perms = t.value.perms;
  }
  const same = desc === leaf.desc;
  const finalPerms = same ? perms : s1PermsOf({ ...leaf, desc });
  const global = fast && same ? (FAST_LEAF.lo & NG_LO) === 0 : (desc & NG) === 0n;
  const src = fast ? fastSources(desc) : walkSources(path, desc, 1);
  ctx.src = src;
  const entry: TlbEntry = {
    stage: s2 ? 's12' : 's1',
    tag: global ? cd.tags[1]! : cd.tags[0]!,
    vmid: world === 'NS-EL1' ? ste.view.S2VMID : 0,
    asid: global ? -1 : c.ASID,
    aset: c.ASET,
    world,
    ia: va & HIGH[sizeShift]!,
    sizeShift,
    oa: pa & HIGH[sizeShift]!,
    s1: finalPerms,
    leafPa: leaf.descPa,
    src,
    sid: txn.sid,
    ssid: txn.ssid,
  };
  // A literal, not a spread, on the common path (no stage 2): a walk's costliest allocation.
  smmu.tlb.insert(s2Perms ? { ...entry, s2: s2Perms } : entry);
  return {
    type: 'translated',
    pa,
    stages: s2 ? 's1+s2' : 's1',
    perms: bothStages(grantS1(finalPerms, ctx.priv, flags), s2Perms),
    sizeShift,
  };
}
