// translate(transaction) → outcome + trace: the SMMU's path for one transaction (§3.3–§3.4):
// SMMUEN/GBPA → StreamID → STE → (SubstreamID → CD) → TLB → stage-1 walk → stage 2 → PA.
import { hex } from './bits.ts';
import { paSizeBits, tg0Shift, tg1Shift, type CdView } from './cd.ts';
import { fetchCd, fetchSte, selectCd, worldOf } from './config.ts';
import type { CachedCd, CachedSte } from './configCache.ts';
import { configError, note, translationFault, type Ctx } from './context.ts';
import { EVENT_ID } from './events.ts';
import { granuleName, startLevel, type GranuleShift } from './granule.ts';
import {
  afSet,
  checkS1,
  checkS2,
  grantS1,
  s1Dirty,
  s1PermsOf,
  withAf,
  type PermVerdict,
  type S1Flags,
} from './permissions.ts';
import type { PhysMem } from './memory.ts';
import type { Smmu } from './smmu.ts';
import { makeS2, type S2Translator } from './stage2.ts';
import { s1Enabled, s2Enabled, type SteView } from './ste.ts';
import type { Trace } from './trace.ts';
import type { S2Perms, TlbEntry } from './tlb.ts';
import type { Outcome, Transaction } from './transaction.ts';
import { alignStartTable, walk, type Fetch, type StageFault, type WalkParams } from './walk.ts';

export interface TranslateOptions {
  /** Record the trace (default true). Off, the hot path allocates no steps. */
  readonly trace?: boolean;
  /** A PCIe ATS Translation Request instead of an untranslated transaction. */
  readonly ats?: boolean;
}

export interface Translation {
  readonly outcome: Outcome;
  readonly steps: Trace;
  readonly tlb: 'hit' | 'miss' | 'none';
  /** Activity numbers at the start and end of the translation (PhysMem.clock). */
  readonly seq?: number;
  readonly seqEnd?: number;
}

export function translate(smmu: Smmu, txn: Transaction, opts: TranslateOptions = {}): Translation {
  const ctx: Ctx = {
    smmu,
    txn,
    priv: txn.priv,
    instr: txn.access === 'x',
    write: txn.access === 'w',
    steps: opts.trace === false ? null : [],
    ats: opts.ats ?? false,
    tlb: 'none',
  };
  const seq = smmu.mem.clock ? smmu.mem.tick() : undefined;
  const outcome = run(ctx);
  ctx.steps?.push({ kind: 'result', note: describe(outcome) });
  if (seq === undefined) return { outcome, steps: ctx.steps ?? [], tlb: ctx.tlb };
  return { outcome, steps: ctx.steps ?? [], tlb: ctx.tlb, seq, seqEnd: smmu.mem.tick() };
}

function describe(o: Outcome): string {
  switch (o.type) {
    case 'translated':
      return o.stages === 'none'
        ? `bypass: output address ${hex(o.pa)}`
        : `translated: PA ${hex(o.pa)}`;
    case 'fault':
      return `terminated (${o.termination === 'abort' ? 'abort' : 'RAZ/WI'}) with ${o.event.name} recorded`;
    case 'stalled':
      return `stalled with STAG ${o.stag}: waiting for CMD_RESUME`;
    case 'aborted':
      return `terminated silently (${o.termination === 'abort' ? 'abort' : 'RAZ/WI'}): ${o.reason}`;
  }
}

const bypass = (pa: bigint): Outcome => ({
  type: 'translated',
  pa,
  stages: 'none',
  perms: { read: true, write: true, exec: true },
});

function run(ctx: Ctx): Outcome {
  const { smmu, txn } = ctx;
  const d = smmu.derived;
  if (!d.smmuen) {
    if (ctx.ats) return badAtsRequest(ctx, 'SMMUEN=0');
    if (d.gbpaAbort) {
      note(ctx, 'SMMUEN=0 and GBPA.ABORT=1: every transaction is aborted, no event', 'gbpa');
      return { type: 'aborted', reason: 'SMMU disabled, GBPA.ABORT=1', termination: 'abort' };
    }
    note(ctx, 'SMMUEN=0 and GBPA.ABORT=0: the transaction bypasses the SMMU', 'gbpa');
    return bypass(txn.addr);
  }
  const ste = fetchSte(ctx);
  if (!ste.ok) return ste.outcome;
  const v = ste.value.view;
  if (v.PRIVCFG === 2) ctx.priv = false;
  else if (v.PRIVCFG === 3) ctx.priv = true;
  if (v.INSTCFG === 2) ctx.instr = false;
  else if (v.INSTCFG === 3 && !ctx.write) ctx.instr = true;
  if (v.Config < 4) {
    note(ctx, `STE.Config=${v.Config}: abort, no event recorded`, 'ste');
    return { type: 'aborted', reason: 'STE.Config = abort', termination: 'abort' };
  }
  if (ctx.ats && (v.EATS === 0 || v.Config === 4))
    return badAtsRequest(ctx, v.Config === 4 ? 'STE.Config=bypass' : 'STE.EATS=0b00');
  const s2 = s2Enabled(v.Config) ? makeS2(ctx, ste.value, s1Enabled(v.Config)) : null;
  if (!s1Enabled(v.Config)) {
    if (txn.ssid !== undefined)
      return configError(
        ctx,
        EVENT_ID.C_BAD_SUBSTREAMID,
        {},
        'a SubstreamID but stage 1 is disabled (Config=0b1x0)',
      ).outcome;
    return bypassStage1(ctx, s2, ste.value);
  }
  const sel = selectCd(ctx, v);
  if (!sel.ok) return sel.outcome;
  if (sel.value === 'bypass') return bypassStage1(ctx, s2, ste.value);
  const cd = fetchCd(ctx, ste.value, sel.value, s2);
  if (!cd.ok) return cd.outcome;
  return stage1(ctx, ste.value, cd.value, s2);
}

/** F_BAD_ATS_TREQ (§7.3.6): a Translation Request the STE or SMMU state does not allow; UR. */
function badAtsRequest(ctx: Ctx, why: string): Outcome {
  const ev = {
    id: EVENT_ID.F_BAD_ATS_TREQ,
    ...(ctx.txn.ssid !== undefined ? { ssv: true, ssid: ctx.txn.ssid } : {}),
    addr: ctx.txn.addr & ~0xfffn,
  };
  const r = configError(
    { ...ctx, ats: false },
    ev.id,
    ev,
    `ATS Translation Request refused (${why}); completion UR`,
  );
  return r.outcome;
}

/** Stage 1 bypassed (Config 0b100/0b110, or S1DSS=0b01): IAS check, then stage 2 or out. */
function bypassStage1(ctx: Ctx, s2: S2Translator | null, ste: CachedSte): Outcome {
  const ias = ctx.smmu.platform.oas; // IAS = OAS when AArch32 tables are not supported
  if (ctx.txn.addr >= 1n << BigInt(ias)) {
    return translationFault(
      ctx,
      {
        kind: 'F_ADDR_SIZE',
        stage: 1,
        class: 'IN',
        why: `input address ${hex(ctx.txn.addr)} exceeds the ${ias}-bit IAS with stage 1 bypassed`,
      },
      undefined,
      ste.view,
    ).outcome;
  }
  if (!s2) {
    note(ctx, 'stage 1 bypassed and stage 2 disabled: output address = input address', 'ste');
    return bypass(ctx.txn.addr);
  }
  ctx.tlb = 'miss';
  const r = s2(ctx.txn.addr, 'IN');
  if (!r.ok) return r.outcome;
  const p = r.value.perms;
  return {
    type: 'translated',
    pa: r.value.pa,
    stages: 's2',
    perms: { read: (p.s2ap & 1) === 1, write: (p.s2ap & 2) === 2, exec: !p.xn },
    sizeShift: r.value.sizeShift,
  };
}

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

interface TtbChoice {
  readonly which: 0 | 1;
  readonly g: GranuleShift;
  readonly inputSize: number;
  readonly ttb: bigint;
  readonly epd: boolean;
  readonly e0pd: boolean;
  readonly had: boolean;
}

/** A TTB choice for one CD, prepared once: the range check as a mask, and the walk set-up. */
interface TtbPlan extends TtbChoice {
  readonly top: number;
  readonly tbi: boolean;
  /** VA bits [top:inputSize] must equal `rangeWant` (all zeros, or all ones for TTB1). */
  readonly rangeMask: bigint;
  readonly rangeWant: bigint;
  /** Stage-1 walk parameters for this TTB, made on first use (they depend on the OAS). */
  params?: WalkParams;
}

const ttbPlans = new WeakMap<CdView, (TtbPlan | undefined)[]>();

function ttbPlan(c: CdView, which: 0 | 1, singleRange: boolean): TtbPlan {
  let plans = ttbPlans.get(c);
  if (!plans) ttbPlans.set(c, (plans = []));
  const slot = which + (singleRange ? 2 : 0);
  let plan = plans[slot];
  if (!plan) {
    const tbi = which === 0 ? c.TBI0 : c.TBI1;
    const inputSize = 64 - (which === 0 ? c.T0SZ : c.T1SZ);
    const top = tbi ? 55 : 63;
    const rangeMask = top < inputSize ? 0n : MASK[top + 1]! & ~MASK[inputSize]!;
    const g = (which === 0 ? tg0Shift(c.TG0) : tg1Shift(c.TG1)) ?? 12;
    plan = plans[slot] = {
      which,
      g: g as GranuleShift,
      inputSize,
      ttb: which === 0 ? c.TTB0 : c.TTB1,
      epd: singleRange ? false : which === 0 ? c.EPD0 : c.EPD1,
      e0pd: which === 0 ? c.E0PD0 : c.E0PD1,
      had: which === 0 ? c.HAD0 : c.HAD1,
      top,
      tbi,
      rangeMask,
      rangeWant: which === 1 ? rangeMask : 0n,
    };
  }
  return plan;
}

/** TTB0/TTB1 by VA[55] and the range checks with TBI (§3.4.1; Arm ARM D8.1.6). */
function selectTtb(c: CdView, va: bigint, singleRange: boolean): TtbPlan | string {
  const which: 0 | 1 = singleRange ? 0 : ((va >> 55n) & 1n) === 1n ? 1 : 0;
  const plan = ttbPlan(c, which, singleRange);
  if ((va & plan.rangeMask) !== plan.rangeWant) {
    return `VA ${hex(va)} is outside the TTB${which} range: bits [${plan.top}:${plan.inputSize}] must all be ${which}${plan.tbi ? ' (top byte ignored)' : ''}`;
  }
  return plan;
}

/** The stage-1 walk parameters of a TTB plan (start level, aligned table, output size). */
function s1Params(plan: TtbPlan, c: CdView, oas: number): WalkParams {
  const oaBits = Math.min(paSizeBits(c.IPS), oas);
  if (plan.params?.oaBits !== oaBits) {
    const level0 = startLevel(plan.g, plan.inputSize);
    plan.params = {
      stage: 1,
      g: plan.g,
      inputSize: plan.inputSize,
      startLevel: level0,
      ttb: alignStartTable(plan.ttb, plan.g, level0, plan.inputSize),
      oaBits,
      had: plan.had,
      inputName: 'VA',
    };
  }
  return plan.params;
}

function stage1(ctx: Ctx, ste: CachedSte, cd: CachedCd, s2: S2Translator | null): Outcome {
  const { smmu, txn } = ctx;
  const c = cd.view;
  const world = worldOf(ctx, ste.view);
  const flags: S1Flags = { WXN: c.WXN, PAN: c.PAN, HD: c.HD && c.HA, el2: world === 'EL2' };
  const va = txn.addr;

  const hit = smmu.tlb.lookup(cd.tags, va);
  if (hit?.s1) {
    ctx.tlb = 'hit';
    const pa = hit.oa | (va & MASK[hit.sizeShift]!);
    const v1 = checkS1(hit.s1, ctx.write, ctx.instr, ctx.priv, flags);
    const v2 = hit.s2
      ? checkS2(hit.s2, ctx.write, ctx.instr, ste.view.S2HD && ste.view.S2HA)
      : ({ ok: true } as const);
    if (atsOrOk(ctx, v1) && atsOrOk(ctx, v2)) {
      ctx.steps?.push({
        kind: 'tlb-hit',
        tlb: hit,
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
  if (sel.e0pd && !ctx.priv) {
    note(ctx, `E0PD${sel.which}=1: unprivileged accesses through TTB${sel.which} fault`, 'cd');
    return s1Fault(ctx, c, ste.view, {
      kind: 'F_TRANSLATION',
      stage: 1,
      class: 'IN',
      why: `CD.E0PD${sel.which}=1`,
    });
  }
  const params = s1Params(sel, c, smmu.platform.oas);
  if (ctx.steps)
    note(
      ctx,
      `TTB${sel.which} (${sel.inputSize}-bit VA, ${granuleName(sel.g)} granule): walk starts at level ${params.startLevel}, table ${hex(params.ttb)}`,
      'cd',
    );

  let s2Outcome: Outcome | undefined;
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
  );
  if (s2Outcome) return s2Outcome;
  if (!r.ok) return s1Fault(ctx, c, ste.view, r.fault);
  const leaf = r.leaf;
  const perms = s1PermsOf(leaf);
  const verdict = checkS1(perms, ctx.write, ctx.instr, ctx.priv, flags);
  const af = afSet(leaf.desc);
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
  const finalPerms = desc === leaf.desc ? perms : s1PermsOf({ ...leaf, desc });
  const global = (desc & (1n << 11n)) === 0n;
  smmu.tlb.insert({
    stage: s2 ? 's12' : 's1',
    tag: global ? cd.tags[1]! : cd.tags[0]!,
    vmid: world === 'NS-EL1' ? ste.view.S2VMID : 0,
    asid: global ? -1 : c.ASID,
    aset: c.ASET,
    world,
    ia: va & ~MASK[sizeShift]!,
    sizeShift,
    oa: pa & ~MASK[sizeShift]!,
    s1: finalPerms,
    ...(s2Perms ? { s2: s2Perms } : {}),
    leafPa: leaf.descPa,
    sid: txn.sid,
    ssid: txn.ssid,
  });
  return {
    type: 'translated',
    pa,
    stages: s2 ? 's1+s2' : 's1',
    perms: bothStages(grantS1(finalPerms, ctx.priv, flags), s2Perms),
    sizeShift,
  };
}
