// The workspace: streams → CD tables → translation tables → frames, processes on the right, for
// the world after the op at the cursor, with what that op changed highlighted. React renders
// the SVG from the pure layout; d3-zoom (behind usePanZoom) only moves the stage holding it.
import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
} from 'react';
import { assertNever } from '../../engine/index.ts';
import { COLS, EMPTY_VIEW, G, type Box, type Layout, type ViewState } from '../../diagram/index.ts';
import type { Selection } from '../../state/index.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import { BoxView } from './boxes.tsx';
import { ContextMenu } from './ContextMenu.tsx';
import { ArrowMarkers, EdgeLayer } from './EdgeLayer.tsx';
import { ChangeSummary, Legend } from './Legend.tsx';
import { menuFor, type MenuItem } from './menuItems.ts';
import { selKey, type DiagramActions, type MenuTarget } from './types.ts';
import { useDiagramData } from './useDiagramData.ts';
import { StepLayer } from './StepLayer.tsx';
import { revealDelta } from './reveal.ts';
import { useStepInput, useStepMarks } from './useStepMarks.ts';
import { cssTransform, usePanZoom } from './usePanZoom.ts';
import './diagram.css';
import './nodes.css';

const LIMITS = { minZoom: 0.15, maxZoom: 3 };
const PAN_STEP = 80;

const toggled = (s: ReadonlySet<string>, id: string): Set<string> => {
  const n = new Set(s);
  if (!n.delete(id)) n.add(id);
  return n;
};

/** How far to pan so `r` sits inside `c` with a margin (0 when it already does). */
const boundsOf = (l: Layout) => ({ x: -12, y: -12, width: l.width + 24, height: l.height + 24 });

/** The box holding the selected structure, so only that box re-renders when selection moves. */
function selectedBox(boxes: readonly Box[], sel: Selection | null): string | null {
  if (sel?.kind !== 'memory') return null;
  const pa = sel.pa;
  return boxes.find((b) => holds(b, pa))?.id ?? null;
}

/** Whether a box draws the structure at `pa` as one of its selectable rows. */
function holds(b: Box, pa: bigint): boolean {
  switch (b.kind) {
    case 'stream':
      return b.stream.stePa === pa;
    case 'cdtable':
      return b.rows.some(
        (r) => (r.kind === 'cd' ? r.row.pa : r.kind === 'l1cd' ? r.l1.pa : -1n) === pa,
      );
    case 'tree':
      return b.rows.some((r) => r.kind === 'entry' && r.entry.pa === pa);
    case 'frames':
    case 'process':
    case 'vm':
      return false;
    default:
      return assertNever(b, 'box');
  }
}

export function DiagramView() {
  const store = useAppStore();
  const [view, setView] = useState<ViewState>(EMPTY_VIEW);
  // The stepper: every structure the op at the cursor touches is drawn (its tables opened), the
  // current step's row and the path so far are marked, and the current row is panned into view.
  const stepIn = useStepInput();
  const { model, layout, changes, op, timeline } = useDiagramData(
    view,
    stepIn.touched,
    stepIn.upTo,
  );
  const selection = useApp((s) => s.selection);
  const prefix = useId().replace(/:/g, '');
  const root = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLDivElement>(null);
  const stage = useRef<HTMLDivElement>(null);
  const pz = usePanZoom(canvas, stage, LIMITS);
  const [menu, setMenu] = useState<{
    target: MenuTarget;
    at: { x: number; y: number };
    from: Element;
  } | null>(null);

  const actions = useMemo<DiagramActions>(
    () => ({
      select: (sel) => store.getState().select(sel),
      toggle: (id) =>
        setView((v) =>
          id.includes('|')
            ? { ...v, expanded: toggled(v.expanded, id) }
            : { ...v, collapsed: toggled(v.collapsed, id) },
        ),
      showMore: (key, step) =>
        setView((v) => {
          const shown = new Map(v.shown);
          const base = key.includes('|') ? G.entriesStep : G.tablesStep;
          shown.set(key, (shown.get(key) ?? base) + step);
          return { ...v, shown };
        }),
      openMenu: (target, from) => {
        const r = from.getBoundingClientRect();
        const c = root.current?.getBoundingClientRect();
        setMenu({
          target,
          from,
          at: { x: r.left - (c?.left ?? 0), y: r.bottom - (c?.top ?? 0) + 2 },
        });
      },
    }),
    [store],
  );

  const fit = () => pz.current?.fit(boundsOf(layout), { maxScale: 1.5 });
  // First paint: as large as fits, but never so small the text cannot be read.
  const fitted = useRef(false);
  useEffect(() => {
    if (fitted.current || !pz.current) return;
    fitted.current = true;
    // Streams, CD tables and trees across the width, at a size the text stays readable at; the
    // frames and processes are a pan (or "Fit") away on a small screen. Not animated: StrictMode's
    // remount would interrupt the transition halfway.
    const b = { x: -12, y: -12, width: COLS.frames, height: 1 };
    pz.current.fit(b, { minScale: 0.72, maxScale: 1, animate: false, align: 'start' });
  }, [layout, pz]);

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const p = pz.current;
    if (!p || e.altKey || e.ctrlKey || e.metaKey) return;
    const pan: Record<string, [number, number]> = {
      ArrowLeft: [PAN_STEP, 0],
      ArrowRight: [-PAN_STEP, 0],
      ArrowUp: [0, PAN_STEP],
      ArrowDown: [0, -PAN_STEP],
    };
    const d = pan[e.key];
    if (d) p.panBy(d[0], d[1]);
    else if (e.key === '+' || e.key === '=') p.zoomBy(1.25);
    else if (e.key === '-' || e.key === '_') p.zoomBy(0.8);
    else if (e.key === '0') fit();
    else return;
    e.preventDefault();
  };

  // Tabbing to a node that is off screen brings it into view (the pane does not scroll). Not for
  // a mouse press: moving the node away under the pointer would swallow the click.
  const pointing = useRef(false);
  useEffect(() => {
    // Released anywhere (a drag can end outside the pane).
    const up = () => (pointing.current = false);
    window.addEventListener('pointerup', up, true);
    window.addEventListener('pointercancel', up, true);
    return () => {
      window.removeEventListener('pointerup', up, true);
      window.removeEventListener('pointercancel', up, true);
    };
  }, []);
  const onFocus = (e: FocusEvent<HTMLDivElement>) => {
    if (pointing.current || !(e.target instanceof SVGGraphicsElement)) return;
    const [dx, dy] = revealDelta(
      e.target.getBoundingClientRect(),
      e.currentTarget.getBoundingClientRect(),
    );
    if (dx || dy) pz.current?.panBy(dx, dy);
  };
  const step = useStepMarks(stepIn, layout, canvas, pz);

  const closeMenu = useCallback(() => {
    setMenu((m) => {
      if (m?.from instanceof SVGElement || m?.from instanceof HTMLElement) m.from.focus();
      return null;
    });
  }, []);
  const run = (it: MenuItem): string | null =>
    it.op ? store.getState().appendOp(it.op) : (it.disabled ?? null);

  const selBox = useMemo(() => selectedBox(layout.boxes, selection), [layout, selection]);
  const sel = selection?.kind === 'memory' ? selKey(selection.struct, selection.pa) : null;
  const between = useMemo(() => layout.edges.filter((e) => e.kind !== 'nest'), [layout]);
  const nested = useMemo(() => layout.edges.filter((e) => e.kind === 'nest'), [layout]);
  const by = changes.byId;

  return (
    <section className="dg" ref={root} aria-label="Structures diagram">
      <div className="dg-toolbar" role="toolbar" aria-label="Diagram view">
        <button
          type="button"
          onClick={() => fit()}
          aria-label="Fit diagram to view"
          title="Fit (0)"
        >
          Fit
        </button>
        <button
          type="button"
          onClick={() => pz.current?.zoomBy(1.25)}
          aria-label="Zoom in"
          title="Zoom in (+)"
        >
          +
        </button>
        <button
          type="button"
          onClick={() => pz.current?.zoomBy(0.8)}
          aria-label="Zoom out"
          title="Zoom out (−)"
        >
          −
        </button>
        <Legend vms={model.vms.length > 0} />
      </div>
      <ChangeSummary op={op} name={timeline.records[op]?.op.op} changes={changes} />
      <div
        className="dg-canvas"
        ref={canvas}
        data-testid="diagram"
        role="application"
        aria-roledescription="diagram"
        aria-label="SMMU structures: streams, CD tables, page tables, processes. Arrow keys pan, plus and minus zoom, 0 fits."
        tabIndex={0}
        onKeyDown={onKey}
        onFocus={onFocus}
        onPointerDownCapture={() => (pointing.current = true)}
      >
        <div
          ref={stage}
          className="dg-stage"
          data-testid="diagram-stage"
          style={pz.current ? { transform: cssTransform(pz.current.transform()) } : undefined}
        >
          <svg
            className="dg-svg"
            data-testid="diagram-svg"
            width={layout.width}
            height={layout.height}
          >
            <title>Streams, CD tables, translation tables and processes</title>
            <ArrowMarkers prefix={prefix} />
            <g data-testid="diagram-viewport">
              <EdgeLayer edges={between} changes={by} prefix={prefix} />
              {layout.boxes.map((b) => (
                <BoxView
                  key={b.id}
                  box={b}
                  changes={by}
                  selected={selBox === b.id ? sel : null}
                  actions={actions}
                />
              ))}
              <EdgeLayer edges={nested} changes={by} prefix={prefix} />
            </g>
          </svg>
          {/* The stepper's marks in an SVG of their own over the diagram: a step redraws only
              this small drawing, not the thousands of nodes under it. */}
          <svg
            className="dg-overlay"
            aria-hidden="true"
            width={layout.width}
            height={layout.height}
          >
            {step && <StepLayer marks={step.marks} anchors={layout.anchors} lane={step.lane} />}
          </svg>
        </div>
        {model.streams.length === 0 && model.processes.length === 0 && (
          <p className="dg-empty">No streams or processes yet: add a device or a process.</p>
        )}
      </div>
      {menu && (
        <ContextMenu
          menu={menuFor(menu.target, model)}
          at={menu.at}
          onRun={run}
          onClose={closeMenu}
        />
      )}
    </section>
  );
}
