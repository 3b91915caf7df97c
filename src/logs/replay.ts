// "Reproduce": from a pasted log to a scenario in which the simulated SMMU raises the same events.
// Each distinct event (a storm counts once) gets a plan (replayPlan.ts); the plans become one
// document (replayDoc.ts); the document is run through the real runner and every transaction's
// event is compared field by field with the log's. What does not match is taken out and said so:
// the replay never claims an event it did not reproduce.
import { eventParts, hex, type EventRecord } from '../engine/index.ts';
import { openTimeline, parseScenario, type OpRecord, type ScenarioDoc } from '../scenario/index.ts';
import type { DecodedLogEvent, DmesgOk } from './dmesg.ts';
import { assemble, type Located, type Planned } from './replayDoc.ts';
import { planEvent } from './replayPlan.ts';
import { groupEvents, type EventGroup } from './storms.ts';

/** Distinct events replayed at most (one scenario; the rest are listed as not included). */
export const MAX_REPLAYED = 32;

export interface FieldDiff {
  readonly field: string;
  readonly log: string;
  readonly model: string;
}

export interface ReplayItem {
  /** Index of the event's group (groupEvents order). */
  readonly group: number;
  readonly event: DecodedLogEvent;
  readonly reproduced: boolean;
  /** Why not, when not reproduced. */
  readonly why?: string;
  /** The transaction's op index in the document, when reproduced. */
  readonly op?: number;
  /** The inferred configuration, in sentences. */
  readonly explain: readonly string[];
  /** The fields compared (all equal when reproduced). */
  readonly compared: readonly FieldDiff[];
}

export interface Replay {
  /** The document, when at least one event was reproduced (cursor at the first). */
  readonly doc?: ScenarioDoc;
  readonly items: ReplayItem[];
  /** Sentences about the whole replay. */
  readonly notes: readonly string[];
}

/**
 * The fields compared with the model's event: the list (EventID, StreamID, SSV and
 * SubstreamID, input address, RnW/PnU/InD, Stall) plus S2 and CLASS, each where the record type
 * defines it (eventParts). STAG is the SMMU's own choice, the IPA is UNKNOWN at stage 1 and
 * Reason is IMPLEMENTATION DEFINED: not compared.
 */
export function compareEvents(log: EventRecord, model: EventRecord | undefined): FieldDiff[] {
  const parts = eventParts(log.id);
  const rows: [string, (r: EventRecord) => string][] = [
    ['EventID', (r) => r.name],
    ['StreamID', (r) => hex(r.sid)],
  ];
  const bit = (b: boolean): string => (b ? '1' : '0');
  if (parts.includes('ssv')) rows.push(['SSV', (r) => bit(r.ssv)]);
  if ((parts.includes('ssv') && log.ssv) || parts.includes('ssid'))
    rows.push(['SubstreamID', (r) => String(r.ssid)]);
  if (parts.includes('addr')) rows.push(['InputAddr', (r) => hex(r.addr)]);
  if (parts.includes('access'))
    rows.push(['RnW', (r) => bit(r.rnw)], ['PnU', (r) => bit(r.pnu)], ['InD', (r) => bit(r.ind)]);
  else if (parts.includes('rnw')) rows.push(['RnW', (r) => bit(r.rnw)]);
  if (parts.includes('stall')) rows.push(['Stall', (r) => bit(r.stall)]);
  if (parts.includes('s2')) rows.push(['S2', (r) => bit(r.s2)]);
  if (parts.includes('class')) rows.push(['CLASS', (r) => r.class]);
  return rows.map(([field, get]) => ({ field, log: get(log), model: model ? get(model) : '—' }));
}

function run(doc: ScenarioDoc): { records: readonly OpRecord[] } | { error: string } {
  const p = parseScenario(JSON.stringify(doc));
  if (!p.ok) return { error: p.error };
  const o = openTimeline(p.scenario);
  return o.ok ? { records: o.timeline.records } : { error: o.error };
}

/** The STE or CD each patch changes: its address and words, read by the probe transactions. */
function locate(records: readonly OpRecord[], probes: ReadonlyMap<string, number>) {
  const out = new Map<string, Located>();
  for (const [key, at] of probes) {
    const want = key.split(':')[1];
    for (const s of records[at]?.dma?.steps ?? []) {
      if (s.kind !== 'ste' && s.kind !== 'cd' && s.kind !== 'cfg-hit') continue;
      const struct = s.kind === 'cfg-hit' ? s.struct : s.kind;
      if (struct === want && s.pa !== undefined && s.value) {
        out.set(key, { pa: s.pa, words: s.value });
        break;
      }
    }
  }
  return out;
}

function whyNot(r: OpRecord | undefined): string {
  if (!r) return 'the transaction did not run';
  if (r.status === 'error')
    return `the transaction failed: ${r.error ?? ''} ${r.message ?? ''}`.trim();
  const e = r.events[0];
  return e
    ? `the model raised ${e.event.name} with other fields`
    : `the model raised no event (the access was ${r.dma?.outcome ?? 'not made'})`;
}

interface Round {
  readonly doc: ScenarioDoc;
  readonly notes: string[];
  /** Outcome per planned key. */
  readonly results: Map<number, Omit<ReplayItem, 'group' | 'event' | 'explain'>>;
}

/** Assembles, probes, runs and checks one set of plans. */
function round(live: readonly Planned[], logOf: (key: number) => EventRecord): Round {
  const probe = assemble(live);
  let located = new Map<string, Located>();
  if (probe.probes.size) {
    const pr = run(probe.doc);
    if ('records' in pr) located = locate(pr.records, probe.probes);
  }
  const a = assemble(live, located);
  const results: Round['results'] = new Map();
  for (const [key, reason] of a.conflicts)
    results.set(key, { reproduced: false, why: reason, compared: [] });
  const res = run(a.doc);
  for (const p of live) {
    if (results.has(p.key)) continue;
    if ('error' in res) {
      results.set(p.key, {
        reproduced: false,
        why: `the replay scenario does not run: ${res.error}`,
        compared: [],
      });
      continue;
    }
    const at = a.triggers.get(p.key);
    const rec = at === undefined ? undefined : res.records[at];
    const got = rec?.status === 'ok' ? rec.events[0]?.event : undefined;
    const compared = compareEvents(logOf(p.key), got);
    const same = at !== undefined && got !== undefined && compared.every((c) => c.log === c.model);
    results.set(
      p.key,
      same
        ? { reproduced: true, op: at, compared }
        : { reproduced: false, why: whyNot(rec), compared },
    );
  }
  return { doc: a.doc, notes: a.notes, results };
}

export function replayLog(
  log: DmesgOk,
  groups: readonly EventGroup[] = groupEvents(log.events),
): Replay {
  const items = new Map<number, ReplayItem>();
  const planned: Planned[] = [];
  const explainOf = new Map<number, readonly string[]>();
  groups.forEach((g, key) => {
    const plan = planEvent(g.first);
    const base = { group: key, event: g.first, compared: [] };
    if (!plan.ok) items.set(key, { ...base, reproduced: false, why: plan.why, explain: [] });
    else if (planned.length >= MAX_REPLAYED)
      items.set(key, {
        ...base,
        reproduced: false,
        why: `the replay reproduces the first ${MAX_REPLAYED} distinct events`,
        explain: plan.explain,
      });
    else {
      const client = g.first.kernel?.event.client;
      explainOf.set(key, plan.explain);
      planned.push({ key, recipe: plan, ...(client ? { client } : {}) });
    }
  });
  const logOf = (key: number): EventRecord => groups[key]!.first.record;
  const record = (key: number, r: Omit<ReplayItem, 'group' | 'event' | 'explain'>) =>
    items.set(key, {
      group: key,
      event: groups[key]!.first,
      explain: explainOf.get(key) ?? [],
      ...r,
    });
  // A plan that fails is dropped and the rest assembled again (a dropped plan's device or process
  // may be what another plan's outcome depended on), until a round reproduces all it holds.
  let live: readonly Planned[] = planned;
  let done: Round | undefined;
  for (let n = 0; n < 4 && live.length; n++) {
    const r = round(live, logOf);
    for (const [key, res] of r.results) record(key, res);
    const ok = live.filter((p) => r.results.get(p.key)?.reproduced);
    if (ok.length === live.length) done = r;
    if (ok.length === live.length || ok.length === 0) break;
    live = ok;
  }
  const list = [...items.values()].sort((a, b) => a.group - b.group);
  if (!done)
    return {
      items: list.map(({ op: _op, ...i }) =>
        i.reproduced ? { ...i, reproduced: false, why: 'the replay did not settle' } : i,
      ),
      notes: [],
    };
  const first = list.find((i) => i.reproduced && i.op !== undefined);
  return {
    doc: first ? { ...done.doc, cursor: { op: first.op!, step: 0 } } : done.doc,
    items: list,
    notes: done.notes,
  };
}
