// The bottom panel: the stepper, then queues, caches, PASIDs and the eras compared at the cursor, as an accessible
// tab list (arrow keys, Home and End move between tabs; only the selected tab is in the tab
// order). Moving the cursor to a device access or an op with a fault flow (a timeline click,
// "DMA here") selects the stepper; a tab the user picks on that op stays until the cursor moves.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { OpRecord } from '../../scenario/index.ts';
import { mayFault } from '../../diagram/index.ts';
import { ErasTab } from '../eras/ErasTab.tsx';
import { Stepper } from '../stepper/Stepper.tsx';
import { useStepper } from '../stepper/useStepper.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import { CachesTab } from './CachesTab.tsx';
import { PasidsTab } from './PasidsTab.tsx';
import { QueuesTab } from './QueuesTab.tsx';
import { PaneToggle } from '../shell/PaneToggle.tsx';
import './panels.css';

const TABS = [
  { id: 'stepper', label: 'Stepper', Body: Stepper },
  { id: 'queues', label: 'Queues', Body: QueuesTab },
  { id: 'caches', label: 'Caches', Body: CachesTab },
  { id: 'pasids', label: 'PASIDs', Body: PasidsTab },
  { id: 'eras', label: 'Eras', Body: ErasTab },
] as const;

type TabId = (typeof TABS)[number]['id'];

/** An op worth stepping through: a device access, or anything whose flow has a fault. */
const steppable = (r: OpRecord | undefined): boolean =>
  r !== undefined && (r.op.op === 'dma' || mayFault(r));

export function BottomPanel() {
  const store = useAppStore();
  useStepper(store); // the stepper's keys and play clock work whichever tab is shown
  const op = useApp((s) => s.cursor.op);
  const record = useApp((s) => s.timeline.records[s.cursor.op]);
  const [current, setCurrent] = useState<TabId>(() => (steppable(record) ? 'stepper' : 'queues'));
  // The stepper is chosen once per arrival at an op (state adjusted during render, React's
  // pattern for "reset when a prop changes"): re-renders on the same op keep the user's tab.
  const [shownFor, setShownFor] = useState(op);
  if (op !== shownFor) {
    setShownFor(op);
    if (steppable(record)) setCurrent('stepper');
  }
  // While the stepper is shown, the diagram draws the step's structures and path.
  useEffect(() => {
    store.getState().setStepping(current === 'stepper');
    return () => store.getState().setStepping(false);
  }, [store, current]);
  const refs = useRef(new Map<TabId, HTMLButtonElement>());
  const focusTab = (i: number) => {
    const t = TABS[(i + TABS.length) % TABS.length]!;
    setCurrent(t.id);
    refs.current.get(t.id)?.focus();
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = TABS.findIndex((t) => t.id === current);
    const to =
      e.key === 'ArrowRight'
        ? i + 1
        : e.key === 'ArrowLeft'
          ? i - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : undefined;
    if (to === undefined) return;
    e.preventDefault();
    focusTab(to);
  };
  const active = TABS.find((t) => t.id === current)!;
  return (
    <div className="panels" data-testid="panels">
      <div className="panels-bar">
        <div
          className="panels-tabs"
          role="tablist"
          aria-label="Hardware and kernel state"
          onKeyDown={onKey}
        >
          {TABS.map((t) => (
            <button
              key={t.id}
              ref={(el) => {
                if (el) refs.current.set(t.id, el);
                else refs.current.delete(t.id);
              }}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              data-testid={`tab-${t.id}`}
              aria-selected={t.id === current}
              aria-controls={`tabpanel-${t.id}`}
              tabIndex={t.id === current ? 0 : -1}
              onClick={() => setCurrent(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <PaneToggle pane="bottom" />
      </div>
      <div
        className="panels-body"
        role="tabpanel"
        id={`tabpanel-${active.id}`}
        aria-labelledby={`tab-${active.id}`}
        data-testid={`tabpanel-${active.id}`}
        tabIndex={-1}
      >
        <active.Body />
      </div>
    </div>
  );
}
