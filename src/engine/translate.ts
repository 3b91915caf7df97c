// translate(transaction) → outcome + trace: the SMMU's path for one transaction (§3.3–§3.4):
// SMMUEN/GBPA → StreamID → STE → (SubstreamID → CD) → TLB → stage-1 walk → stage 2 → PA.
// Here: the SMMU-wide gates, STE overrides, bypass and ATS refusals; the structure fetches are
// steFetch.ts and cdFetch.ts, stage 1 is stage1.ts (TTB selection: ttb.ts).
import { ABSENT } from './absent.ts';
import { hex } from './bits.ts';
import { fetchCd, selectCd } from './cdFetch.ts';
import type { CachedSte } from './configCache.ts';
import { configError, note, translationFault, type Ctx } from './context.ts';
import { EVENT_ID } from './events.ts';
import type { Smmu } from './smmu.ts';
import { stage1 } from './stage1.ts';
import { makeS2, type S2Translator } from './stage2.ts';
import { EATS, effectiveEats, s1Enabled, s2Enabled } from './ste.ts';
import { fetchSte } from './steFetch.ts';
import type { SourceWord } from './stale.ts';
import type { Trace } from './trace.ts';
import type { Outcome, Transaction } from './transaction.ts';

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
  /** What a translated outcome was built from (the TLB entry's sources), for the ATC. */
  readonly src?: readonly SourceWord[];
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
  // Literals, not a spread of `{ src }`: one allocation on the hot path (same keys, same order).
  const src = outcome.type === 'translated' ? ctx.src : undefined;
  const steps = ctx.steps ?? [];
  if (seq === undefined)
    return src ? { outcome, steps, tlb: ctx.tlb, src } : { outcome, steps, tlb: ctx.tlb };
  const seqEnd = smmu.mem.tick();
  return src
    ? { outcome, steps, tlb: ctx.tlb, seq, seqEnd, src }
    : { outcome, steps, tlb: ctx.tlb, seq, seqEnd };
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
    const oas = smmu.platform.oas;
    if (txn.addr >= 1n << BigInt(oas)) {
      // §3.4: "If the input address of a transaction exceeds the size of the OAS, the
      // transaction is terminated with an abort and no event is recorded."
      note(
        ctx,
        `SMMUEN=0, GBPA.ABORT=0, but ${hex(txn.addr)} exceeds the ${oas}-bit OAS: abort, no event`,
        'gbpa',
      );
      return {
        type: 'aborted',
        reason: `SMMU disabled: address beyond the ${oas}-bit OAS`,
        termination: 'abort',
      };
    }
    note(ctx, 'SMMUEN=0 and GBPA.ABORT=0: the transaction bypasses the SMMU', 'gbpa');
    return bypass(txn.addr);
  }
  const ste = fetchSte(ctx);
  if (!ste.ok) return ste.outcome;
  const v = ste.value.view;
  // §5.2 PRIVCFG/INSTCFG: RES0 unless SMMU_IDR1.ATTR_PERMS_OVR=1 (the incoming attribute is
  // used); 0b01 is reserved and behaves as 0b00; INSTCFG never makes a write an instruction.
  if (ABSENT.attrPermsOvr.present(smmu.platform)) {
    if (v.PRIVCFG === 2) ctx.priv = false;
    else if (v.PRIVCFG === 3) ctx.priv = true;
    if (v.INSTCFG === 2) ctx.instr = false;
    else if (v.INSTCFG === 3 && !ctx.write) ctx.instr = true;
  }
  if (v.Config < 4) {
    note(ctx, `STE.Config=${v.Config}: abort, no event recorded`, 'ste');
    return { type: 'aborted', reason: 'STE.Config = abort', termination: 'abort' };
  }
  if (ctx.ats && effectiveEats(v, d.atschk) === EATS.ABT)
    return badAtsRequest(
      ctx,
      v.Config === 4
        ? 'STE.Config=bypass'
        : v.EATS === EATS.DPT
          ? 'STE.EATS=0b11 is Reserved without SMMU_IDR3.DPT and behaves as 0b00'
          : `STE.EATS=0b${v.EATS.toString(2).padStart(2, '0')}`,
    );
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
