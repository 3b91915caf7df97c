// The structure writes of an op as flow steps, and memory as it was at any point of the op.
// Writes are grouped only when they follow each other in the op's clock: a driver's publication
// order is the point of showing them (arm_smmu_write_ctx_desc writes CD dwords 1–3, CFGI_CD +
// SYNC, and only then dword 0 with V=1), so a command or another write in between ends a group.
import { hex, type MemWrite } from '../engine/index.ts';
import { blockAt, type FrameUse } from '../kernel/index.ts';
import type { OpRecord, World } from '../scenario/index.ts';
import type { FlowStep, Lane } from './flow.ts';

export interface Timed {
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

/** `b` comes right after `a` in the op's clock (writes recorded without a clock: any order). */
const adjacent = (a: MemWrite, b: MemWrite): boolean =>
  a.seq === undefined || b.seq === undefined ? a.seq === b.seq : b.seq === a.seq + 1;

/**
 * One step per run of writes to one frame block that nothing else interrupts ("CD table written:
 * 2 words from 0x…"). Queue writes are left out (they are shown as commands, events and page
 * requests) but, being activity on the clock, they still end a run.
 */
export function writeSteps(
  writes: readonly MemWrite[],
  before: World | undefined,
  after: World | undefined,
  skip: (seq: number) => boolean,
): Timed[] {
  const out: Timed[] = [];
  let run: { block: string; lane: Lane; what: string; ws: MemWrite[] } | undefined;
  const flush = (): void => {
    if (!run) return;
    const ws = run.ws;
    const first = ws[0]!;
    const last = ws[ws.length - 1]!;
    const zero = ws.every((w) => w.new === 0n);
    // One run of words ("from"), or the words listed, flagged when the driver went back to an
    // earlier word (CD dwords 1, 3, then 0).
    const run8 = ws.every((w, i) => i === 0 || w.pa === ws[i - 1]!.pa + 8n);
    const rising = ws.every((w, i) => i === 0 || w.pa > ws[i - 1]!.pa);
    const list = ws.slice(0, 4).map((w) => hex(w.pa));
    const detail =
      ws.length === 1
        ? `${hex(first.pa)}: ${hex(first.old)} → ${hex(first.new)}`
        : run8
          ? `${ws.length} words from ${hex(first.pa)}${zero ? ' cleared' : ''}`
          : `${ws.length} words${zero ? ' cleared' : ''}: ${list.join(', ')}${ws.length > 4 ? ', …' : ''}${rising ? '' : ' (in this order)'}`;
    out.push({
      seq: first.seq ?? 0,
      steps: [
        {
          lane: run.lane,
          kind: 'write',
          title: `${run.what} written`,
          detail,
          pa: first.pa,
          words: run.ws.map((w) => w.new),
          ...(last.seq !== undefined ? { seq: last.seq } : {}),
        },
      ],
    });
    run = undefined;
  };
  let prev: MemWrite | undefined;
  for (const w of writes) {
    const seq = w.seq ?? 0;
    const follows = prev !== undefined && adjacent(prev, w);
    prev = w;
    if (skip(seq)) {
      flush();
      continue;
    }
    const b =
      (after?.kernel && blockAt(after.kernel.frames, w.pa)) ||
      (before?.kernel && blockAt(before.kernel.frames, w.pa)) ||
      undefined;
    if (b?.use === 'queue') {
      flush();
      continue;
    }
    const label = (b && useLabel[b.use]) ?? { lane: 'mm' as Lane, what: 'memory' };
    const key = b ? `${b.pa}` : `${w.pa >> 12n}`;
    if (run && follows && run.block === key && run.ws.length < 64) run.ws.push(w);
    else {
      flush();
      run = {
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

/**
 * The `n` words at `pa` as they were just after activity `seq` of op `r`: the world after the op
 * with the op's later writes undone, newest first (each write journals the word it replaced).
 * A step that wrote part of a structure shows it as it was then, not as the op left it.
 */
export function wordsAt(
  r: Pick<OpRecord, 'writes'>,
  after: World,
  pa: bigint,
  n: number,
  seq: number,
): bigint[] | undefined {
  const words = after.mem.readWords(pa, n);
  if (!words) return undefined;
  const end = pa + BigInt(n) * 8n;
  for (let i = r.writes.length - 1; i >= 0; i--) {
    const w = r.writes[i]!;
    if (w.seq === undefined || w.seq <= seq) break; // the journal is in clock order
    if (w.pa >= pa && w.pa < end) words[Number((w.pa - pa) / 8n)] = w.old;
  }
  return words;
}

/**
 * The activity number up to which the op's writes have happened at step `step` of its flow: the
 * seq of the latest write step at or before it, or −1 before the first (nothing written yet).
 * Undefined when the world after the op is the world at that step: the op writes nothing, or the
 * step is its last.
 */
export function writtenUpTo(
  steps: readonly { readonly kind: string; readonly seq?: number }[],
  step: number,
  r: Pick<OpRecord, 'writes'>,
): number | undefined {
  // At the last step everything the op did has happened (queue writes have no step of their own).
  if (r.writes.length === 0 || step >= steps.length - 1) return undefined;
  let upTo = -1;
  for (let i = 0; i <= step && i < steps.length; i++) {
    const s = steps[i]!;
    if (s.kind === 'write' && s.seq !== undefined) upTo = s.seq;
  }
  const last = r.writes[r.writes.length - 1]!.seq;
  return last !== undefined && upTo >= last ? undefined : upTo;
}

/**
 * The world as it was just after activity `seq` of op `r`: a copy-on-write copy of the world
 * after the op with its later memory writes undone, newest first. Memory only: the kernel's
 * bookkeeping is the op's end state (the diagram reads structures from memory and only names
 * their owners from it).
 */
export function worldAtSeq(r: Pick<OpRecord, 'writes'>, after: World, seq: number): World {
  const mem = after.mem.clone();
  for (let i = r.writes.length - 1; i >= 0; i--) {
    const w = r.writes[i]!;
    if (w.seq !== undefined && w.seq <= seq) break;
    mem.write64(w.pa, w.old);
  }
  return { ...after, mem };
}
