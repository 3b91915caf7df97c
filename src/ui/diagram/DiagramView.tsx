// The workspace: streams → CD tables → translation tables → frames, processes on the right, for
// the world after the op at the cursor, with what that op changed highlighted. React renders
// the SVG from the pure layout; d3-zoom (behind usePanZoom) only moves the stage holding it.
import {
  Fragment,
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
import {
  COLS,
  DETAILS,
  EMPTY_VIEW,
  fitsPane,
  G,
  type Box,
  type Layout,
  type ViewState,
} from '../../diagram/index.ts';
import type { Selection } from '../../state/index.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import { TermsCard } from '../learn/index.ts';
import { BoxView } from './boxes.tsx';
import { GlossMark } from './GlossMark.tsx';
import { below, useTerms } from './useTerms.ts';
import { ContextMenu } from './ContextMenu.tsx';
import { ArrowMarkers, EdgeLayer } from './EdgeLayer.tsx';
import { ChangeSummary } from './Legend.tsx';
import { LensBar, Overview } from './LensBar.tsx';
import { focusOfSelection, useLens } from './useLens.ts';
import { menuFor, type MenuItem } from './menuItems.ts';
import { selKey, type DiagramActions, type MenuTarget } from './types.ts';
import { useDiagramData } from './useDiagramData.ts';
import { StepLayer } from './StepLayer.tsx';
import { revealDelta } from './reveal.ts';
import { useStepInput, useStepMarks } from './useStepMarks.ts';
import { cssTransform, usePanZoom } from './usePanZoom.ts';
import { useRoom } from './useRoom.ts';
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
const whole = (l: Layout) => ({ x: 0, y: 0, width: l.width, height: l.height });
const boundsOf = (l: Layout) => ({ x: -12, y: -12, width: l.width + 24, height: l.height + 24 });
const pad = (b: { x: number; y: number; width: number; height: number }) => ({
  x: b.x - 8,
  y: b.y - 8,
  width: b.width + 16,
  height: b.height + 16,
});

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
      return b.rows.some((r) => (r.kind === 'entry' || r.kind === 'walk') && r.entry.pa === pa);
    case 'strtab':
      return b.rows.some((r) => r.kind === 'l1std' && r.l1.pa === pa);
    case 'frames':
    case 'process':
    case 'domain':
    case 'summary':
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
  const root = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLDivElement>(null);
  const lens = useLens(canvas);
  const {
    model,
    layout,
    changes,
    op,
    timeline,
    chain,
    view: shown,
  } = useDiagramData(view, stepIn.touched, stepIn.upTo, lens);
  const selection = useApp((s) => s.selection);
  const setFocus = lens.setFocus;
  // Selecting an STE or a CD (here or in another view) focuses the lens on its chain.
  useEffect(() => {
    const f = focusOfSelection(model, selection);
    if (f) setFocus(f);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on a new selection only
  }, [selection]);
  const prefix = useId().replace(/:/g, '');
  const stage = useRef<HTMLDivElement>(null);
  const pz = usePanZoom(canvas, stage, LIMITS);
  const [menu, setMenu] = useState<{
    target: MenuTarget;
    at: { x: number; y: number };
    from: Element;
  } | null>(null);

  const { terms, setTerms, close: closeTerms } = useTerms();

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
      fold: (group) => setView((v) => ({ ...v, open: toggled(v.open, group) })),
      focus: (f) => setFocus(f),
      openMenu: (target, from) => setMenu({ target, from, at: below(from, root.current) }),
      gloss: (what, from) => setTerms({ what, from, at: below(from, root.current) }),
    }),
    [store, setFocus, setTerms],
  );

  // The lens never scales text below its size (11 px and up): Fit fits the chain in focus, and
  // zooming out past scale 1 trades detail for room instead (semantic zoom).
  const inLens = layout.chain !== undefined || lens.mode === 'lens';
  useEffect(() => pz.current?.update({ minZoom: inLens ? 1 : LIMITS.minZoom }), [inLens, pz]);
  // Fit may enlarge a small chain a little; following a new chain (or a detail step) keeps
  // scale 1, so zooming out to summaries never zooms the page in.
  // When the whole lens (chain and the context around it) fits the pane, Fit shows all of it.
  const fit = (animate = true, maxScale = 1.25) =>
    layout.chain
      ? pz.current?.fit(fitsPane(layout, lens) ? whole(layout) : pad(layout.chain), {
          minScale: 1,
          maxScale,
          animate,
          align: 'center',
        })
      : pz.current?.fit(boundsOf(layout), { maxScale: 1.5 });
  const zoom = (factor: number) => {
    const k = pz.current?.transform().k ?? 1;
    const i = DETAILS.indexOf(lens.detail);
    if (inLens && factor < 1 && k * factor < 1 && i > 0) lens.setDetail(DETAILS[i - 1]!);
    else if (inLens && factor > 1 && k * factor > 1.2 && i < DETAILS.length - 1)
      lens.setDetail(DETAILS[i + 1]!);
    else pz.current?.zoomBy(factor);
  };
  // The lens follows the chain: a new chain (another op, another focus) is fitted at once.
  const chainKey = layout.chain
    ? `${op}|${JSON.stringify(lens.focus)}|${lens.detail}|${Math.round(lens.avail / 40)}|${Math.round(lens.availH / 40)}`
    : '';
  useEffect(() => {
    if (chainKey && layout.chain) fit(false, 1);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refit on a new chain only
  }, [chainKey]);
  // First paint: as large as fits, but never so small the text cannot be read.
  const fitted = useRef(false);
  useEffect(() => {
    if (fitted.current || !pz.current || layout.chain) return;
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
    else if (e.key === '+' || e.key === '=') zoom(1.25);
    else if (e.key === '-' || e.key === '_') zoom(0.8);
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
  const room = useRoom(layout);

  return (
    <section className={`dg${inLens ? ' is-lens' : ''}`} ref={root} aria-label="Structures diagram">
      <LensBar lens={lens} onFit={() => fit()} onZoom={zoom} vms={model.vms.length > 0} />
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
            width={room.width}
            height={room.height}
            data-width={layout.width}
            data-height={layout.height}
          >
            <title>Streams, CD tables, translation tables and processes</title>
            <ArrowMarkers prefix={prefix} />
            <g data-testid="diagram-viewport">
              <EdgeLayer edges={between} changes={by} prefix={prefix} />
              {layout.boxes.map((b) => (
                <Fragment key={b.id}>
                  <BoxView
                    box={b}
                    changes={by}
                    selected={selBox === b.id ? sel : null}
                    actions={actions}
                  />
                  <GlossMark box={b} actions={actions} />
                </Fragment>
              ))}
              <EdgeLayer edges={nested} changes={by} prefix={prefix} />
            </g>
          </svg>
          {/* The stepper's marks in an SVG of their own over the diagram: a step redraws only
              this small drawing, not the thousands of nodes under it. */}
          <svg className="dg-overlay" aria-hidden="true" width={room.width} height={room.height}>
            {step && <StepLayer marks={step.marks} anchors={layout.anchors} lane={step.lane} />}
          </svg>
        </div>
        {model.streams.length === 0 && model.processes.length === 0 && (
          <p className="dg-empty">No streams or processes yet: add a device or a process.</p>
        )}
      </div>
      {chain && (
        <Overview
          model={model}
          chain={chain}
          lens={lens}
          view={shown}
          onFold={(g) => actions.fold(g)}
        />
      )}
      {menu && (
        <ContextMenu
          menu={menuFor(menu.target, model)}
          at={menu.at}
          onRun={run}
          onClose={closeMenu}
        />
      )}
      {terms && <TermsCard terms={terms.what} at={terms.at} onClose={closeTerms} />}
    </section>
  );
}
