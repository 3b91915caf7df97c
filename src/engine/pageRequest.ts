// A PCIe page request arriving at the SMMU (§8): written to the PRI queue, or discarded with an
// automatic PRG response. The rules, in the spec's words where they decide a bit:
// - A Stop PASID marker is Last=1, R=W=0 *with* a PASID; without a PASID that pattern "is not a
//   Stop Marker ... and is treated as a PRI Page Request" (§8). The SMMU never answers a Stop
//   marker (§8.2).
// - Effective PRIQEN=0 (SMMUEN=0 implies it) or an active GERROR.PRIQ_ABT_ERR: nothing is
//   written and "All incoming PPRs cause an automatic PRG Response having ResponseCode ==
//   0b1111", without a PASID (§8.2).
// - Overflow (§8.1): a message arriving while the queue is full toggles PRIQ_PROD.OVFLG (if no
//   overflow is showing); while the overflow is active nothing is written. A discarded PPR with
//   Last=1 is answered automatically — Success without a PASID if it had none; Success with its
//   PASID if IDR3.PPS=1; with IDR3.PPS=0 the STE is read: valid → Success, with the PASID only if
//   STE.PPAR=1; unreadable or invalid → ResponseFailure without a PASID. Last=0 is dropped.
// - A write that aborts raises GERROR.PRIQ_ABT_ERR; a synchronous abort answers that PPR with
//   ResponseFailure (§8.2). This model's aborts are synchronous (the write fails at once).
import { hex } from './bits.ts';
import type { Ctx } from './context.ts';
import { encodePageRequest, PRI_BYTES, type PageRequest } from './priq.ts';
import { qFull, qIndex, qInc } from './queues.ts';
import type { Smmu, WrittenPageRequest } from './smmu.ts';
import { fetchSte } from './steFetch.ts';

/** CMD_PRI_RESP / PRG response codes in the SMMU's encoding (§8.3). */
const FAILURE = 0;
const SUCCESS = 2;
const PRIQ_ABT_ERR = 3;

export const isStopMarker = (r: PageRequest): boolean => r.ssv && r.last && !r.read && !r.write;

export function receivePageRequest(smmu: Smmu, request: PageRequest): WrittenPageRequest {
  const raw = encodePageRequest(request);
  const stop = isStopMarker(request);
  const what = stop ? 'Stop PASID marker' : `page request (PRG ${request.prgIndex})`;
  const discard = (reason: string, resp?: number, ssid?: number): WrittenPageRequest => {
    if (resp !== undefined) {
      smmu.inbox.push({
        kind: 'pri-resp',
        sid: request.sid,
        ssid,
        prgIndex: request.prgIndex,
        resp,
        auto: true,
      });
    }
    smmu.log.notes.push(`${what} of StreamID ${hex(request.sid)}: ${reason}`);
    return {
      request,
      raw,
      written: false,
      reason,
      ...(resp !== undefined ? { autoResponse: resp } : {}),
    };
  };

  const d = smmu.derived;
  if (!d.priqen || !d.smmuen || smmu.gerrorActive(PRIQ_ABT_ERR)) {
    const why = !d.smmuen
      ? 'SMMUEN=0 (effective PRIQEN=0)'
      : !d.priqen
        ? 'PRI queue disabled (PRIQEN=0)'
        : 'GERROR.PRIQ_ABT_ERR is active';
    return stop
      ? discard(`${why}: discarded, no response to a Stop marker`)
      : discard(`${why}: discarded, automatic Response Failure`, FAILURE);
  }
  const q = smmu.queue('PRIQ');
  if (qFull(q)) smmu.flagOverflow('PRIQ');
  if (smmu.overflowActive('PRIQ')) {
    if (stop) return discard('PRI queue overflow: Stop marker discarded, no response');
    if (!request.last) return discard('PRI queue overflow: Last=0, silently dropped');
    const [resp, ssid, why] = overflowResponse(smmu, request);
    return discard(`PRI queue overflow: ${why}`, resp, ssid);
  }
  const slot = qIndex(q.prod, q.log2size);
  const pa = q.base + BigInt(slot) * PRI_BYTES;
  if (!smmu.mem.writeWords(pa, raw)) {
    smmu.raiseGerror(PRIQ_ABT_ERR);
    const why = `external abort writing the PRI queue at ${hex(pa)}: GERROR.PRIQ_ABT_ERR`;
    return stop
      ? discard(`${why}; no response to a Stop marker`)
      : discard(`${why}; automatic Response Failure`, FAILURE);
  }
  smmu.setProd('PRIQ', qInc(q.prod, q.log2size));
  return { request, raw, slot, pa, written: true };
}

/** The automatic response to a discarded Last=1 PPR on overflow (§8.1): code, PASID, why. */
function overflowResponse(smmu: Smmu, r: PageRequest): [number, number | undefined, string] {
  if (!r.ssv) return [SUCCESS, undefined, 'automatic Success (no PASID on the request)'];
  if (smmu.platform.pps)
    return [SUCCESS, r.ssid, `automatic Success with PASID ${r.ssid} (SMMU_IDR3.PPS=1)`];
  const ppar = steForPpar(smmu, r.sid);
  if (typeof ppar === 'string')
    return [FAILURE, undefined, `automatic Response Failure: STE.PPAR unreadable (${ppar})`];
  return ppar
    ? [SUCCESS, r.ssid, `automatic Success with PASID ${r.ssid} (STE.PPAR=1)`]
    : [SUCCESS, undefined, 'automatic Success without PASID (IDR3.PPS=0, STE.PPAR=0)'];
}

/**
 * STE.PPAR of a StreamID, read the way a transaction reads the STE, or why it cannot be: SMMUEN=0
 * is handled before; C_BAD_STREAMID, F_STE_FETCH and C_BAD_STE record nothing here
 * (CR2.REC_CFG_ATS is not implemented — the same rule as for ATS requests, which the context's
 * `ats` flag applies).
 */
function steForPpar(smmu: Smmu, sid: number): boolean | string {
  const ctx: Ctx = {
    smmu,
    txn: { sid, addr: 0n, access: 'r', priv: false },
    priv: false,
    instr: false,
    write: false,
    steps: null,
    ats: true,
    tlb: 'none',
  };
  const r = fetchSte(ctx);
  if (!r.ok) return r.outcome.type === 'aborted' ? r.outcome.reason : 'STE not found';
  return r.value.view.PPAR;
}
