// The one store (zustand vanilla): the scenario document with undo/redo, the timeline derived
// from it, the cursor (which op's moment is shown, which step of its trace), the stepper's
// playback (playback.ts), and view state. Components read it through selectors; the timeline is
// derived, never edited, and what is derived from it is cached in derived.ts.
import { createStore } from 'zustand/vanilla';
import type { Selection } from '../diagram/index.ts';
import {
  diffOps,
  afterDelete,
  afterMove,
  openTimeline,
  parseScenario,
  parseTrusted,
  validationLoaded,
  remapAnnotations,
  seedStory,
  pinDoc,
  VERSION,
  type OpDiffKind,
  type OpDoc,
  type ScenarioDoc,
  type Timeline,
} from '../scenario/index.ts';
import { DEFAULT_LAYOUT, withCollapsed, withSize, type Layout, type PaneId } from './layout.ts';
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
  /** A second kernel era the same scenario runs under, to compare with (null: none). */
  readonly compareEra: string | null;
  /**
   * The scenario under `compareEra` and how each op's results compare with the scenario's own run
   * (eraDiff.ts), or why it could not run there.
   */
  readonly compare:
    | { readonly timeline: Timeline; readonly kinds: readonly OpDiffKind[] }
    | { readonly error: string }
    | null;
  /** The panes' sizes and folds as the user chose them (layout.ts). */
  readonly layout: Layout;
  /** Diagram-only: every pane but the diagram is hidden. */
  readonly focusMode: boolean;
  /** The "Add an op" dialog is open. */
  readonly addingOp: boolean;
}

export interface AppActions extends PlaybackActions {
  /** Replaces the document (recorded for undo unless `record` is false). */
  setDoc(doc: ScenarioDoc, opts?: { record?: boolean; cursor?: Cursor }): string | null;
  /** Appends an op; returns the validation error (naming the field) instead of applying it. */
  appendOp(op: OpDoc): string | null;
  deleteOp(index: number): string | null;
  moveOp(from: number, to: number): string | null;
  /** Runs the scenario under another kernel era (an id of src/kernel/eras). */
  setKernel(kernel: string): string | null;
  undo(): void;
  redo(): void;
  setCursor(op: number, step?: number): void;
  setStep(step: number): void;
  /** Selects for the inspector; selecting something opens a folded inspector. */
  select(sel: Selection | null): void;
  setTheme(t: AppState['theme']): void;
  setStepping(on: boolean): void;
  /** Compares the scenario with its run under another era (null: stop comparing). */
  setCompareEra(era: string | null): void;
  dismissNotice(): void;
  /** Shows a banner (an action the UI refused or that failed), or clears it with null. */
  setNotice(text: string | null): void;
  /** The user resized a pane (undefined: back to the window's default). */
  resizePane(id: PaneId, size: number | undefined): void;
  /** The user folded or opened a pane. */
  setPaneCollapsed(id: PaneId, collapsed: boolean): void;
  setFocusMode(on: boolean): void;
  setAddingOp(open: boolean): void;
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
function build(doc: ScenarioDoc, trusted = false): { timeline: Timeline } | { error: string } {
  // Until the schema has loaded (scenario loadValidation: the page loads it with the first
  // outside document — a link, saved work, a dialog that takes input), only the page's own
  // controls can change the document (undo, the era picker, tours, the diagram's menu), and they
  // make documents of a valid one; the context rules run either way.
  const p = trusted || !validationLoaded() ? parseTrusted(doc) : parseScenario(doc);
  if (!p.ok) return { error: p.error };
  try {
    const opened = openTimeline(p.scenario);
    return opened.ok ? { timeline: opened.timeline } : { error: opened.error };
  } catch (e) {
    // A profile or model still being written may throw: refuse the change, keep the document.
    return { error: `the run failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The scenario run under `era` instead of its own (the Eras tab, the timeline's marks). */
function buildCompare(doc: ScenarioDoc, era: string | null, own: Timeline): AppState['compare'] {
  if (era === null || era === doc.kernel) return null;
  const b = build({ ...doc, version: VERSION, kernel: era });
  return 'error' in b ? b : { timeline: b.timeline, kinds: diffOps(own, b.timeline) };
}

export function createAppStore(
  initial: ScenarioDoc = seedStory,
  opts: { cursor?: Cursor | undefined; notice?: string | null; layout?: Layout } = {},
) {
  // A version-1 document that says "mainline" is kept upgraded (the era v6.11), so the page reads
  // one meaning of the kernel field; other version-1 documents mean the same and stay as they are.
  const start = pinDoc(initial);
  // The seed story is the page's own document: no schema check before the first paint.
  const first = build(start, initial === seedStory);
  if ('error' in first) throw new Error(`initial scenario is invalid: ${first.error}`);
  return createStore<Store>()((set, get) => {
    const apply = (given: ScenarioDoc, record: boolean, cursor?: Cursor): string | null => {
      const doc = pinDoc(given);
      const b = build(doc);
      if ('error' in b) return b.error;
      const s = get();
      const last = b.timeline.length - 1;
      set({
        doc,
        timeline: b.timeline,
        compare: buildCompare(doc, s.compareEra, b.timeline),
        compareEra: s.compareEra === doc.kernel ? null : s.compareEra,
        past: record ? [...s.past, s.doc].slice(-HISTORY) : s.past,
        future: record ? [] : s.future,
        cursor: cursor ?? { op: last, step: 0 },
        notice: null,
      });
      return null;
    };
    return {
      doc: start,
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
      compareEra: null,
      compare: null,
      layout: opts.layout ?? DEFAULT_LAYOUT,
      focusMode: false,
      addingOp: false,
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
        // The era ids are version 2's: "mainline" there is the newest era.
        const e = apply({ ...get().doc, version: VERSION, kernel }, true, get().cursor);
        if (e) set({ notice: `Kernel ${kernel}: ${e}` });
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
          compare: buildCompare(prev, s.compareEra, b.timeline),
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
          compare: buildCompare(next, s.compareEra, b.timeline),
          past: [...s.past, s.doc],
          future: s.future.slice(1),
          cursor: { op: b.timeline.length - 1, step: 0 },
        });
      },
      setCursor: (op, step = 0) =>
        set({ cursor: { op: Math.max(-1, Math.min(op, get().timeline.length - 1)), step } }),
      setStep: (step) => set({ cursor: { ...get().cursor, step } }),
      // Choosing something to inspect is asking to see it: a folded inspector opens (and stays
      // open, the user's choice, until folded again).
      select: (selection) =>
        set(
          selection
            ? { selection, layout: withCollapsed(get().layout, 'inspector', false) }
            : { selection },
        ),
      setTheme: (theme) => set({ theme }),
      setStepping: (stepping) => set({ stepping }),
      setCompareEra: (era) =>
        set({ compareEra: era, compare: buildCompare(get().doc, era, get().timeline) }),
      dismissNotice: () => set({ notice: null }),
      setNotice: (notice) => set({ notice }),
      resizePane: (id, size) => set({ layout: withSize(get().layout, id, size) }),
      setPaneCollapsed: (id, collapsed) =>
        set({ layout: withCollapsed(get().layout, id, collapsed) }),
      setFocusMode: (focusMode) => set({ focusMode }),
      setAddingOp: (addingOp) => set({ addingOp }),
      ...playbackSlice(set, get),
    };
  });
}

export type AppStore = ReturnType<typeof createAppStore>;
