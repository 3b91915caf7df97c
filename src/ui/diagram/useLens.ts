// The lens's state in the diagram pane: whether it shows the chain in focus or every structure,
// what is in focus (the op at the cursor until the user selects a device, a CD row, a process or
// a domain), the detail semantic zoom has reached, and the pane's width (a narrow pane wraps the
// lens into two bands). Selecting an STE or a CD in the diagram or the inspector focuses its chain;
// moving the cursor to another op gives the focus back to the op.
import { useCallback, useEffect, useState, type RefObject } from 'react';
import type { Detail, DiagramModel, LensFocus, Selection } from '../../diagram/index.ts';
import { useApp } from '../storeContext.ts';

export type LensMode = 'lens' | 'all';

const MODE_KEY = 'sva.diagram.mode';
const OP_FOCUS: LensFocus = { kind: 'op' };

export interface LensState {
  readonly mode: LensMode;
  readonly focus: LensFocus;
  readonly detail: Detail;
  readonly avail: number;
  /** The pane's height: room the lens may fill with context (lensContext.ts). */
  readonly availH: number;
}

export interface Lens extends LensState {
  readonly setMode: (m: LensMode) => void;
  readonly setFocus: (f: LensFocus) => void;
  readonly setDetail: (d: Detail) => void;
}

function storedMode(): LensMode {
  try {
    return localStorage.getItem(MODE_KEY) === 'all' ? 'all' : 'lens';
  } catch {
    return 'lens';
  }
}

/** The chain a selection names: an STE's device, a CD's row (else none). */
export function focusOfSelection(m: DiagramModel, sel: Selection | null): LensFocus | undefined {
  if (sel?.kind !== 'memory') return undefined;
  if (sel.struct === 'ste') {
    const s = m.streams.find((x) => x.stePa === sel.pa);
    return s ? { kind: 'device', sid: s.sid } : undefined;
  }
  if (sel.struct === 'cd')
    for (const t of m.cdTables) {
      const r = t.rows.find((x) => x.pa === sel.pa);
      if (r) return { kind: 'cd', id: r.id };
    }
  return undefined;
}

export function useLens(canvas: RefObject<HTMLElement | null>): Lens {
  const [mode, setModeState] = useState<LensMode>(storedMode);
  // A focus the user chose holds while the cursor stays on the op it was chosen at.
  const [chosen, setChosen] = useState<{ focus: LensFocus; at: unknown; op: number } | null>(null);
  const [detail, setDetail] = useState<Detail>('cards');
  const [avail, setAvail] = useState(990);
  const [availH, setAvailH] = useState(450);
  const op = useApp((s) => s.cursor.op);
  const timeline = useApp((s) => s.timeline);

  // Another op (or another scenario): the lens follows the op at the cursor again. One object, so
  // the chain and layout memoised on the focus are not rebuilt on every render.
  const focus: LensFocus =
    chosen && chosen.op === op && chosen.at === timeline ? chosen.focus : OP_FOCUS;
  const setFocus = useCallback(
    (f: LensFocus) => setChosen({ focus: f, at: timeline, op }),
    [timeline, op],
  );

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const measure = () => {
      setAvail(el.clientWidth || 990);
      setAvailH(el.clientHeight || 450);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [canvas]);

  const setMode = (m: LensMode): void => {
    setModeState(m);
    try {
      localStorage.setItem(MODE_KEY, m);
    } catch {
      // Storage refused (private mode): the choice lasts this session.
    }
  };
  return { mode, focus, detail, avail, availH, setMode, setFocus, setDetail };
}
