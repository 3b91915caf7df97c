// The op's flow as swimlanes: one row per lane (device, SMMU, event queue, PRI queue, kernel,
// tables in memory, command queue; under nesting the guest's command and event queues), the
// steps left to right, an arrow where consecutive steps change lane, and the current step
// ringed. A marker's shape says what the step is (a read, a cache hit that short-circuits, a
// decision, a fault, a write, a command); clicking it moves there. Only the current marker is
// in the tab order (the arrow keys step).
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { assertNever, stepNested, stepStage } from '../../engine/index.ts';
import { faultKind, LANES, type FlowStep, type Lane } from '../../diagram/index.ts';
import { useReducedMotion } from './useFlow.ts';

const COL = 30;
const ROW = 19;
const PAD = 10;

function Marker({ s, fault }: { s: FlowStep; fault: boolean }) {
  const r = s.trace && (stepStage(s.trace) === 2 || stepNested(s.trace)) ? 4.5 : 6.5;
  if (fault) return <path className="m-shape" d={`M0 ${-r - 1}L${r + 1} ${r}L${-r - 1} ${r}Z`} />;
  switch (s.kind) {
    case 'read':
    case 'write':
      return <rect className="m-shape" x={-r} y={-r} width={2 * r} height={2 * r} rx={1.5} />;
    case 'hit':
      return <path className="m-shape" d={`M0 ${-r - 1}L${r + 1} 0L0 ${r + 1}L${-r - 1} 0Z`} />;
    case 'command':
      return (
        <rect
          className="m-shape"
          x={-r - 1}
          y={-r + 1.5}
          width={2 * r + 2}
          height={2 * r - 3}
          rx={3}
        />
      );
    case 'result':
      return (
        <>
          <circle className="m-shape" r={r} />
          <circle className="m-inner" r={r - 3} />
        </>
      );
    case 'decision':
      return <circle className="m-shape" r={r - 2} />;
    case 'event':
    case 'page-request':
    case 'note':
    case 'broadcast':
      return <circle className="m-shape" r={r - 1} />;
    default:
      return assertNever(s.kind, 'flow step kind');
  }
}

export function stepLabel(s: FlowStep, i: number, n: number): string {
  const lane = LANES.find((l) => l.id === s.lane)?.label ?? s.lane;
  return `Step ${i + 1} of ${n}, ${lane}: ${s.title}`;
}

export function Lanes({
  steps,
  step,
  onPick,
}: {
  steps: readonly FlowStep[];
  step: number;
  onPick: (i: number) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const reduce = useReducedMotion();
  const width = PAD * 2 + steps.length * COL;
  // An optional lane (the guest's command queue, its event queue) only when a step is on it.
  const lanes = LANES.filter((l) => !l.optional || steps.some((s) => s.lane === l.id));
  const laneIndex = new Map<Lane, number>(lanes.map((l, i) => [l.id, i]));
  const height = lanes.length * ROW;
  const x = (i: number) => PAD + i * COL + COL / 2;
  const y = (s: FlowStep) => (laneIndex.get(s.lane) ?? 0) * ROW + ROW / 2;

  // Keep the current step in view.
  // The strip's scroll offset and width, kept from its scroll and resize events: reading them
  // right after a step's commit forced a layout of the whole page on every step of a playback.
  const seen = useRef({ left: 0, width: 0 });
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    seen.current = { left: el.scrollLeft, width: el.clientWidth };
    const onScroll = () => (seen.current.left = el.scrollLeft);
    el.addEventListener('scroll', onScroll, { passive: true });
    // Resize observers run after layout: reading the width there costs nothing.
    const ro =
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(() => (seen.current.width = el.clientWidth));
    ro?.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      ro?.disconnect();
    };
  }, []);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const cx = PAD + step * COL + COL / 2;
    const { left, width: w } = seen.current;
    if (cx < left + COL || cx > left + w - COL)
      el.scrollTo?.({ left: cx - w / 2, behavior: reduce ? 'auto' : 'smooth' });
  }, [step, reduce]);

  const onKey = (e: KeyboardEvent<SVGGElement>, i: number) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    onPick(i);
  };
  const current = steps[step];

  return (
    <div className="stp-lanes" data-testid="flow-lanes">
      <ul className="stp-lane-labels" aria-label="Lanes">
        {lanes.map((l) => {
          const count = steps.filter((s) => s.lane === l.id).length;
          return (
            <li
              key={l.id}
              data-testid={`lane-${l.id}`}
              data-count={count}
              data-active={current?.lane === l.id ? 'true' : 'false'}
              className={`${current?.lane === l.id ? 'active' : ''} ${count ? '' : 'empty'}`}
              style={{ height: ROW }}
            >
              {l.label}
            </li>
          );
        })}
      </ul>
      <div className="stp-lanes-scroll" ref={scroller}>
        <svg
          width={width}
          height={height}
          role="group"
          aria-label={`Flow of ${steps.length} steps across the lanes`}
          data-testid="flow-svg"
        >
          <defs>
            <marker
              id="stp-arrow"
              viewBox="0 0 8 8"
              refX="7"
              refY="4"
              markerWidth="6"
              markerHeight="6"
              orient="auto-start-reverse"
            >
              <path d="M0 0L8 4L0 8Z" className="stp-arrowhead" />
            </marker>
          </defs>
          {lanes.map((l, i) => (
            <rect
              key={l.id}
              className={`stp-row ${i % 2 ? 'odd' : ''}`}
              x={0}
              y={i * ROW}
              width={width}
              height={ROW}
            />
          ))}
          {steps.map((s, i) => {
            const next = steps[i + 1];
            if (!next) return null;
            const change = next.lane !== s.lane;
            const x1 = x(i);
            const x2 = x(i + 1);
            const y1 = y(s);
            const y2 = y(next);
            const done = i < step;
            if (!change)
              return (
                <line
                  key={`e${i}`}
                  className={`stp-edge ${done ? 'done' : ''}`}
                  x1={x1 + 6}
                  y1={y1}
                  x2={x2 - 6}
                  y2={y2}
                />
              );
            const dy = y2 > y1 ? 7 : -7;
            return (
              <path
                key={`e${i}`}
                className={`stp-edge change ${done ? 'done' : ''}`}
                d={`M${x1 + 4} ${y1 + dy}L${x2 - 4} ${y2 - dy}`}
                markerEnd="url(#stp-arrow)"
              />
            );
          })}
          {steps.map((s, i) => {
            const fault = faultKind(steps, i) !== undefined;
            const state = i === step ? 'current' : i < step ? 'done' : 'todo';
            return (
              <g
                key={i}
                transform={`translate(${x(i)} ${y(s) + (s.trace && stepNested(s.trace) ? 3 : 0)})`}
                className={`stp-marker ${state} k-${s.kind} ${fault ? 'fault' : ''}`}
                data-testid={`flow-step-${i}`}
                data-lane={s.lane}
                data-kind={s.kind}
                data-current={i === step ? 'true' : 'false'}
                role="button"
                tabIndex={i === step ? 0 : -1}
                aria-label={stepLabel(s, i, steps.length)}
                aria-current={i === step ? 'step' : undefined}
                onClick={() => onPick(i)}
                onKeyDown={(e) => onKey(e, i)}
              >
                <title>{`${i + 1}. ${s.title}: ${s.detail}`}</title>
                {i === step && <circle className="stp-ring" r={11} />}
                <Marker s={s} fault={fault} />
              </g>
            );
          })}
        </svg>
      </div>
    </div>
  );
}
