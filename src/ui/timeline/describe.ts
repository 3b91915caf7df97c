// What a timeline row says: the op in a few words (its definition's summary, from the document as
// the user wrote it) and what came of it (from the run record). Pure functions, easy to test.
import type { Attempt } from '../../kernel/index.ts';
import { staleHitsOf } from '../../diagram/index.ts';
import { groupHex, type OpRecord } from '../../scenario/index.ts';

export { groupHex, opSummary } from '../../scenario/index.ts';

export type Tone = 'ok' | 'error' | 'fault' | 'info';

export interface ResultText {
  readonly text: string;
  readonly tone: Tone;
}

/**
 * How a fault was answered. Only two answers retry the access: a PRI response Success (the
 * device sends its Translation Request again) and CMD_RESUME with Retry (the SMMU translates the
 * stalled transaction again). InvalidRequest and ResponseFailure end the access at the device;
 * CMD_RESUME with Abort terminates the stalled transaction (smmuv3.md §7.2, §8).
 */
function answered(then: NonNullable<Attempt['then']>, waiting: boolean): string {
  if (then.by === 'pri')
    return `PRI ${then.response}${then.response === 'SUCCESS' ? ' → retried' : ''}`;
  if (then.response === 'SUCCESS') return 'stall → CMD_RESUME retry';
  return waiting ? 'stall, no CMD_RESUME yet' : 'stall → CMD_RESUME abort';
}

/** "PASID 2", "-ESRCH", "PA 0x4044_0000", "dma: translated → PA …", "dma: fault F_TRANSLATION". */
export function recordResult(r: OpRecord): ResultText {
  if (r.status === 'error') return { text: r.error ?? 'error', tone: 'error' };
  if (r.dma) {
    const d = r.dma;
    const answers = d.attempts.flatMap((a, i) =>
      a.then ? [answered(a.then, i === d.attempts.length - 1 && d.outcome === 'stalled')] : [],
    );
    // A hit on a cached copy that memory no longer matches (no invalidation dropped it).
    const stale = [...new Set(staleHitsOf(r).map((h) => h.what))].map((w) => `stale ${w} hit`);
    const via = [...answers, ...stale].map((a) => ` · ${a}`).join('');
    if (d.totals && d.totals.translated + d.totals.faults > 1) {
      const n = d.totals.translated + d.totals.faults;
      return {
        text: `dma: ${d.totals.translated}/${n} translated${d.totals.faults ? `, ${d.totals.faults} failed` : ''}`,
        tone: d.totals.faults ? 'fault' : 'ok',
      };
    }
    switch (d.outcome) {
      case 'translated':
        return { text: `dma: translated → PA ${groupHex(d.pa ?? 0n)}${via}`, tone: 'ok' };
      case 'fault': {
        let name = r.events[0]?.event.name;
        for (const a of d.attempts) if (a.outcome.type === 'fault') name = a.outcome.event.name;
        return { text: `dma: fault ${name ?? ''}`.trim() + via, tone: 'fault' };
      }
      case 'stalled':
        return { text: `dma: stalled${via}`, tone: 'fault' };
      case 'aborted':
        return { text: `dma: aborted${via}`, tone: 'fault' };
    }
  }
  if (r.pasid !== undefined)
    return {
      text: r.op.op === 'unbind' ? `PASID ${r.pasid} freed` : `PASID ${r.pasid}`,
      tone: 'ok',
    };
  if (r.pid !== undefined) return { text: `pid ${r.pid}`, tone: 'info' };
  if (r.pa !== undefined) return { text: `PA ${groupHex(r.pa)}`, tone: 'info' };
  if (r.pages !== undefined)
    return { text: `${r.pages} page${r.pages === 1 ? '' : 's'}`, tone: 'info' };
  if (r.bytes !== undefined) return { text: `${groupHex(r.bytes)} bytes`, tone: 'info' };
  return { text: 'ok', tone: 'info' };
}
