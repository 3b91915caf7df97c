// One circular queue drawn as a ring of slots: PROD and CONS with their wrap bits, the
// empty/full/overflow state, the slots the op at the cursor touched, and click-to-inspect.
import {
  CERROR_NAMES,
  decodeCommand,
  eventName,
  hex,
  qEmpty,
  qFree,
  qFull,
  qIndex,
  qWrap,
  type Smmu,
} from '../../engine/index.ts';
import type { World } from '../../scenario/index.ts';
import type { Selection } from '../../state/index.ts';

export type QueueKind = 'cmdq' | 'evtq' | 'priq';

const INFO = {
  cmdq: { reg: 'CMDQ', name: 'Command queue', short: 'CMDQ', bytes: 16, dwords: 2, en: 3 },
  evtq: { reg: 'EVENTQ', name: 'Event queue', short: 'EVTQ', bytes: 32, dwords: 4, en: 2 },
  priq: { reg: 'PRIQ', name: 'PRI queue', short: 'PRIQ', bytes: 16, dwords: 2, en: 1 },
} as const;

const STRUCT = { cmdq: 'command', evtq: 'event', priq: 'pri' } as const;

/** Most segments drawn; larger queues group consecutive slots into one segment. */
const MAX_SEGMENTS = 256;
const SIZE = 100;
const C = SIZE / 2;
const R_OUT = 42;
const R_IN = 30;

function arc(a0: number, a1: number): string {
  const p = (r: number, a: number) =>
    `${(C + r * Math.sin(a)).toFixed(2)} ${(C - r * Math.cos(a)).toFixed(2)}`;
  const large = a1 - a0 > Math.PI ? 1 : 0;
  return `M${p(R_OUT, a0)} A${R_OUT} ${R_OUT} 0 ${large} 1 ${p(R_OUT, a1)} L${p(R_IN, a1)} A${R_IN} ${R_IN} 0 ${large} 0 ${p(R_IN, a0)}Z`;
}

/** A short name for what a slot holds right now. */
function slotName(kind: QueueKind, words: readonly bigint[] | undefined): string {
  if (!words || words.every((w) => w === 0n)) return 'empty';
  if (kind === 'cmdq') return decodeCommand(words)?.name ?? `opcode ${hex(words[0]! & 0xffn)}`;
  if (kind === 'evtq') return eventName(Number(words[0]! & 0xffn));
  return 'page request';
}

interface Props {
  readonly kind: QueueKind;
  readonly world: World;
  /** Slots the op at the cursor wrote or consumed. */
  readonly touched: ReadonlySet<number>;
  readonly selectedPa: bigint | undefined;
  readonly onSelect: (sel: Selection) => void;
}

function queueState(smmu: Smmu, kind: QueueKind): string {
  const info = INFO[kind];
  const q = smmu.queue(info.reg);
  const parts: string[] = [];
  if (!((smmu.regs.CR0 >> BigInt(info.en)) & 1n)) parts.push('disabled');
  if (qFull(q)) parts.push('full');
  else if (qEmpty(q)) parts.push('empty');
  else parts.push(`${(1 << q.log2size) - qFree(q)} waiting`);
  if (kind === 'cmdq') {
    const err = Number((smmu.regs.CMDQ_CONS >> 24n) & 0x7fn);
    if (err) parts.push(`stopped: ${CERROR_NAMES[err] ?? err}`);
  } else if (smmu.overflowActive(kind === 'evtq' ? 'EVENTQ' : 'PRIQ'))
    parts.push('overflow (OVFLG ≠ OVACKFLG)');
  return parts.join(', ');
}

export function QueueRing({ kind, world, touched, selectedPa, onSelect }: Props) {
  const info = INFO[kind];
  const q = world.smmu.queue(info.reg);
  const n = 1 << q.log2size;
  const per = Math.max(1, Math.ceil(n / MAX_SEGMENTS));
  const segs = Math.ceil(n / per);
  const prodIdx = qIndex(q.prod, q.log2size);
  const consIdx = qIndex(q.cons, q.log2size);
  const pending = (i: number) => {
    const used = (1 << q.log2size) - qFree(q);
    return (i - consIdx + n) % n < used;
  };
  const slotPa = (i: number) => q.base + BigInt(i * info.bytes);
  const angle = (i: number) => (2 * Math.PI * i) / n;
  const mid = (i: number) => angle(i + 0.5);
  const tick = (i: number, r0: number, r1: number) => {
    const a = mid(i);
    return {
      x1: C + r0 * Math.sin(a),
      y1: C - r0 * Math.cos(a),
      x2: C + r1 * Math.sin(a),
      y2: C - r1 * Math.cos(a),
    };
  };
  const pick = (i: number) => {
    const words = world.mem.readWords(slotPa(i), info.dwords);
    onSelect({
      kind: 'memory',
      struct: STRUCT[kind],
      pa: slotPa(i),
      title: `${info.short}[${i}] ${slotName(kind, words)}`,
    });
  };
  const segments = [];
  for (let s = 0; s < segs; s++) {
    const first = s * per;
    let written = false;
    let hit = false;
    let wait = false;
    let sel = false;
    for (let i = first; i < Math.min(n, first + per); i++) {
      const w = world.mem.readWords(slotPa(i), info.dwords);
      written ||= !!w && w.some((x) => x !== 0n);
      hit ||= touched.has(i);
      wait ||= pending(i);
      sel ||= selectedPa === slotPa(i);
    }
    const cls = [
      'slot',
      written ? 'written' : '',
      wait ? 'pending' : '',
      hit ? 'touched' : '',
      sel ? 'selected' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const label = per === 1 ? `slot ${first}` : `slots ${first}–${first + per - 1}`;
    segments.push(
      <path
        key={s}
        d={arc(angle(first), angle(Math.min(n, first + per)))}
        className={cls}
        data-testid={`queue-slot-${kind}-${first}`}
        onClick={() => pick(first)}
      >
        <title>{`${info.short} ${label}${hit ? ' (this op)' : ''}`}</title>
      </path>,
    );
  }
  const pWrap = qWrap(q.prod, q.log2size);
  const cWrap = qWrap(q.cons, q.log2size);
  const pt = tick(prodIdx, R_OUT + 1, R_OUT + 8);
  const ct = tick(consIdx, R_IN - 1, R_IN - 8);
  return (
    <figure className="qring" data-testid={`queue-${kind}`} aria-label={info.name}>
      <svg
        width={SIZE}
        height={SIZE}
        viewBox={`0 0 ${SIZE} ${SIZE}`}
        role="group"
        aria-label={`${info.name} slots`}
      >
        {segments}
        <line {...pt} className="ptr prod" />
        <line {...ct} className="ptr cons" />
        <text x={C} y={C - 3} className="qring-n">
          {n}
        </text>
        <text x={C} y={C + 11} className="qring-unit">
          {n === 1 ? 'slot' : 'slots'}
        </text>
      </svg>
      <figcaption>
        <strong>{info.name}</strong>
        <span className="qmeta">
          {info.bytes} B at <code>{hex(q.base)}</code>
        </span>
        <span className="qptr prod" data-testid={`queue-${kind}-prod`}>
          PROD {hex(prodIdx)} (wrap {pWrap})
        </span>
        <span className="qptr cons" data-testid={`queue-${kind}-cons`}>
          CONS {hex(consIdx)} (wrap {cWrap})
        </span>
        <span className="qstate" data-testid={`queue-${kind}-state`}>
          {queueState(world.smmu, kind)}
        </span>
        {touched.size > 0 && <span className="qtouched">{touched.size} slot(s) this op</span>}
      </figcaption>
    </figure>
  );
}
