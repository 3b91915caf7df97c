// What the diagram's boxes can ask of the view: select a structure for the inspector, fold or
// open a part, list more of a long list, or open the actions menu of a node.
import type { Selection } from '../../state/index.ts';
import type {
  CdRow,
  ChangeKind,
  LensFocus,
  ProcessNode,
  StreamNode,
  TreeEntry,
} from '../../diagram/index.ts';

/** What an actions menu is for: every focusable card and row names one (Shift+F10 opens it). */
export type MenuTarget =
  | { readonly kind: 'process'; readonly proc: ProcessNode }
  | { readonly kind: 'stream'; readonly stream: StreamNode }
  | { readonly kind: 'cdtable'; readonly table: string }
  | { readonly kind: 'tree'; readonly tree: string }
  | { readonly kind: 'cd'; readonly table: string; readonly row: CdRow }
  | {
      readonly kind: 'entry';
      readonly tree: string;
      readonly entry: TreeEntry;
      readonly level: number;
    };

export interface DiagramActions {
  select(sel: Selection): void;
  /** Folds/unfolds a CD table or tree (by id), or opens/closes a table page (by table key). */
  toggle(id: string): void;
  /** Lists `step` more entries of a table (table key) or tables of a tree (tree id). */
  showMore(key: string, step: number): void;
  openMenu(target: MenuTarget, from: Element): void;
  /** Opens or closes a fold of the lens (a summary group, a chain table's other rows). */
  fold(group: string): void;
  /** Focuses the lens on a thing's chain (a device, a CD row, a process, a domain). */
  focus(f: LensFocus): void;
  /** Opens the glossary definitions of the terms a card shows, beside `from` (its "?"). */
  gloss(terms: readonly string[], from: Element): void;
}

/** The props every box gets besides its layout: the op's changes and the selection inside it. */
export interface BoxProps {
  readonly changes: ReadonlyMap<string, ChangeKind>;
  /** `${struct}@${pa hex}` of the selection when it lies in this box, else null. */
  readonly selected: string | null;
  readonly actions: DiagramActions;
}

export const selKey = (struct: string, pa: bigint): string => `${struct}@${pa.toString(16)}`;

/** Model id → data-testid: ste:16 → ste-16, cdt:media → cdtable-media, pt:… → table-…. */
const PREFIX: Readonly<Record<string, string>> = {
  cdt: 'cdtable',
  pt: 'table',
  pte: 'entry',
  run: 'run',
};
/** Ids seen before: the whole diagram asks again for thousands of rows and arrows per op. */
const testIds = new Map<string, string>();

export function testId(id: string): string {
  let t = testIds.get(id);
  if (t !== undefined) return t;
  const [kind, ...rest] = id.split(':');
  t = [PREFIX[kind ?? ''] ?? kind ?? '', ...rest].join('-');
  if (testIds.size >= 50_000) testIds.clear();
  testIds.set(id, t);
  return t;
}

export const changeClass = (k: ChangeKind | undefined): string => (k ? ` is-${k}` : '');
