// An ATS Translated transaction (§3.9.1.3): a device that holds a translation in its ATC sends
// the physical address marked Translated. It passes the SMMU untouched unless SMMUEN=0 or
// CR0.ATSCHK=1, when the SMMU checks the stream first (§3.9.1.3 tables, §7.3.8):
// - SMMUEN=0: F_TRANSL_FORBIDDEN, aborted (the event "is permitted to be recorded when SMMUEN ==
//   0");
// - ATSCHK=1: C_BAD_STREAMID, F_STE_FETCH, C_BAD_STE and F_STREAM_DISABLED abort with no event
//   (recorded only with CR2.REC_CFG_ATS, not implemented); STE.Config=0b000 aborts silently;
//   Config=0b100 or an effective EATS of 0b00 (0b11 without DPT included) → F_TRANSL_FORBIDDEN;
//   otherwise the transaction passes.
// With SMMU_IDR3.PASIDTT=0 (this SMMU) the transaction is seen as SSV=0, PnU=0, InD=0.
// Address bits above the OAS: IMPLEMENTATION DEFINED (§3.9.1.1) — this SMMU aborts, no event.
import { hex } from './bits.ts';
import { selectCd } from './cdFetch.ts';
import { configError, note, type Ctx } from './context.ts';
import { EVENT_ID } from './events.ts';
import type { Smmu } from './smmu.ts';
import { EATS, effectiveEats, s1Enabled } from './ste.ts';
import { fetchSte } from './steFetch.ts';
import type { Outcome, Transaction } from './transaction.ts';
import type { Translation } from './translate.ts';

/**
 * The SMMU's handling of a Translated transaction to `pa`, or undefined when it passes without
 * being looked at (SMMUEN=1, ATSCHK=0, address within the OAS): nothing read, nothing recorded.
 */
export function translatedTransaction(
  smmu: Smmu,
  txn: Transaction,
  pa: bigint,
  trace = true,
): Translation | undefined {
  const d = smmu.derived;
  const inRange = pa < 1n << BigInt(smmu.platform.oas);
  if (d.smmuen && !d.atschk && inRange) return undefined;
  const ctx: Ctx = {
    smmu,
    txn: { sid: txn.sid, addr: pa, access: txn.access, priv: false },
    priv: false,
    instr: false,
    write: txn.access === 'w',
    steps: trace ? [] : null,
    ats: false,
    tlb: 'none',
  };
  const outcome = check(ctx, inRange);
  ctx.steps?.push({
    kind: 'result',
    note:
      outcome.type === 'translated'
        ? `Translated transaction to ${hex(pa)} allowed`
        : `Translated transaction to ${hex(pa)} aborted`,
  });
  return { outcome, steps: ctx.steps ?? [], tlb: 'none' };
}

function check(ctx: Ctx, inRange: boolean): Outcome {
  const { smmu, txn } = ctx;
  const forbidden = (why: string): Outcome =>
    configError(ctx, EVENT_ID.F_TRANSL_FORBIDDEN, {}, `Translated transaction refused: ${why}`)
      .outcome;
  if (!smmu.derived.smmuen) return forbidden('SMMUEN=0');
  if (!inRange) {
    note(ctx, `${hex(txn.addr)} exceeds the ${smmu.platform.oas}-bit OAS: abort, no event`);
    return { type: 'aborted', reason: 'Translated address beyond the OAS', termination: 'abort' };
  }
  // ATSCHK=1: configuration errors abort without a record (the ATS rule: ctx.ats).
  const quiet: Ctx = { ...ctx, ats: true };
  const ste = fetchSte(quiet);
  if (!ste.ok) return ste.outcome;
  const v = ste.value.view;
  if (v.Config < 4) {
    note(ctx, `STE.Config=${v.Config}: the Translated transaction is aborted, no event`, 'ste');
    return { type: 'aborted', reason: 'STE.Config = abort', termination: 'abort' };
  }
  if (effectiveEats(v, true) === EATS.ABT)
    return forbidden(
      v.Config === 4
        ? 'STE.Config=0b100 (no stage translates)'
        : `effective STE.EATS=0b00 (EATS=0b${v.EATS.toString(2).padStart(2, '0')})`,
    );
  if (s1Enabled(v.Config)) {
    // Without PASIDTT the transaction has no SubstreamID: S1DSS=0b00 disables the stream.
    const sel = selectCd(quiet, v);
    if (!sel.ok) return sel.outcome;
  }
  note(ctx, `CR0.ATSCHK=1 and STE.EATS=0b${v.EATS.toString(2).padStart(2, '0')}: allowed`, 'ste');
  return { type: 'translated', pa: txn.addr, stages: 'none' };
}
