// Running op i on world i gives world i+1 and a record: what the op returned, every word written,
// every command consumed, every event and page request, and for a device access its trace.
import {
  buildCommand,
  hex,
  qIndex,
  qInc,
  translate,
  writeRegister,
  type ConsumedCommand,
  type MemWrite,
  WriteJournal,
  type RegName,
  type ResumeRecord,
  type WrittenEvent,
  type WrittenPageRequest,
} from '../engine/index.ts';
import {
  KernelError,
  log,
  runKernelOp,
  serviceInterrupts,
  type DmaResult,
  type KCtx,
  type KernelOpResult,
  type VEvent,
} from '../kernel/index.ts';
import { marks as marksOf, savepoint, undo } from './atomic.ts';
import { isKernelOp, type HardwareOp, type Op } from './ops/index.ts';
import type { World } from './world.ts';

/** What op `index` did: its kernel result (a PASID, a PA, a DMA's outcome …) and its activity. */
export interface OpRecord extends KernelOpResult {
  readonly index: number;
  readonly op: Op;
  readonly status: 'ok' | 'error';
  readonly error?: string;
  readonly message?: string;
  readonly commands: readonly ConsumedCommand[];
  readonly events: readonly WrittenEvent[];
  readonly pageRequests: readonly WrittenPageRequest[];
  readonly broadcasts: readonly { op: string; invalidated: number; snooped: boolean }[];
  readonly resumes: readonly ResumeRecord[];
  readonly writes: readonly MemWrite[];
  readonly notes: readonly string[];
  /** Activity number of each note (same clock as writes, commands and events). */
  readonly noteSeq: readonly number[];
  /** Events the host relayed to a guest's vEVENTQ (vSID in place of the SID), when any. */
  readonly vevents?: readonly VEvent[];
}

type Outcome = Omit<
  OpRecord,
  | 'index'
  | 'op'
  | 'commands'
  | 'events'
  | 'pageRequests'
  | 'broadcasts'
  | 'resumes'
  | 'writes'
  | 'notes'
  | 'noteSeq'
  | 'vevents'
>;

export function runOp(w: World, op: Op, index: number): OpRecord {
  const journal = new WriteJournal();
  w.mem.journal = journal;
  w.mem.clock = { n: 0 };
  w.smmu.takeLog();
  const notes: string[] = [];
  const marks: number[] = [];
  const vevents: VEvent[] = [];
  const kc: KCtx = { k: w.kernel!, smmu: w.smmu, mem: w.mem, notes, marks, vevents };
  const kernelOp = w.kernel !== undefined && isKernelOp(op);
  // An op that fails changes nothing: a savepoint when it could fail half-way (atomic.ts).
  const sp = kernelOp ? savepoint(w, op) : undefined;
  const before = marksOf(w);
  let out: Outcome;
  try {
    out = kernelOp ? { status: 'ok', ...runKernelOp(kc, op) } : hardwareOp(w, op, kc);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    out = { status: 'error', error: e.errno, message: e.message };
    log(kc, `${e.errno}: ${e.message}`);
    const reverted = undo(w, e, journal, sp, before);
    if (reverted !== undefined)
      log(
        kc,
        `undone: the op stopped half-way; ${reverted} word write(s) reverted, the SMMU and kernel state restored (a failed op changes nothing)`,
      );
    if (e.aftermath) log(kc, e.aftermath(w.kernel!));
  }
  w.mem.journal = null;
  const end = w.mem.tick();
  w.mem.clock = null;
  const log_ = w.smmu.takeLog();
  return {
    index,
    op,
    ...out,
    commands: log_.commands,
    events: log_.events,
    pageRequests: log_.pageRequests,
    broadcasts: log_.broadcasts,
    resumes: log_.resumes,
    writes: journal.list,
    notes: [...notes, ...log_.notes],
    noteSeq: [...marks, ...log_.notes.map(() => end)],
    ...(vevents.length ? { vevents } : {}),
  };
}

/** The bare hardware's side of an op: the world, the kernel's context if it booted, and its log. */
interface HwCtx {
  readonly w: World;
  readonly kc: KCtx | undefined;
  readonly note: (line: string) => void;
}

type HardwareHandlers = {
  readonly [K in HardwareOp['op']]: (h: HwCtx, op: Extract<HardwareOp, { op: K }>) => Outcome;
};

/** Hardware ops, one handler each: a new hardware op without one is a compile error. */
const HARDWARE: HardwareHandlers = {
  write64: ({ w }, op) =>
    w.mem.write64(op.pa, op.value)
      ? { status: 'ok' }
      : {
          status: 'error',
          error: '-EFAULT',
          message: `${hex(op.pa)} is not RAM: the write aborts`,
        },
  reg: ({ w, kc, note }, op) => {
    note(writeRegister(w.smmu, op.name as RegName, op.value));
    if (kc) serviceInterrupts(kc);
    return { status: 'ok' };
  },
  cmd: ({ w, kc, note }, op) => {
    const s = w.smmu;
    const q = s.queue('CMDQ');
    const c = buildCommand(op.name, op.fields);
    const pa = q.base + BigInt(qIndex(q.prod, q.log2size)) * 16n;
    if (!w.mem.writeWords(pa, c.raw))
      return {
        status: 'error',
        error: '-EFAULT',
        message: `the command queue slot ${hex(pa)} is not RAM (program CMDQ_BASE first)`,
      };
    note(writeRegister(s, 'CMDQ_PROD', BigInt(qInc(q.prod, q.log2size))));
    if (!s.derived.cmdqen) note('CR0.CMDQEN=0: the command waits in the queue');
    if (kc) serviceInterrupts(kc);
    return { status: 'ok' };
  },
  dma: ({ w, kc }, op) => {
    let first: DmaResult | undefined;
    const totals = { translated: 0, faults: 0, tlbHits: 0, tlbMisses: 0 };
    for (let i = 0; i < op.count; i++) {
      const t = translate(
        w.smmu,
        {
          sid: op.sid,
          ssid: op.pasid,
          addr: op.addr + BigInt(i) * op.stride,
          access: op.access,
          priv: op.priv,
        },
        { trace: i === 0 },
      );
      const o = t.outcome;
      const r: DmaResult = {
        outcome:
          o.type === 'translated'
            ? 'translated'
            : o.type === 'fault'
              ? 'fault'
              : o.type === 'stalled'
                ? 'stalled'
                : 'aborted',
        ...(o.type === 'translated' ? { pa: o.pa } : {}),
        tlb: t.tlb,
        steps: t.steps,
        attempts: [{ kind: 'untranslated', outcome: o, steps: t.steps }],
      };
      first ??= r;
      if (r.outcome === 'translated') totals.translated++;
      else totals.faults++;
      if (t.tlb === 'hit') totals.tlbHits++;
      else if (t.tlb === 'miss') totals.tlbMisses++;
    }
    if (kc) serviceInterrupts(kc);
    return { status: 'ok', dma: op.count > 1 ? { ...first!, totals } : first! };
  },
};

function hardwareOp(w: World, op: Op, c: KCtx): Outcome {
  // A kernel op reaches here only in a world without a kernel.
  if (isKernelOp(op))
    return { status: 'error', error: '-EINVAL', message: `${op.op} needs the kernel` };
  if (w.kernel && op.op !== 'dma') w.tampered = true;
  const h: HwCtx = { w, kc: w.kernel ? c : undefined, note: (line) => log(c, line) };
  return runHardware(h, op);
}

/** Looks the handler up by the op's own name, so the op and its handler's parameter agree. */
function runHardware<K extends HardwareOp['op']>(h: HwCtx, op: Extract<HardwareOp, { op: K }>) {
  return HARDWARE[op.op](h, op);
}

export { buildCommand };
