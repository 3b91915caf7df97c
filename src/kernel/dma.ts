// A device access and everything it sets off: ATC / ATS Translation Request / page request for
// ATS+PRI endpoints, untranslated transactions (with stall → CMD_RESUME) for the others, and the
// driver's queue threads in between. `attempts` lists each try in order.
import {
  atsAccess,
  hex,
  translate,
  type ChangedWord,
  type Outcome,
  type ResumeRecord,
  type Translation,
  type Trace,
  type Transaction,
} from '../engine/index.ts';
import type { Access } from './vocab.ts';
import { atsEnabled } from './cdquery.ts';
import { log, type KCtx } from './ctx.ts';
import { fail } from './errors.ts';
import { serviceEventQueue, type PageResponse } from './iopf.ts';
import { PRI_CREDITS, priBurst, takePriResponse } from './prg.ts';
import { servicePriQueue } from './priq.ts';
import type { Device } from './state.ts';

export interface Attempt {
  readonly kind: 'untranslated' | 'ats' | 'atc-hit' | 'retry';
  readonly outcome: Outcome | { readonly type: 'denied'; readonly reason: string };
  readonly steps: Trace;
  /** What followed: the page request / stall and its response. */
  readonly then?: { readonly by: 'pri' | 'stall'; readonly response: PageResponse };
  /** Activity numbers the attempt's translation spans (op record clock). */
  readonly seq?: number;
  readonly seqEnd?: number;
  /** An ATC hit on a stale entry: the words its translation came from that memory no longer
   * holds (engine/stale.ts). The SMMU's own stale hits are in the trace steps. */
  readonly stale?: readonly ChangedWord[];
}

const span = (t: Translation | undefined): { seq?: number; seqEnd?: number } =>
  t?.seq !== undefined && t.seqEnd !== undefined ? { seq: t.seq, seqEnd: t.seqEnd } : {};

export interface DmaResult {
  readonly outcome: 'translated' | 'fault' | 'aborted' | 'stalled';
  readonly pa?: bigint;
  readonly tlb: 'hit' | 'miss' | 'none';
  readonly steps: Trace;
  readonly attempts: Attempt[];
  readonly totals?: { translated: number; faults: number; tlbHits: number; tlbMisses: number };
}

const MAX_ROUNDS = 4;

function final(o: Outcome): DmaResult['outcome'] {
  return o.type === 'translated'
    ? 'translated'
    : o.type === 'fault'
      ? 'fault'
      : o.type === 'stalled'
        ? 'stalled'
        : 'aborted';
}

/** One access by a known device (kernel-level scenario). */
export function deviceAccess(
  c: KCtx,
  dev: Device,
  pasid: number | undefined,
  addr: bigint,
  access: Access,
  priv: boolean,
  trace: boolean,
  /** The first untranslated attempt, already made (bursts translate first, see dma()). */
  first?: Translation,
): DmaResult {
  const txn: Transaction = { sid: dev.sid, ssid: pasid, addr, access, priv };
  const attempts: Attempt[] = [];
  const atsOn = atsEnabled(c.k, dev);
  let useAts = atsOn;
  let tlb: DmaResult['tlb'] = 'none';
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (useAts) {
      const r = atsAccess(c.smmu, txn, trace);
      const steps = r.kind === 'translated' && !r.translation ? [] : (r.translation?.steps ?? []);
      if (r.translation && tlb === 'none') tlb = r.translation.tlb;
      if (r.kind === 'translated') {
        attempts.push({
          kind: r.atcHit ? 'atc-hit' : round > 0 ? 'retry' : 'ats',
          outcome: { type: 'translated', pa: r.pa, stages: 's1' },
          steps,
          ...(r.stale ? { stale: r.stale } : {}),
          ...(r.translation
            ? span(r.translation)
            : c.mem.clock
              ? { seq: c.mem.tick(), seqEnd: c.mem.tick() }
              : {}),
        });
        return done(attempts, tlb, { type: 'translated', pa: r.pa, stages: 's1' });
      }
      if (r.kind === 'error') {
        attempts.push({
          kind: 'ats',
          outcome: r.translation.outcome,
          steps,
          ...span(r.translation),
        });
        return done(attempts, tlb, r.translation.outcome);
      }
      if (!dev.pri) {
        attempts.push({
          kind: 'ats',
          outcome: { type: 'denied', reason: r.why },
          steps,
          ...span(r.translation),
        });
        log(
          c,
          `${dev.name}: ATS completion denied (${r.why}) and the device has no PRI: it falls back to an untranslated request (model choice)`,
        );
        useAts = false;
        continue;
      }
      const prg = dev.nextPrg;
      dev.nextPrg = (dev.nextPrg + 1) & 0x1ff;
      c.smmu.recordPageRequest({
        sid: dev.sid,
        ssv: pasid !== undefined,
        ssid: pasid ?? 0,
        priv,
        exec: access === 'x',
        read: access !== 'w',
        write: access === 'w',
        last: true,
        prgIndex: prg,
        addr: addr & ~0xfffn,
      });
      servicePriQueue(c);
      const msg = takePriResponse(c, dev, prg);
      const response: PageResponse = msg === 2 ? 'SUCCESS' : msg === 1 ? 'INVALID' : 'FAILURE';
      attempts.push({
        kind: round > 0 ? 'retry' : 'ats',
        outcome: { type: 'denied', reason: r.why },
        steps,
        then: { by: 'pri', response },
        ...span(r.translation),
      });
      if (response !== 'SUCCESS') {
        if (response === 'FAILURE') dev.pri = false;
        log(
          c,
          `${dev.name}: PRI response ${response === 'INVALID' ? 'Invalid Request: the access fails' : 'Response Failure: the device disables PRI'}`,
        );
        return done(attempts, tlb, {
          type: 'aborted',
          reason: `page request answered ${response}`,
          termination: 'abort',
        });
      }
      continue;
    }
    const t = round === 0 && first ? first : translate(c.smmu, txn, { trace });
    if (tlb === 'none') tlb = t.tlb;
    let outcome = t.outcome;
    if (outcome.type !== 'stalled') {
      attempts.push({
        kind: round > 0 ? 'retry' : 'untranslated',
        outcome,
        steps: t.steps,
        ...span(t),
      });
      if (outcome.type !== 'translated') serviceEventQueue(c);
      return done(attempts, tlb, outcome);
    }
    // Stalled: the event thread answers with CMD_RESUME, whose retry runs inside the SMMU.
    let steps = t.steps;
    let cur: Translation = t;
    for (let r = round; r < MAX_ROUNDS && outcome.type === 'stalled'; r++) {
      const stag: number = outcome.stag;
      serviceEventQueue(c);
      const resume: ResumeRecord | undefined = c.smmu.log.resumes
        .filter((x) => x.stag === stag && x.sid === dev.sid)
        .pop();
      // The device takes the SMMU's answer to its stalled transaction off the wire, so
      // resumed messages do not pile up in the inbox over a long scenario.
      c.smmu.inbox = c.smmu.inbox.filter(
        (m) => !(m.kind === 'resumed' && m.sid === dev.sid && m.stag === stag),
      );
      const response: PageResponse = resume?.retried ? 'SUCCESS' : 'INVALID';
      attempts.push({
        kind: r > round ? 'retry' : 'untranslated',
        outcome,
        steps,
        then: { by: 'stall', response },
        ...span(cur),
      });
      if (!resume) return done(attempts, tlb, outcome);
      if (!resume.retried || !resume.translation) {
        return done(attempts, tlb, {
          type: 'aborted',
          reason: `stall answered with CMD_RESUME abort (STAG ${stag})`,
          termination: 'abort',
        });
      }
      outcome = resume.translation.outcome;
      steps = resume.translation.steps;
      cur = resume.translation;
    }
    attempts.push({ kind: 'retry', outcome, steps, ...span(cur) });
    if (outcome.type !== 'translated') serviceEventQueue(c);
    return done(attempts, tlb, outcome);
  }
  return done(attempts, tlb, {
    type: 'aborted',
    reason: `gave up after ${MAX_ROUNDS} attempts`,
    termination: 'abort',
  });
}

function done(attempts: Attempt[], tlb: DmaResult['tlb'], o: Outcome): DmaResult {
  return {
    outcome: final(o),
    ...(o.type === 'translated' ? { pa: o.pa } : {}),
    tlb,
    steps: attempts[0]?.steps ?? [],
    attempts,
  };
}

/** The `dma` op: one access, or a burst of `count` with totals (trace of the first only). */
export function dma(
  c: KCtx,
  devName: string,
  pasid: number | undefined,
  addr: bigint,
  access: Access,
  priv: boolean,
  count: number,
  stride: bigint,
): DmaResult {
  const dev = c.k.devices.get(devName) ?? fail('-ENODEV', `no device named ${devName}`);
  if (pasid !== undefined && pasid >= 2 ** dev.ssidBits)
    fail(
      '-EINVAL',
      `${devName} cannot emit PASID ${pasid}: it supports ${dev.ssidBits}-bit PASIDs`,
    );
  const first = deviceAccess(c, dev, pasid, addr, access, priv, true);
  if (count === 1) return first;
  const totals = { translated: 0, faults: 0, tlbHits: 0, tlbMisses: 0 };
  const tally = (r: DmaResult): void => {
    if (r.outcome === 'translated') totals.translated++;
    else totals.faults++;
    if (r.tlb === 'hit') totals.tlbHits++;
    else if (r.tlb === 'miss') totals.tlbMisses++;
  };
  tally(first);
  const quiet: string[] = [];
  const qc: KCtx = { ...c, notes: quiet, marks: [] };
  // Without ATS, an access starts with an untranslated transaction: make it here, and only when
  // it does not simply translate take the full path (faults, stalls) from that first attempt.
  const direct = !atsEnabled(c.k, dev);
  const usePri = !direct && dev.pri;
  if (usePri) {
    // ATS + PRI: the rest of the burst asks for its pages in page request groups (prg.ts).
    const sent = priBurst(
      qc,
      dev,
      { pasid, access, priv, addrAt: (i) => addr + BigInt(i) * stride },
      1,
      count,
      (ok, tlb) => {
        if (ok) totals.translated++;
        else totals.faults++;
        if (tlb === 'hit') totals.tlbHits++;
        else if (tlb === 'miss') totals.tlbMisses++;
      },
      (a) => tally(deviceAccess(qc, dev, pasid, a, access, priv, false)),
    );
    if (sent.groups > 0)
      log(
        c,
        `${devName}: ${sent.requests} page request(s) in ${sent.groups} page request group(s) of at most ${PRI_CREDITS} (the device's outstanding PRI allocation)`,
      );
    // The PRI thread's dev_err is worth seeing among the burst's hidden lines.
    const lost = quiet.filter((l) => l.endsWith('PRIQ overflow detected -- requests lost'));
    if (lost.length) log(c, `${lost[0]!}${lost.length > 1 ? ` (${lost.length} times)` : ''}`);
  }
  for (let i = usePri ? count : 1; i < count; i++) {
    const a = addr + BigInt(i) * stride;
    if (direct) {
      const t = translate(
        c.smmu,
        { sid: dev.sid, ssid: pasid, addr: a, access, priv },
        { trace: false },
      );
      if (t.outcome.type === 'translated') {
        totals.translated++;
        if (t.tlb === 'hit') totals.tlbHits++;
        else if (t.tlb === 'miss') totals.tlbMisses++;
        continue;
      }
      tally(deviceAccess(qc, dev, pasid, a, access, priv, false, t));
    } else tally(deviceAccess(qc, dev, pasid, a, access, priv, false));
  }
  if (quiet.length) log(c, `(${quiet.length} kernel log line(s) from the burst not shown)`);
  log(
    c,
    `${devName}: ${count} accesses from ${hex(addr)} stride ${hex(stride)}: ${totals.translated} translated, ${totals.faults} failed; TLB ${totals.tlbHits} hits, ${totals.tlbMisses} misses`,
  );
  return { ...first, totals };
}
