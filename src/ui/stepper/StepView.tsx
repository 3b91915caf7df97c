// One step of the flow in detail. A walk read: the input address split into its index fields
// (the current level's bits highlighted), where the word is (table + index × size), the word
// decoded by field, and the one-sentence decision. A cache hit: the short-circuit. A fault: the
// event record being built and where it went. A command, a page request or a structure written:
// its words decoded and what it did.
import { hex, hex64, stepNested, stepStage, type StepKind } from '../../engine/index.ts';
import {
  addressOf,
  addressSplit,
  decodeStep,
  decodeWritten,
  FAULT_LABEL,
  faultKind,
  levelText,
  LANES,
  type FlowStep,
} from '../../diagram/index.ts';
import type { OpRecord, World } from '../../scenario/index.ts';
import { staleHitsAt } from '../../state/index.ts';
import { useApp } from '../storeContext.ts';
import { AddressBits } from './AddressBits.tsx';
import { DecodedWords } from './Decoded.tsx';
import { EventRecordView } from './EventRecord.tsx';

const SHORT_CIRCUIT: Readonly<Partial<Record<StepKind, string>>> = {
  'tlb-hit': 'TLB hit: no walk',
  'atc-hit': 'ATC hit: the device translated by itself, no request to the SMMU',
  'cfg-hit': 'Configuration cache hit: no memory read',
};

export function StepView({
  steps,
  step,
  after,
  record,
}: {
  steps: readonly FlowStep[];
  step: number;
  after: World | undefined;
  /** The op's record: its write journal rewinds `after` to each write step's moment. */
  record?: OpRecord;
}) {
  const s = steps[step];
  const stale = useStaleHit(s);
  if (!s) return null;
  const t = s.trace;
  const lane = LANES.find((l) => l.id === s.lane)?.label ?? s.lane;
  const fault = faultKind(steps, step);
  const split = addressSplit(steps, step);
  const level = t ? levelText(t) : undefined;
  const nestedAs = t && stepNested(t);
  const nested = nestedAs !== undefined || (t?.kind === 'tt' && t.stage === 2);
  const isEvent = t?.kind === 'event' || s.struct === 'event';
  const decoded = isEvent ? undefined : (decodeStep(s) ?? decodeWritten(s, after, record));
  const where = t ? addressOf(t) : undefined;
  return (
    <article
      className={`stp-view ${nested ? 'nested' : ''}`}
      data-testid="step-view"
      aria-label={`Step ${step + 1}: ${s.title}`}
    >
      <header className="stp-view-head">
        <span className={`stp-lane-chip l-${s.lane}`}>{lane}</span>
        <h3 data-testid="step-title">{s.title}</h3>
        {nestedAs && (
          <span className="stp-nest" data-testid="step-nested">
            stage 2 for {nestedAs}
          </span>
        )}
        {level && (
          <span
            className="stp-level"
            data-testid="step-level"
            data-level={t && 'level' in t ? t.level : ''}
            data-stage={(t && stepStage(t)) ?? ''}
            data-struct={t?.kind}
          >
            {level}
          </span>
        )}
        {s.attempt !== undefined && (
          <span className="muted">{s.attempt === 0 ? 'first attempt' : `retry ${s.attempt}`}</span>
        )}
      </header>
      {t && SHORT_CIRCUIT[t.kind] && (
        <p className="stp-short" data-testid="step-short-circuit">
          {SHORT_CIRCUIT[t.kind]}
        </p>
      )}
      <p className="stp-note" data-testid="step-note">
        {fault && !isEvent && (
          <>
            <span className="stp-fault-tag">{FAULT_LABEL[fault]}</span>{' '}
          </>
        )}
        {s.detail}
      </p>
      {split && <AddressBits split={split} />}
      {where && (
        <p className="stp-where" data-testid="step-address">
          Read at {where}
        </p>
      )}
      {stale && (
        <p className="stp-stale" data-testid="step-stale">
          <strong>Stale {stale.what} entry</strong>
          {stale.since !== undefined ? ` since op #${stale.since}` : ''}: memory no longer holds
          what it was built from (
          {stale.words
            .map((w) => `${hex(w.pa)} ${hex(w.was)} → ${w.now === undefined ? '—' : hex(w.now)}`)
            .join('; ')}
          ), and no invalidation dropped it: the access used the old copy.
        </p>
      )}
      {t?.kind === 'tlb-hit' && t.tlb && (
        <p className="stp-where mono">
          TLB entry: IA {hex(t.tlb.ia)} → OA {hex(t.tlb.oa)} (2^{t.tlb.sizeShift} bytes), leaf at{' '}
          {hex(t.tlb.leafPa)}
        </p>
      )}
      {t?.kind === 'httu' && t.old !== undefined && (
        <p className="stp-where mono">
          {hex64(t.old)} → {hex64(t.value?.[0] ?? 0n)}
        </p>
      )}
      {isEvent && <EventRecordView s={s} kind={fault} />}
      {decoded && (
        <DecodedWords
          key={`${step}`}
          d={decoded}
          testid="step-decoded"
          {...(s.kind === 'write' ? { caption: `${decoded.title} after the write` } : {})}
        />
      )}
      {!decoded && s.kind === 'write' && s.words && (
        <p className="stp-words">
          {s.words.map((w, i) => (
            <code key={i}>{hex64(w)}</code>
          ))}
        </p>
      )}
    </article>
  );
}

/**
 * The stale hit this step shows, if any: a TLB or configuration cache hit whose trace step
 * carries the changed words, or the device's ATC hit (its attempt carries them).
 */
function useStaleHit(s: FlowStep | undefined) {
  const timeline = useApp((st) => st.timeline);
  const op = useApp((st) => st.cursor.op);
  const hits = staleHitsAt(timeline, op);
  if (!s || hits.length === 0) return undefined;
  const t = s.trace;
  if (t && (t.kind === 'tlb-hit' || t.kind === 'cfg-hit') && t.stale)
    return hits.find((h) => h.words === t.stale);
  if (!t && s.lane === 'device' && s.kind === 'note')
    return hits.find((h) => h.cache === 'atc' && h.attempt === s.attempt);
  return undefined;
}
