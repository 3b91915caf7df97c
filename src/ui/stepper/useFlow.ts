// The flow of the op at the cursor and the step shown (clamped to the flow), for the stepper's
// components; and whether the user asked for reduced motion.
import { useEffect, useState } from 'react';
import type { OpRecord } from '../../scenario/index.ts';
import { useApp } from '../storeContext.ts';
import type { FlowStep } from '../../diagram/index.ts';
import { flowAt } from '../../state/index.ts';

export interface CursorFlow {
  readonly op: number;
  readonly record: OpRecord | undefined;
  readonly steps: readonly FlowStep[];
  /** The step shown: cursor.step clamped to the flow (0 when it is empty). */
  readonly step: number;
}

export function useCursorFlow(): CursorFlow {
  const timeline = useApp((s) => s.timeline);
  const op = useApp((s) => s.cursor.op);
  const raw = useApp((s) => s.cursor.step);
  const steps = flowAt(timeline, op);
  const step = Math.max(0, Math.min(raw, steps.length - 1));
  return { op, record: timeline.records[op], steps, step };
}

const QUERY = '(prefers-reduced-motion: reduce)';

export function useReducedMotion(): boolean {
  const [reduce, setReduce] = useState(
    () => typeof window !== 'undefined' && !!window.matchMedia?.(QUERY).matches,
  );
  useEffect(() => {
    const m = typeof window !== 'undefined' ? window.matchMedia?.(QUERY) : undefined;
    if (!m) return;
    const on = () => setReduce(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, []);
  return reduce;
}
