// An op replayed as a sequence of steps across lanes — device, SMMU, event/PRI queues, kernel,
// mm (page tables), command queue — in the order things happened (the op record's clock).
// A device access contributes its walks one memory read per step; a bind or an unmap its
// structure writes and commands; a fault its event record, handler, PTE write, and response.
import {
  assertNever,
  hex,
  stepStructure,
  type StructureKind,
  type TraceStep,
} from '../engine/index.ts';
import type { Attempt } from '../kernel/index.ts';
import type { OpRecord, World } from '../scenario/index.ts';
import { writeSteps, type Timed } from './flowWrites.ts';

export type Lane =
  'device' | 'smmu' | 'evtq' | 'priq' | 'kernel' | 'mm' | 'cmdq' | 'guest-cmdq' | 'guest-evtq';

/**
 * `optional`: drawn only when a step uses it (a guest's vSMMU exists only under nesting). The two
 * guest lanes are iommufd's two relays: the guest's command queue, whose commands the host
 * forwards to its own (IOMMU_HWPT_INVALIDATE → arm_vsmmu_cache_invalidate), and the guest's event
 * queue, which the host fills from its own (arm_vmaster_report_event → vEVENTQ).
 */
export const LANES: readonly { id: Lane; label: string; optional?: true }[] = [
  { id: 'device', label: 'Device' },
  { id: 'smmu', label: 'SMMU' },
  { id: 'evtq', label: 'Event queue' },
  { id: 'priq', label: 'PRI queue' },
  { id: 'kernel', label: 'Kernel' },
  { id: 'mm', label: 'Tables in memory' },
  { id: 'cmdq', label: 'Command queue' },
  { id: 'guest-cmdq', label: 'Guest command queue', optional: true },
  { id: 'guest-evtq', label: 'Guest event queue', optional: true },
];

/**
 * iommufd's relays between a guest and the host (kernel/iommufd relay.ts, ginv.ts): an event put
 * on the guest's vEVENTQ (the guest event-queue lane), a guest command forwarded to the host's
 * queue (the guest command-queue lane), or an event the host keeps — that one never reaches the
 * guest, so it stays on the host kernel's lane.
 */
function relayOf(note: string): { lane: Lane; title: string } | undefined {
  if (!note.startsWith('iommufd:')) return undefined;
  if (note.includes(' relayed to ')) return { lane: 'guest-evtq', title: 'host event → vEVENTQ' };
  if (note.includes(' forwarded as ')) return { lane: 'guest-cmdq', title: 'guest command → host' };
  if (note.includes(' stays with the host'))
    return { lane: 'kernel', title: 'event kept by the host' };
  // Any other iommufd note (vm, vsmmu, vdevice, nest) is the host kernel's own work.
  return undefined;
}

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
  /** For writes: the op's clock after the step's last write (see wordsAt). */
  readonly seq?: number;
}

/** The attempt is an ATS Translation Request (a first one, or again after a PRI Success). */
const viaAts = (a: Attempt, prev: Attempt | undefined): boolean =>
  a.kind === 'ats' || a.kind === 'atc-hit' || (a.kind === 'retry' && prev?.then?.by === 'pri');

/**
 * Who starts an attempt. The device, for its first access and when it asks again after a PRI
 * response Success (PCIe PRI: the device retries its Translation Request). A stalled transaction
 * is held in the SMMU: after CMD_RESUME with Retry it is the SMMU that translates it again from
 * scratch (smmuv3.md §8), while the device is still waiting for its one transaction.
 */
function attemptStep(r: OpRecord, a: Attempt, prev: Attempt | undefined, i: number): FlowStep {
  const to = r.op.op === 'dma' ? ` to ${hex(r.op.addr)}` : '';
  if (prev?.then?.by === 'stall') {
    const held = [
      prev.outcome.type === 'stalled' ? `STAG ${prev.outcome.stag}` : '',
      r.op.op === 'dma' ? `address ${hex(r.op.addr)}` : '',
    ].filter(Boolean);
    return {
      lane: 'smmu',
      kind: 'note',
      title: 'SMMU retries the stalled transaction',
      detail: `CMD_RESUME with Retry: the SMMU translates the transaction it held${held.length ? ` (${held.join(', ')})` : ''} again from scratch, with the tables as they are now; the device sent it only once`,
      attempt: i,
    };
  }
  const how =
    a.kind === 'atc-hit'
      ? 'ATC hit'
      : viaAts(a, prev)
        ? `ATS Translation Request${i > 0 ? ' again' : ''}`
        : 'untranslated transaction';
  const why =
    prev?.then?.by === 'pri'
      ? ': the page request was answered Success'
      : prev
        ? ': the ATS completion gave no permission and the device has no PRI'
        : '';
  return {
    lane: 'device',
    kind: 'note',
    title: i === 0 ? 'device access' : 'device retries',
    detail: `${how}${to}${why}`,
    attempt: i,
  };
}

/**
 * What an ATS Translation Request's failed walk means to the device. The engine words it as a
 * silently terminated transaction; for a Translation Request nothing is terminated: a translation
 * fault completes it Success with R=W=0, no permissions (§3.9.1.2, smmuv3.md §7.3), a configuration
 * error completes it with CA, an aborting STE with UR (smmuv3.md §2).
 */
function atsResult(a: Attempt, prev: Attempt | undefined): string | undefined {
  if (!viaAts(a, prev) || a.outcome.type === 'translated') return undefined;
  const ev = a.steps.find((t) => t.kind === 'event')?.event;
  const reason =
    a.outcome.type === 'denied' || a.outcome.type === 'aborted' ? a.outcome.reason : '';
  if (ev && ev.id >= 0x10 && ev.id <= 0x13)
    return `ATS translation completed with no permissions (Success, R=W=0; ${reason}): the device gets an unsuccessful translation${a.then?.by === 'pri' ? ' and sends a page request' : ''}`;
  if (a.outcome.type !== 'aborted') return undefined;
  return ev
    ? `ATS Translation Request completed with CA (Completer Abort; ${reason}): the device gets no translation`
    : `ATS Translation Request completed with UR (Unsupported Request; ${reason}): the device gets no translation`;
}

/** How a trace step shows in the flow: its lane, its kind of step and its title. */
function walkShape(t: TraceStep): Pick<FlowStep, 'lane' | 'kind' | 'title'> {
  switch (t.kind) {
    case 'l1std':
    case 'ste':
    case 'l1cd':
    case 'cd':
    case 'httu':
      return { lane: 'smmu', kind: 'read', title: t.kind.replace('-', ' ') };
    case 'tt': {
      const stage2 = t.nested ? `stage 2 (${t.nested}) ` : t.stage === 2 ? 'stage 2 ' : '';
      return { lane: 'smmu', kind: 'read', title: `${stage2}L${t.level} descriptor` };
    }
    case 'cfg-hit':
    case 'tlb-hit':
      return { lane: 'smmu', kind: 'hit', title: t.kind.replace('-', ' ') };
    case 'atc-hit':
      return { lane: 'device', kind: 'hit', title: t.kind.replace('-', ' ') };
    case 'decision':
    case 'tlb-miss':
      return { lane: 'smmu', kind: 'decision', title: t.kind.replace('-', ' ') };
    case 'event':
      // An event step with no queue slot was not written (ATS completion, R=0, queue full…).
      return t.eventSlot !== undefined
        ? { lane: 'evtq', kind: 'event', title: t.event.name }
        : { lane: 'smmu', kind: 'decision', title: t.event.name };
    case 'result':
      return { lane: 'smmu', kind: 'result', title: t.kind };
    default:
      return assertNever(t, 'trace step');
  }
}

function walkStep(t: TraceStep, attempt: number, a: Attempt, prev?: Attempt): FlowStep {
  const struct = t.kind === 'event' ? 'event' : stepStructure(t);
  const pa = t.kind === 'event' ? t.eventPa : 'pa' in t ? t.pa : undefined;
  const words = t.kind === 'event' ? t.eventRaw : 'value' in t ? t.value : undefined;
  return {
    ...walkShape(t),
    detail: (t.kind === 'result' && atsResult(a, prev)) || t.note,
    trace: t,
    attempt,
    ...(pa !== undefined ? { pa } : {}),
    ...(struct ? { struct } : {}),
    ...(words ? { words } : {}),
  };
}

export function flowOf(r: OpRecord, before?: World, after?: World): FlowStep[] {
  const timed: Timed[] = [];
  const spans: [number, number][] = [];
  const attempts = r.dma?.attempts ?? [];
  attempts.forEach((a, i) => {
    if (a.seq !== undefined && a.seqEnd !== undefined) spans.push([a.seq, a.seqEnd]);
    const prev = attempts[i - 1];
    timed.push({
      seq: a.seq ?? -1,
      steps: [attemptStep(r, a, prev, i), ...a.steps.map((t) => walkStep(t, i, a, prev))],
    });
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
    const relay = n.startsWith('CPU') ? undefined : relayOf(n);
    const lane: Lane = n.startsWith('CPU') ? 'mm' : (relay?.lane ?? 'kernel');
    timed.push({
      seq,
      steps: [
        {
          lane,
          kind: n.startsWith('CPU') ? 'broadcast' : 'note',
          title: relay?.title ?? n.split(':')[0] ?? 'kernel',
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
