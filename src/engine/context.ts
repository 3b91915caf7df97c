// The state of one translation in flight, and how its faults become outcomes (§3.12, §5.5, §7.3).
// Configuration errors always abort and always try to record; the four translation faults follow
// CD.A/R/S (stage 1) or STE.S2R/S2S (stage 2); ATS Translation Requests record nothing (§3.9.1.2).
import type { CdView } from './cd.ts';
import { EVENT_ID, makeEvent, type EventInit, type EventRecord } from './events.ts';
import type { Smmu } from './smmu.ts';
import type { SourceWord } from './stale.ts';
import type { SteView } from './ste.ts';
import { hex } from './bits.ts';
import type { TlbEntry } from './tlb.ts';
import type { Trace } from './trace.ts';
import type { Outcome, Termination, Transaction } from './transaction.ts';
import type { StageFault } from './walk.ts';

export interface Ctx {
  readonly smmu: Smmu;
  readonly txn: Transaction;
  /** Effective attributes after STE.PRIVCFG / INSTCFG. */
  priv: boolean;
  instr: boolean;
  readonly write: boolean;
  readonly steps: Trace | null;
  /** An ATS Translation Request (PCIe): faults go back in the completion, not to the queue. */
  readonly ats: boolean;
  /** Set once a TLB lookup happened: 'hit' | 'miss'. */
  tlb: 'hit' | 'miss' | 'none';
  /** What the stage-1 translation came from: the TLB entry hit or filled (for the ATC). */
  src?: readonly SourceWord[];
}

export interface Failure {
  readonly ok: false;
  readonly outcome: Outcome;
}

export type Result<T> = { ok: true; value: T } | Failure;

export const note = (
  ctx: Ctx,
  text: string,
  struct?: 'gbpa' | 'transaction' | 'tlb' | 'atc' | 'ste' | 'cd',
): void => {
  ctx.steps?.push({ kind: 'decision', ...(struct ? { struct } : {}), note: text });
};

function baseEvent(ctx: Ctx, id: number): EventInit {
  const t = ctx.txn;
  return {
    id,
    sid: t.sid,
    ssv: t.ssid !== undefined,
    ssid: t.ssid ?? 0,
    rnw: !ctx.write,
    ind: ctx.instr,
    pnu: ctx.priv,
    addr: t.addr,
  };
}

function eventStep(
  ctx: Ctx,
  ev: EventRecord,
  written: ReturnType<Smmu['recordEvent']> | undefined,
  note: string,
): void {
  ctx.steps?.push({
    kind: 'event',
    event: ev,
    ...(written ? { eventRaw: written.raw } : {}),
    ...(written?.slot !== undefined ? { eventSlot: written.slot } : {}),
    ...(written?.pa !== undefined ? { eventPa: written.pa } : {}),
    note,
  });
}

/**
 * C_BAD_*, F_*_FETCH, F_STREAM_DISABLED, F_WALK_EABT: abort, and record regardless of A/R/S.
 * For an ATS Translation Request: a CA completion and no record (REC_CFG_ATS is not implemented).
 */
export function configError(ctx: Ctx, id: number, extra: Partial<EventInit>, why: string): Failure {
  const ev = makeEvent({ ...baseEvent(ctx, id), ...extra });
  if (ctx.ats) {
    eventStep(
      ctx,
      ev,
      undefined,
      `${ev.name}: ${why}. Translation Request completed with CA; no event recorded (§3.9.1.2)`,
    );
    return {
      ok: false,
      outcome: { type: 'aborted', reason: `${ev.name}: ${why}`, event: ev, termination: 'abort' },
    };
  }
  if (id === EVENT_ID.C_BAD_STREAMID && !ctx.smmu.derived.recinvsid) {
    eventStep(ctx, ev, undefined, `${ev.name}: ${why}. CR2.RECINVSID=0, so nothing is recorded`);
    return {
      ok: false,
      outcome: {
        type: 'aborted',
        reason: `${ev.name} (not recorded: RECINVSID=0)`,
        event: ev,
        termination: 'abort',
      },
    };
  }
  const w = ctx.smmu.recordEvent(ev);
  const where = w.written ? `written to event queue slot ${w.slot}` : (w.reason ?? 'not written');
  eventStep(ctx, ev, w, `${ev.name}: ${why}; transaction aborted, record ${where}`);
  return {
    ok: false,
    outcome: w.written
      ? { type: 'fault', event: ev, termination: 'abort' }
      : {
          type: 'aborted',
          reason: `${ev.name}: ${w.reason ?? ''}`,
          event: ev,
          termination: 'abort',
        },
  };
}

const FAULT_ID = {
  F_TRANSLATION: EVENT_ID.F_TRANSLATION,
  F_ADDR_SIZE: EVENT_ID.F_ADDR_SIZE,
  F_ACCESS: EVENT_ID.F_ACCESS,
  F_PERMISSION: EVENT_ID.F_PERMISSION,
  F_WALK_EABT: EVENT_ID.F_WALK_EABT,
} as const;

/** The fault configuration that applies: CD A/R/S for stage 1, S2R/S2S (A implied) for stage 2. */
function faultConfig(
  f: StageFault,
  cd: CdView | undefined,
  ste: SteView | undefined,
): { a: boolean; r: boolean; s: boolean } {
  if (f.stage === 2 && ste) return { a: true, r: ste.S2R, s: ste.S2S };
  if (cd) return { a: cd.A, r: cd.R, s: cd.S };
  // Stage-1 bypass address-size faults: always terminated with an abort (§3.4.3).
  return { a: true, r: true, s: false };
}

export function translationFault(
  ctx: Ctx,
  f: StageFault,
  cd: CdView | undefined,
  ste: SteView | undefined,
): Failure {
  const id = FAULT_ID[f.kind];
  const ev = makeEvent({
    ...baseEvent(ctx, id),
    s2: f.stage === 2,
    class: f.kind === 'F_WALK_EABT' && f.stage === 1 ? 'TT' : f.class,
    ipa: f.ipa ?? 0n,
    fetchAddr: f.fetchAddr ?? 0n,
    ttrnw: f.ttrnw ?? false,
  });
  if (ctx.ats) {
    const completion = f.kind === 'F_WALK_EABT' ? 'CA' : 'Success with R=W=0';
    eventStep(
      ctx,
      ev,
      undefined,
      `${ev.name} (${f.why}) on a Translation Request: completion ${completion}, nothing recorded (§3.9.1.2)`,
    );
    return {
      ok: false,
      outcome: { type: 'aborted', reason: `${ev.name}: ${f.why}`, event: ev, termination: 'abort' },
    };
  }
  if (f.kind === 'F_WALK_EABT') return configError(ctx, id, ev, f.why);
  const cfg = faultConfig(f, cd, ste);
  const smmu = ctx.smmu;
  if (cfg.s && smmu.stalls.size >= smmu.platform.stallMax) {
    // §6.3.6: the SMMU guarantees no more than IDR5.STALL_MAX stall records outstanding (recorded
    // and not yet resumed or terminated). What it does instead is not spelled out; this model
    // takes the terminate model §3.12 allows for a stalling configuration: the fault is
    // reported with Stall=0 and the transaction aborted (inferred; see docs/fidelity.md).
    const w = smmu.recordEvent(ev);
    const where = w.written ? `written to event queue slot ${w.slot}` : (w.reason ?? '');
    eventStep(
      ctx,
      ev,
      w,
      `${ev.name} (${f.why}): ${smmu.stalls.size} stalls already outstanding = SMMU_IDR5.STALL_MAX, so the transaction is not stalled but aborted, recorded with Stall=0; record ${where}`,
    );
    return {
      ok: false,
      outcome: w.written
        ? { type: 'fault', event: ev, termination: 'abort' }
        : {
            type: 'aborted',
            reason: `${ev.name}: ${w.reason ?? ''}`,
            event: ev,
            termination: 'abort',
          },
    };
  }
  if (cfg.s) {
    const stag = smmu.allocStag();
    const stalled = makeEvent({ ...ev, stall: true, stag });
    const w = smmu.recordEvent(stalled);
    smmu.stalls.set(stag, { stag, txn: ctx.txn, event: stalled });
    const where = w.written
      ? `event queue slot ${w.slot}`
      : 'a pending record (queue full: stall records are never discarded)';
    eventStep(
      ctx,
      stalled,
      w,
      `${ev.name} (${f.why}): ${f.stage === 1 ? 'CD.S' : 'STE.S2S'}=1, so the transaction stalls with STAG ${stag}; record in ${where}`,
    );
    return { ok: false, outcome: { type: 'stalled', event: stalled, stag } };
  }
  const termination: Termination = cfg.a ? 'abort' : 'raz-wi';
  const term = cfg.a ? 'aborted' : 'terminated as RAZ/WI';
  if (!cfg.r) {
    eventStep(
      ctx,
      ev,
      undefined,
      `${ev.name} (${f.why}): ${f.stage === 1 ? 'CD.R' : 'STE.S2R'}=0, so the transaction is ${term} silently`,
    );
    return {
      ok: false,
      outcome: { type: 'aborted', reason: `${ev.name} not recorded (R=0)`, event: ev, termination },
    };
  }
  const w = smmu.recordEvent(ev);
  const where = w.written ? `written to event queue slot ${w.slot}` : (w.reason ?? '');
  eventStep(ctx, ev, w, `${ev.name} (${f.why}): transaction ${term}; record ${where}`);
  return {
    ok: false,
    outcome: w.written
      ? { type: 'fault', event: ev, termination }
      : { type: 'aborted', reason: `${ev.name}: ${w.reason ?? ''}`, event: ev, termination },
  };
}

/**
 * F_TLB_CONFLICT (§3.20.1, §7.3.17): the lookup matched more than one TLB entry. This SMMU
 * detects it (Arm recommends detecting wherever possible): the transaction is aborted and the
 * event recorded regardless of A/R/S, never stalled. RnW/InD/PnU are post-override; the IPA is
 * given when the conflict is in a stage-2 lookup (S2=1). Reason (IMPLEMENTATION DEFINED) is 0.
 */
export function tlbConflict(ctx: Ctx, a: TlbEntry, b: TlbEntry, ipa?: bigint): Failure {
  const size = (e: TlbEntry): string => `${2 ** (e.sizeShift - 10)} KB`;
  const tag = (e: TlbEntry): string => (e.asid < 0 ? 'global' : `ASID ${e.asid}`);
  ctx.steps?.push({
    kind: 'tlb-hit',
    tlb: a,
    note: `TLB conflict: two entries match — ${size(a)} ${tag(a)} at ${hex(a.ia)} and ${size(b)} ${tag(b)} at ${hex(b.ia)} (a table changed without TLBI)`,
  });
  return configError(
    ctx,
    EVENT_ID.F_TLB_CONFLICT,
    ipa === undefined ? {} : { s2: true, ipa },
    'the TLB lookup matched more than one entry',
  );
}
