// An op replayed as a sequence of steps across lanes — device, SMMU, event/PRI queues, kernel,
// mm (page tables), command queue — in the order things happened (the op record's clock).
// A device access contributes its walks one memory read per step; a bind or an unmap its
// structure writes and commands; a fault its event record, handler, PTE write, and response.
import { hex, type MemWrite, type StructureKind, type TraceStep } from '../engine/index.ts';
import { blockAt, type FrameUse } from '../kernel/index.ts';
import type { OpRecord, World } from '../scenario/index.ts';

export type Lane = 'device' | 'smmu' | 'evtq' | 'priq' | 'kernel' | 'mm' | 'cmdq';

export const LANES: readonly { id: Lane; label: string }[] = [
  { id: 'device', label: 'Device' },
  { id: 'smmu', label: 'SMMU' },
  { id: 'evtq', label: 'Event queue' },
  { id: 'priq', label: 'PRI queue' },
  { id: 'kernel', label: 'Kernel' },
  { id: 'mm', label: 'Tables in memory' },
  { id: 'cmdq', label: 'Command queue' },
];

export interface FlowStep {
  readonly lane: Lane;
  readonly kind:
    | 'read'
    | 'hit'
    | 'decision'
    | 'event'
    | 'page-request'
    | 'note'
    | 'write'
    | 'command'
    | 'broadcast'
    | 'result';
  readonly title: string;
  readonly detail: string;
  /** For walk steps: the trace step (input bits, descriptor, decision). */
  readonly trace?: TraceStep;
  /** Which attempt of a device access (0-based) a walk step belongs to. */
  readonly attempt?: number;
  /** The structure touched, for highlighting and the inspector. */
  readonly pa?: bigint;
  readonly struct?: StructureKind;
  readonly words?: readonly bigint[];
}

interface Timed {
  readonly seq: number;
  readonly steps: FlowStep[];
}

const useLabel: Partial<Record<FrameUse, { lane: Lane; what: string }>> = {
  pgtable: { lane: 'mm', what: 'CPU page table' },
  iopgtable: { lane: 'mm', what: 'io-pgtable' },
  cdtable: { lane: 'mm', what: 'CD table' },
  strtab: { lane: 'mm', what: 'stream table' },
  user: { lane: 'mm', what: 'user page' },
  'dma-buffer': { lane: 'mm', what: 'DMA buffer' },
};

function walkStep(t: TraceStep, attempt: number): FlowStep {
  const lane: Lane = t.kind === 'atc-hit' ? 'device' : 'smmu';
  const kind =
    t.kind === 'cfg-hit' || t.kind === 'tlb-hit' || t.kind === 'atc-hit'
      ? 'hit'
      : t.kind === 'event'
        ? 'event'
        : t.kind === 'result'
          ? 'result'
          : t.kind === 'decision' || t.kind === 'tlb-miss'
            ? 'decision'
            : 'read';
  const struct: StructureKind | undefined =
    t.kind === 'ste' || t.kind === 'cd' || t.kind === 'l1cd' || t.kind === 'l1std'
      ? t.kind
      : t.kind === 'tt' || t.kind === 'httu'
        ? (t.level ?? 0) < 3 && ((t.value?.[0] ?? 0n) & 3n) === 3n
          ? t.stage === 2
            ? 's2-table'
            : 's1-table'
          : t.stage === 2
            ? 's2-leaf'
            : 's1-leaf'
        : t.kind === 'event'
          ? 'event'
          : undefined;
  const title =
    t.kind === 'tt'
      ? `${t.nested ? `stage 2 (${t.nested}) ` : t.stage === 2 ? 'stage 2 ' : ''}L${t.level} descriptor`
      : t.kind === 'event'
        ? (t.event?.name ?? 'event')
        : t.kind.replace('-', ' ');
  // An event step with no queue slot was not written (ATS completion, R=0, queue full…).
  const written = t.kind === 'event' && t.eventSlot !== undefined;
  return {
    lane: written ? 'evtq' : lane,
    kind: t.kind === 'event' && !written ? 'decision' : kind,
    title,
    detail: t.note,
    trace: t,
    attempt,
    ...(t.eventPa !== undefined ? { pa: t.eventPa } : t.pa !== undefined ? { pa: t.pa } : {}),
    ...(struct ? { struct } : {}),
    ...(t.eventRaw ? { words: t.eventRaw } : t.value ? { words: t.value } : {}),
  };
}

/** Groups consecutive writes to one frame block into one step ("CD 3 written: dwords 1–3"). */
function writeSteps(
  writes: readonly MemWrite[],
  before: World | undefined,
  after: World | undefined,
  skip: (seq: number) => boolean,
): Timed[] {
  const out: Timed[] = [];
  let run: { seq: number; block: string; lane: Lane; what: string; ws: MemWrite[] } | undefined;
  const flush = (): void => {
    if (!run) return;
    const first = run.ws[0]!;
    const zero = run.ws.every((w) => w.new === 0n);
    const detail =
      run.ws.length === 1
        ? `${hex(first.pa)}: ${hex(first.old)} → ${hex(first.new)}`
        : `${run.ws.length} words from ${hex(first.pa)}${zero ? ' cleared' : ''}`;
    out.push({
      seq: run.seq,
      steps: [
        {
          lane: run.lane,
          kind: 'write',
          title: `${run.what} written`,
          detail,
          pa: first.pa,
          words: run.ws.map((w) => w.new),
        },
      ],
    });
    run = undefined;
  };
  for (const w of writes) {
    const seq = w.seq ?? 0;
    if (skip(seq)) continue;
    const b =
      (after?.kernel && blockAt(after.kernel.frames, w.pa)) ||
      (before?.kernel && blockAt(before.kernel.frames, w.pa)) ||
      undefined;
    if (b?.use === 'queue') continue; // shown as commands, events and page requests
    const label = (b && useLabel[b.use]) ?? { lane: 'mm' as Lane, what: 'memory' };
    const key = b ? `${b.pa}` : `${w.pa >> 12n}`;
    if (run && run.block === key && run.ws.length < 64) run.ws.push(w);
    else {
      flush();
      run = {
        seq,
        block: key,
        lane: label.lane,
        what: b ? `${label.what} (${b.label})` : label.what,
        ws: [w],
      };
    }
  }
  flush();
  return out;
}

export function flowOf(r: OpRecord, before?: World, after?: World): FlowStep[] {
  const timed: Timed[] = [];
  const spans: [number, number][] = [];
  const attempts = r.dma?.attempts ?? [];
  attempts.forEach((a, i) => {
    if (a.seq !== undefined && a.seqEnd !== undefined) spans.push([a.seq, a.seqEnd]);
    const device: FlowStep = {
      lane: 'device',
      kind: 'note',
      title: i === 0 ? 'device access' : 'device retries',
      detail: `${a.kind === 'atc-hit' ? 'ATC hit' : a.kind === 'ats' ? 'ATS Translation Request' : a.kind === 'retry' ? 'retry' : 'untranslated transaction'}${r.op.op === 'dma' ? ` to ${hex(r.op.addr)}` : ''}`,
      attempt: i,
    };
    timed.push({ seq: a.seq ?? -1, steps: [device, ...a.steps.map((t) => walkStep(t, i))] });
  });
  const inWalk = (seq: number): boolean => spans.some(([a, b]) => seq >= a && seq <= b);
  for (const c of r.commands) {
    if (c.seq === undefined) continue;
    const name = c.command?.name ?? 'command';
    timed.push({
      seq: c.seq,
      steps: [
        {
          lane: 'cmdq',
          kind: 'command',
          title: name,
          detail: c.effect,
          pa: c.pa,
          struct: 'command',
          words: c.raw,
        },
      ],
    });
  }
  for (const e of r.events) {
    if (e.seq === undefined || inWalk(e.seq)) continue;
    timed.push({
      seq: e.seq,
      steps: [
        {
          lane: 'evtq',
          kind: 'event',
          title: e.event.name,
          detail: e.written
            ? `record written to event queue slot ${e.slot}`
            : (e.reason ?? 'not written'),
          ...(e.pa !== undefined ? { pa: e.pa } : {}),
          struct: 'event',
          words: e.raw,
        },
      ],
    });
  }
  for (const p of r.pageRequests) {
    timed.push({
      seq: p.seq ?? 0,
      steps: [
        {
          lane: 'priq',
          kind: 'page-request',
          title: `page request (PRG ${p.request.prgIndex})`,
          detail: `${p.request.write ? 'write' : 'read'} at ${hex(p.request.addr)}${p.request.ssv ? `, PASID ${p.request.ssid}` : ''}${p.written ? `, PRI queue slot ${p.slot}` : ', answered automatically'}`,
          ...(p.pa !== undefined ? { pa: p.pa } : {}),
          struct: 'pri',
          words: p.raw,
        },
      ],
    });
  }
  r.notes.forEach((n, i) => {
    const seq = r.noteSeq[i];
    if (seq === undefined || inWalk(seq)) return;
    const lane: Lane = n.startsWith('CPU') ? 'mm' : 'kernel';
    timed.push({
      seq,
      steps: [
        {
          lane,
          kind: n.startsWith('CPU') ? 'broadcast' : 'note',
          title: n.split(':')[0] ?? 'kernel',
          detail: n,
        },
      ],
    });
  });
  timed.push(...writeSteps(r.writes, before, after, inWalk));
  timed.sort((a, b) => a.seq - b.seq);
  const steps = timed.flatMap((t) => t.steps);
  if (r.status === 'error')
    steps.push({
      lane: 'kernel',
      kind: 'result',
      title: r.error ?? 'error',
      detail: r.message ?? '',
    });
  return steps;
}

/** Indexes of the steps that are fault-related (events, page requests, faulting results). */
export function faultSteps(steps: readonly FlowStep[]): number[] {
  return steps.flatMap((s, i) => (s.kind === 'event' || s.kind === 'page-request' ? [i] : []));
}
