// The stepper: the op at the cursor replayed one step at a time (forward, back, play at 0.5×–8×,
// first and last step), the flow's swimlanes, the step in detail; and time travel across the
// scenario (a slider over the ops, the next and previous fault, comparing two moments).
import { memo, useCallback, useState } from 'react';
import { faultFrom, SPEEDS, worldAt } from '../../state/index.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import { opSummary } from '../timeline/describe.ts';
import { Compare } from './Compare.tsx';
import { FAULT_LABEL } from '../../diagram/index.ts';
import { Lanes, stepLabel } from './Lanes.tsx';
import { StepView } from './StepView.tsx';
import { useCursorFlow } from './useFlow.ts';
import './stepper.css';

const ICONS = {
  first: 'M3 2h2v12H3zM14 2v12L6 8z',
  prev: 'M12 2v12L4 8z',
  play: 'M4 2v12l10-6z',
  pause: 'M3 2h4v12H3zM9 2h4v12H9z',
  next: 'M4 2v12l8-6z',
  last: 'M11 2h2v12h-2zM2 2v12l8-6z',
} as const;

function Icon({ d }: { d: keyof typeof ICONS }) {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={ICONS[d]} fill="currentColor" />
    </svg>
  );
}

/** A transport button: pauses playback and moves to `go(current step)`. */
function StepButton(p: {
  id: string;
  icon: keyof typeof ICONS;
  label: string;
  off: boolean;
  go: (step: number) => number;
}) {
  const app = useAppStore();
  const { step } = useCursorFlow();
  return (
    <button
      type="button"
      className="btn"
      data-testid={`step-${p.id}`}
      aria-label={p.label}
      title={p.label}
      disabled={p.off}
      onClick={() => {
        app.getState().setPlaying(false);
        app.getState().stepTo(p.go(step));
      }}
    >
      <Icon d={p.icon} />
    </button>
  );
}

function Transport() {
  const app = useAppStore();
  const { steps, step } = useCursorFlow();
  const playing = useApp((s) => s.playing);
  const speed = useApp((s) => s.speed);
  const n = steps.length;
  const none = n === 0;
  const atStart = none || step === 0;
  const atEnd = none || step >= n - 1;
  return (
    <div className="stp-transport" role="group" aria-label="Step through the op">
      <StepButton id="start" icon="first" label="First step (Home)" off={atStart} go={() => 0} />
      <StepButton id="prev" icon="prev" label="Previous step (←)" off={atStart} go={(i) => i - 1} />
      <button
        type="button"
        className="btn stp-play"
        data-testid="step-play"
        aria-label={playing ? 'Pause (Space)' : 'Play (Space)'}
        aria-pressed={playing}
        title={playing ? 'Pause (Space)' : 'Play (Space)'}
        disabled={n < 2}
        onClick={() => app.getState().togglePlay()}
      >
        <Icon d={playing ? 'pause' : 'play'} />
      </button>
      <StepButton id="next" icon="next" label="Next step (→)" off={atEnd} go={(i) => i + 1} />
      <StepButton id="end" icon="last" label="Last step (End)" off={atEnd} go={() => n - 1} />
      <label className="stp-speed">
        <span className="sr-only">Speed</span>
        <select
          value={speed}
          data-testid="step-speed"
          aria-label="Playback speed"
          onChange={(e) => app.getState().setSpeed(Number(e.currentTarget.value))}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <span className="stp-counter" data-testid="step-counter">
        {none ? 'no steps' : `step ${step + 1} / ${n}`}
      </span>
    </div>
  );
}

// Memoised, with a stable onCompare: it reads the op, not the step, so a playing walk leaves
// the slider and its buttons alone.
const TimeTravel = memo(function TimeTravel({
  compare,
  onCompare,
}: {
  compare: boolean;
  onCompare: () => void;
}) {
  const app = useAppStore();
  const timeline = useApp((s) => s.timeline);
  const ops = useApp((s) => s.doc.ops);
  // The op only: the slider does not move (nor this bar re-render) on every step of a walk.
  const cursorOp = useApp((s) => s.cursor.op);
  const notice = useApp((s) => s.notice);
  const [found, setFound] = useState<string>('');
  const max = timeline.length - 1;
  const op = ops[cursorOp];
  const moment = cursorOp < 0 ? 'after boot' : `op ${cursorOp}${op ? `: ${opSummary(op)}` : ''}`;
  const jump = (dir: 1 | -1) => {
    app.getState().setPlaying(false);
    const { cursor } = app.getState();
    const f = faultFrom(timeline, { op: cursor.op, step: cursor.step }, dir);
    if (!f) {
      setFound(`No ${dir > 0 ? 'later' : 'earlier'} fault in the scenario.`);
      return;
    }
    app.getState().setCursor(f.op, f.step);
    setFound(`Op ${f.op}, step ${f.step + 1}: ${FAULT_LABEL[f.kind]}.`);
  };
  return (
    <div className="stp-travel" role="group" aria-label="Time travel">
      <label className="stp-slider" htmlFor="stp-time">
        <span className="sr-only">Moment in the scenario</span>
        <input
          id="stp-time"
          type="range"
          min={-1}
          max={max}
          step={1}
          value={cursorOp}
          data-testid="time-slider"
          aria-valuetext={moment}
          onChange={(e) => {
            app.getState().setPlaying(false);
            app.getState().setCursor(Number(e.currentTarget.value), 0);
          }}
        />
      </label>
      <span className="stp-moment-now" data-testid="time-moment" title={moment}>
        {moment}
      </span>
      <button type="button" className="btn" data-testid="prev-fault" onClick={() => jump(-1)}>
        ◂ Previous fault
      </button>
      <button type="button" className="btn" data-testid="next-fault" onClick={() => jump(1)}>
        Next fault ▸
      </button>
      <button
        type="button"
        className="btn"
        data-testid="compare-toggle"
        aria-pressed={compare}
        onClick={onCompare}
      >
        Compare…
      </button>
      <span className="sr-only" role="status" data-testid="fault-status">
        {notice ? '' : found}
      </span>
    </div>
  );
});

export function Stepper() {
  const store = useAppStore();
  const timeline = useApp((s) => s.timeline);
  const { op, record, steps, step } = useCursorFlow();
  const playing = useApp((s) => s.playing);
  const [compare, setCompare] = useState<{ a: number; b: number } | null>(null);
  const after = op >= 0 ? worldAt(timeline, op) : undefined;
  const cur = steps[step];
  const onCompare = useCallback(
    () => setCompare((c) => (c ? null : { a: Math.max(-1, op - 1), b: op })),
    [op],
  );
  return (
    // While playing, the markers change at once instead of fading (stepper.css): a step every
    // 100 ms would keep a 150 ms fade running and the page repainting on every frame.
    <div className={`stepper${playing ? ' is-playing' : ''}`} data-testid="stepper">
      <div className="stp-bar">
        <Transport />
        <TimeTravel compare={compare !== null} onCompare={onCompare} />
      </div>
      {compare ? (
        <Compare initial={compare} />
      ) : !record ? (
        <p className="muted stp-empty" data-testid="stepper-empty">
          {op < 0
            ? 'After boot: no op to step through. Pick an op in the timeline or move the slider.'
            : 'No op at the cursor.'}
        </p>
      ) : (
        <div className="stp-main">
          <Lanes
            steps={steps}
            step={step}
            onPick={(i) => {
              store.getState().setPlaying(false);
              store.getState().stepTo(i);
            }}
          />
          <StepView steps={steps} step={step} after={after} record={record} />
        </div>
      )}
      <p className="sr-only" aria-live="polite" data-testid="step-live">
        {cur && !playing ? stepLabel(cur, step, steps.length) : ''}
      </p>
    </div>
  );
}
