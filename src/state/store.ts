// The one store (zustand vanilla): the scenario document with undo/redo, the timeline derived
// from it, the cursor (which op's moment is shown, which step of its trace), the stepper's
// playback (playback.ts), and view state. Components read it through selectors; the timeline is
// derived, never edited, and what is derived from it is cached in derived.ts.
import { createStore } from 'zustand/vanilla';
import type { Selection } from '../diagram/index.ts';
import {
  afterDelete,
  afterMove,
  openTimeline,
  parseScenario,
  remapAnnotations,
  seedStory,
  type OpDoc,
  type ScenarioDoc,
  type Timeline,
} from '../scenario/index.ts';
import { playbackSlice, type PlaybackActions, type PlaybackState } from './playback.ts';

export interface Cursor {
  /** Index of the op whose result is shown (the world after it); -1 = after boot. */
  readonly op: number;
  /** Step of that op's trace (walk stepper). */
  readonly step: number;
}

export interface AppState extends PlaybackState {
  readonly doc: ScenarioDoc;
  readonly timeline: Timeline;
  readonly past: readonly ScenarioDoc[];
  readonly future: readonly ScenarioDoc[];
  readonly cursor: Cursor;
  readonly selection: Selection | null;
  readonly theme: 'system' | 'light' | 'dark';
  /** Set by an action that was refused (shown as a banner). */
  readonly notice: string | null;
  /** The stepper is shown: the diagram marks the current step's structures and its path. */
  readonly stepping: boolean;
}

export interface AppActions extends PlaybackActions {
  /** Replaces the document (recorded for undo unless `record` is false). */
  setDoc(doc: ScenarioDoc, opts?: { record?: boolean; cursor?: Cursor }): string | null;
  /** Appends an op; returns the validation error (naming the field) instead of applying it. */
  appendOp(op: OpDoc): string | null;
  deleteOp(index: number): string | null;
  moveOp(from: number, to: number): string | null;
  setKernel(kernel: 'rfc2017' | 'mainline'): string | null;
  undo(): void;
  redo(): void;
  setCursor(op: number, step?: number): void;
  setStep(step: number): void;
  select(sel: Selection | null): void;
  setTheme(t: AppState['theme']): void;
  setStepping(on: boolean): void;
  dismissNotice(): void;
  /** Shows a banner (an action the UI refused or that failed), or clears it with null. */
  setNotice(text: string | null): void;
}

export type Store = AppState & AppActions;

const HISTORY = 200;

/**
 * Validates and runs a document. The refusal is one line, shown after the action's own lead
 * ("Kernel profile mainline: …", "The link was not opened: ….", a form's error): the validation
 * error naming the field; for a platform the kernel cannot boot on (openTimeline: the probe
 * failed), the BootError's own sentence, which says so and names the errno and the cause; for
 * anything else the run threw, "the run failed: …".
 */
function build(doc: ScenarioDoc): { timeline: Timeline } | { error: string } {
  const p = parseScenario(doc);
  if (!p.ok) return { error: p.error };
  try {
    const opened = openTimeline(p.scenario);
    return opened.ok ? { timeline: opened.timeline } : { error: opened.error };
  } catch (e) {
    // A profile or model still being written may throw: refuse the change, keep the document.
    return { error: `the run failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export function createAppStore(
  initial: ScenarioDoc = seedStory,
  opts: { cursor?: Cursor | undefined; notice?: string | null } = {},
) {
  const first = build(initial);
  if ('error' in first) throw new Error(`initial scenario is invalid: ${first.error}`);
  return createStore<Store>()((set, get) => {
    const apply = (doc: ScenarioDoc, record: boolean, cursor?: Cursor): string | null => {
      const b = build(doc);
      if ('error' in b) return b.error;
      const s = get();
      const last = b.timeline.length - 1;
      set({
        doc,
        timeline: b.timeline,
        past: record ? [...s.past, s.doc].slice(-HISTORY) : s.past,
        future: record ? [] : s.future,
        cursor: cursor ?? { op: last, step: 0 },
        notice: null,
      });
      return null;
    };
    return {
      doc: initial,
      timeline: first.timeline,
      past: [],
      future: [],
      cursor: opts.cursor
        ? { op: Math.min(opts.cursor.op, first.timeline.length - 1), step: opts.cursor.step }
        : { op: first.timeline.length - 1, step: 0 },
      selection: null,
      theme: 'system',
      notice: opts.notice ?? null,
      stepping: false,
      setDoc: (doc, opts) => apply(doc, opts?.record ?? true, opts?.cursor),
      appendOp: (op) => apply({ ...get().doc, ops: [...get().doc.ops, op] }, true),
      deleteOp: (i) =>
        apply(
          remapAnnotations(
            { ...get().doc, ops: get().doc.ops.filter((_, j) => j !== i) },
            afterDelete(i),
          ),
          true,
          {
            op: Math.min(i, get().doc.ops.length - 2),
            step: 0,
          },
        ),
      moveOp: (from, to) => {
        const ops = [...get().doc.ops];
        const [o] = ops.splice(from, 1);
        if (!o) return 'no such op';
        ops.splice(to, 0, o);
        return apply(remapAnnotations({ ...get().doc, ops }, afterMove(from, to)), true, {
          op: to,
          step: 0,
        });
      },
      setKernel: (kernel) => {
        const e = apply({ ...get().doc, kernel }, true, get().cursor);
        if (e) set({ notice: `Kernel profile ${kernel}: ${e}` });
        return e;
      },
      undo: () => {
        const s = get();
        const prev = s.past[s.past.length - 1];
        if (!prev) return;
        const b = build(prev);
        if ('error' in b) return;
        set({
          doc: prev,
          timeline: b.timeline,
          past: s.past.slice(0, -1),
          future: [s.doc, ...s.future],
          cursor: { op: b.timeline.length - 1, step: 0 },
        });
      },
      redo: () => {
        const s = get();
        const next = s.future[0];
        if (!next) return;
        const b = build(next);
        if ('error' in b) return;
        set({
          doc: next,
          timeline: b.timeline,
          past: [...s.past, s.doc],
          future: s.future.slice(1),
          cursor: { op: b.timeline.length - 1, step: 0 },
        });
      },
      setCursor: (op, step = 0) =>
        set({ cursor: { op: Math.max(-1, Math.min(op, get().timeline.length - 1)), step } }),
      setStep: (step) => set({ cursor: { ...get().cursor, step } }),
      select: (selection) => set({ selection }),
      setTheme: (theme) => set({ theme }),
      setStepping: (stepping) => set({ stepping }),
      dismissNotice: () => set({ notice: null }),
      setNotice: (notice) => set({ notice }),
      ...playbackSlice(set, get),
    };
  });
}

export type AppStore = ReturnType<typeof createAppStore>;
