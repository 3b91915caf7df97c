// Run results as JSON (scenario-format.md "Run results"): bigints as "0x…" strings, raw dwords
// as 16-digit hex, command fields by their scenario names (sid, ssid, leaf, …).
import {
  COMMAND_FIELD_ALIASES,
  hex,
  hex64,
  type ConsumedCommand,
  type EventRecord,
  type Outcome,
  type PageRequest,
  type TraceStep,
} from '../engine/index.ts';
import type { Attempt, DmaResult } from '../kernel/index.ts';
import type { OpRecord } from './run.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const ALIAS_OF = new Map(
  Object.entries(COMMAND_FIELD_ALIASES)
    .filter(([k]) => k !== 'prgindex')
    .map(([k, v]) => [v, k]),
);
const ONE_BIT = new Set(['Leaf', 'SSV', 'Global', 'Ac', 'Ab', 'NS']);
const ADDRESS = new Set(['Address', 'MSIAddress']);

export function commandJson(c: ConsumedCommand): Json {
  const out: Record<string, Json> = { name: c.command?.name ?? 'CERROR' };
  if (c.command) {
    for (const [k, v] of Object.entries(c.command.fields)) {
      if (k === 'SSV' || (k === 'SubstreamID' && c.command.fields['SSV'] === 0n)) continue;
      const name = ALIAS_OF.get(k) ?? k;
      out[name] = ONE_BIT.has(k) ? v === 1n : ADDRESS.has(k) ? hex(v) : Number(v);
    }
  }
  if (c.error) out['error'] = c.error;
  out['effect'] = c.effect;
  out['raw'] = c.raw.map(hex64);
  return out;
}

export function eventJson(e: EventRecord, raw?: readonly bigint[]): Json {
  return {
    name: e.name,
    id: e.id,
    sid: e.sid,
    ssv: e.ssv,
    ssid: e.ssid,
    stall: e.stall,
    stag: e.stag,
    rnw: e.rnw,
    pnu: e.pnu,
    ind: e.ind,
    s2: e.s2,
    class: e.class,
    addr: hex(e.addr),
    ipa: hex(e.ipa),
    ...(e.fetchAddr ? { fetchAddr: hex(e.fetchAddr) } : {}),
    ...(raw ? { raw: raw.map(hex64) } : {}),
  };
}

export function pageRequestJson(r: PageRequest, raw: readonly bigint[]): Json {
  return {
    sid: r.sid,
    ssv: r.ssv,
    ssid: r.ssid,
    read: r.read,
    write: r.write,
    exec: r.exec,
    priv: r.priv,
    last: r.last,
    prgIndex: r.prgIndex,
    addr: hex(r.addr),
    raw: raw.map(hex64),
  };
}

/** A step's fields in one fixed order (the results contract): only those its kind carries. */
export function stepJson(s: TraceStep): Json {
  const o: Record<string, Json> = { kind: s.kind };
  if ('struct' in s && s.struct) o['struct'] = s.struct;
  if ('stage' in s && s.stage) o['stage'] = s.stage;
  if ('level' in s) o['level'] = s.level;
  if ('nested' in s && s.nested) o['nested'] = s.nested;
  if ('pa' in s) o['pa'] = hex(s.pa);
  if ('ipa' in s && s.ipa !== undefined) o['ipa'] = hex(s.ipa);
  if ('value' in s) o['value'] = s.value.map(hex64);
  if ('old' in s) o['old'] = hex64(s.old);
  if ('input' in s && s.input)
    o['index'] = {
      [s.input.name]: hex(s.input.value),
      bits: `[${s.input.hi}:${s.input.lo}]`,
      index: s.input.index,
    };
  if (s.kind === 'event') {
    o['event'] = eventJson(s.event, s.eventRaw);
    if (s.eventSlot !== undefined) o['eventSlot'] = s.eventSlot;
  }
  // A cache hit on a stale copy: the words memory no longer holds (engine/stale.ts).
  if ((s.kind === 'cfg-hit' || s.kind === 'tlb-hit') && s.stale)
    o['stale'] = s.stale.map((c) => ({
      pa: hex(c.pa),
      was: hex64(c.was),
      now: c.now === undefined ? null : hex64(c.now),
    }));
  o['note'] = s.note;
  return o;
}

function outcomeJson(o: Outcome | { type: 'denied'; reason: string }): Json {
  switch (o.type) {
    case 'translated':
      return { type: 'translated', pa: hex(o.pa) };
    case 'fault':
      return { type: 'fault', event: o.event.name, termination: o.termination };
    case 'stalled':
      return { type: 'stalled', event: o.event.name, stag: o.stag };
    case 'aborted':
      return { type: 'aborted', reason: o.reason, termination: o.termination };
    case 'denied':
      return { type: 'denied', reason: o.reason };
  }
}

const attemptJson = (a: Attempt): Json => ({
  kind: a.kind,
  outcome: outcomeJson(a.outcome),
  ...(a.then ? { then: { by: a.then.by, response: a.then.response } } : {}),
  steps: a.steps.map(stepJson),
});

export function dmaJson(d: DmaResult): Json {
  return {
    outcome: d.outcome,
    ...(d.pa !== undefined ? { pa: hex(d.pa) } : {}),
    tlb: d.tlb,
    steps: d.steps.map(stepJson),
    ...(d.attempts.length > 1 ? { attempts: d.attempts.map(attemptJson) } : {}),
    ...(d.totals ? { totals: d.totals } : {}),
  };
}

export function recordJson(r: OpRecord): Json {
  return {
    index: r.index,
    op: r.op.op,
    status: r.status,
    ...(r.error ? { error: r.error, message: r.message ?? '' } : {}),
    ...(r.pasid !== undefined ? { pasid: r.pasid } : {}),
    ...(r.pid !== undefined ? { pid: r.pid } : {}),
    ...(r.pa !== undefined ? { pa: hex(r.pa) } : {}),
    ...(r.bytes !== undefined ? { bytes: hex(r.bytes) } : {}),
    ...(r.pages !== undefined ? { pages: r.pages } : {}),
    commands: r.commands.map(commandJson),
    events: r.events.map((e) => ({
      ...(eventJson(e.event, e.raw) as object),
      written: e.written,
      ...(e.slot !== undefined ? { slot: e.slot } : {}),
    })),
    pageRequests: r.pageRequests.map((p) => ({
      ...(pageRequestJson(p.request, p.raw) as object),
      written: p.written,
      ...(p.slot !== undefined ? { slot: p.slot } : {}),
      ...(p.autoResponse !== undefined ? { autoResponse: p.autoResponse } : {}),
    })),
    writes: r.writes.map((w) => ({ pa: hex(w.pa), old: hex64(w.old), new: hex64(w.new) })),
    ...(r.broadcasts.length
      ? {
          broadcasts: r.broadcasts.map((b) => ({
            op: b.op,
            snooped: b.snooped,
            invalidated: b.invalidated,
          })),
        }
      : {}),
    ...(r.dma ? { dma: dmaJson(r.dma) } : {}),
    ...(r.steps ? { steps: r.steps.map(stepJson) } : {}),
    notes: [...r.notes],
  };
}
