// Every keyboard shortcut of the page, by section: the help overlay lists these. The App,
// Timeline and Form keys are handled in the shell and timeline; Diagram and Stepper keys are
// handled by those views (listed here so the overlay is the one place to learn them).
export interface Shortcut {
  readonly keys: readonly string[];
  readonly what: string;
}

export interface ShortcutSection {
  readonly title: string;
  readonly items: readonly Shortcut[];
}

export const SHORTCUTS: readonly ShortcutSection[] = [
  {
    title: 'Scenario',
    items: [
      { keys: ['n'], what: 'Open the “Add an op” dialog (Esc closes it)' },
      { keys: ['Enter'], what: 'Add the op (in the dialog)' },
      { keys: ['Ctrl+Z'], what: 'Undo' },
      { keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], what: 'Redo' },
      { keys: ['t'], what: 'Cycle the theme: system → light → dark' },
      { keys: ['?'], what: 'Show this help' },
      { keys: ['Esc'], what: 'Close this help' },
    ],
  },
  {
    title: 'Page',
    items: [
      { keys: ['f'], what: 'Focus mode: the diagram only (f or Esc leaves it)' },
      { keys: ['['], what: 'Fold / open the timeline' },
      { keys: [']'], what: 'Fold / open the inspector' },
      { keys: ['\\'], what: 'Fold / open the bottom panel (stepper, queues, caches, PASIDs)' },
      {
        keys: ['←', '→', '↑', '↓'],
        what: 'Resize a pane, when its separator has focus (Shift: larger steps; Enter folds it)',
      },
      {
        keys: ['F6', 'Shift+F6'],
        what: 'Next / previous region: diagram, stepper, timeline, inspector',
      },
      { keys: ['Tab'], what: 'From the top of the page: the skip links to each region' },
    ],
  },
  {
    title: 'Timeline',
    items: [
      { keys: ['j', 'k'], what: 'Next / previous op (the diagram shows the world after it)' },
      { keys: ['↓', '↑'], what: 'Next / previous op, when the timeline has focus' },
      { keys: ['Delete'], what: 'Delete the selected op (the rest replays)' },
      { keys: ['Alt+↑', 'Alt+↓'], what: 'Move the selected op up / down' },
    ],
  },
  {
    title: 'Diagram',
    items: [
      { keys: ['←', '→', '↑', '↓'], what: 'Pan, when the diagram has focus' },
      { keys: ['+', '-'], what: 'Zoom in / out' },
      { keys: ['0'], what: 'Fit the diagram to the view' },
      { keys: ['Enter', 'Space'], what: 'Activate the focused structure (inspect, fold)' },
      { keys: ['Shift+F10'], what: "The focused structure's actions menu" },
    ],
  },
  {
    title: 'Stepper',
    items: [
      {
        keys: ['←', '→'],
        what: 'Previous / next step of the op at the cursor (walk reads, fault flow, commands); not while a field, slider, tab list or the diagram has focus',
      },
      { keys: ['Space'], what: 'Play / pause the steps (speed 0.5×–8× in the Stepper tab)' },
      { keys: ['Home', 'End'], what: 'First / last step of the op' },
      { keys: ['Enter'], what: 'Go to the focused step in the Stepper’s lanes' },
    ],
  },
];

/** Keys typed into a text field are the field's, not shortcuts (Ctrl+Z undoes the typing). */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement)
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(
      target.type,
    );
  return false;
}

/** Letter keys also belong to a focused select (type-ahead picks an option). */
export const isTyping = (target: EventTarget | null): boolean =>
  isTextField(target) || target instanceof HTMLSelectElement;

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export const nextTheme = (t: Theme): Theme => THEMES[(THEMES.indexOf(t) + 1) % THEMES.length]!;
