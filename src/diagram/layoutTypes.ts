// The positioned shapes the diagram renders: boxes (one per stream, CD table, tree, frame list and
// process) with their rows, and edges with ready-made SVG path strings. Pure data, no React.
// Box x/y are diagram coordinates; a row's y is relative to its box's top, so a box can be drawn
// as one translated group.
import type { CdRow, CdTableNode, ProcessNode, StreamNode, TreeNode, TreeRole } from './model.ts';
import type { DomainNode, L1stdRow, StrtabNode } from './modelTables.ts';
import type { VmNode } from './modelVm.ts';
import type { TreeEntry, TreeTable } from './tree.ts';

export interface Pt {
  readonly x: number;
  readonly y: number;
}

/** The left and right middle of a row or header: where edges start and end. */
export interface Anchor {
  readonly l: Pt;
  readonly r: Pt;
}

/**
 * How much a box shows (semantic zoom): a one-line summary, a compact card with the rows on the
 * chain in focus, or every row and field.
 */
export type Detail = 'summary' | 'cards' | 'rows';

interface BoxBase {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface StreamBox extends BoxBase {
  readonly kind: 'stream';
  readonly stream: StreamNode;
  readonly detail: Detail;
  /** A nested STE (lens): the guest STE it was built from, its vSID and VM. */
  readonly guest?: {
    readonly vm: string;
    readonly vsid: number | undefined;
    readonly ste: readonly bigint[];
  };
}

export type StrtabRow =
  | { readonly kind: 'l1std'; readonly id: string; readonly y: number; readonly l1: L1stdRow }
  | { readonly kind: 'gap'; readonly id: string; readonly y: number; readonly count: number };

/** The stream table: linear, or 2-level with its L1STDs; the STE cards hang off it. */
export interface StrtabBox extends BoxBase {
  readonly kind: 'strtab';
  readonly strtab: StrtabNode;
  readonly rows: readonly StrtabRow[];
  readonly detail: Detail;
  /** Streams (STEs) the kernel set up. */
  readonly streams: number;
}

/** What is off the chain, folded: "4 more streams" with their names; opens on demand. */
export interface SummaryBox extends BoxBase {
  readonly kind: 'summary';
  /** The group it folds (the view's `open` set toggles it). */
  readonly group: string;
  readonly title: string;
  readonly names: readonly string[];
  readonly open: boolean;
  /** Folded items the op at the cursor changed. */
  readonly changed: number;
}

export interface DomainBox extends BoxBase {
  readonly kind: 'domain';
  readonly domain: DomainNode;
  readonly detail: Detail;
}

export type CdTableRow =
  | {
      readonly kind: 'l1cd';
      readonly id: string;
      readonly y: number;
      readonly l1: CdTableNode['l1'][number];
    }
  | { readonly kind: 'cd'; readonly id: string; readonly y: number; readonly row: CdRow }
  | { readonly kind: 'gap'; readonly id: string; readonly y: number; readonly count: number }
  /** Valid CDs off the chain, folded ("… 2 more CDs"): opens the table's rows. */
  | {
      readonly kind: 'fold';
      readonly id: string;
      readonly y: number;
      readonly count: number;
      readonly invalid: number;
      readonly target: string;
    };

export interface CdTableBox extends BoxBase {
  readonly kind: 'cdtable';
  readonly table: CdTableNode;
  readonly collapsed: boolean;
  readonly rows: readonly CdTableRow[];
  /** Device names of the streams whose STE points here. */
  readonly devs: readonly string[];
  readonly detail: Detail;
}

export type TreeRow =
  | {
      readonly kind: 'table';
      readonly id: string;
      readonly y: number;
      readonly depth: number;
      readonly table: TreeTable;
      readonly expanded: boolean;
      /** Entries a full table page holds at this level (for "3 / 512 valid"). */
      readonly capacity: number;
    }
  | {
      readonly kind: 'entry';
      readonly id: string;
      readonly y: number;
      readonly depth: number;
      readonly entry: TreeEntry;
      readonly level: number;
    }
  | {
      readonly kind: 'more';
      readonly id: string;
      readonly y: number;
      readonly depth: number;
      /** The table (more entries) or tree (more tables) the expander grows. */
      readonly target: string;
      readonly hidden: number;
      readonly what: 'entries' | 'tables';
    }
  /**
   * One level of a walk on the chain: the table page and the entry read in it, on one row (its id
   * is the entry's; the table's id anchors here too).
   */
  | {
      readonly kind: 'walk';
      readonly id: string;
      readonly y: number;
      readonly depth: number;
      readonly table: TreeTable;
      readonly entry: TreeEntry;
      readonly level: number;
      readonly capacity: number;
    }
  /** Tables off the chain, folded ("… 3 more tables"): opens the tree's rows. */
  | {
      readonly kind: 'fold';
      readonly id: string;
      readonly y: number;
      readonly depth: number;
      readonly count: number;
      readonly target: string;
    };

export interface TreeBox extends BoxBase {
  readonly kind: 'tree';
  readonly tree: TreeNode;
  readonly collapsed: boolean;
  readonly rows: readonly TreeRow[];
  /** Streams that reach this tree through a CD (a global io-pgtable has several). */
  readonly streams: number;
  readonly detail: Detail;
}

export interface FrameRun {
  readonly id: string;
  readonly y: number;
  readonly pa: bigint;
  readonly bytes: bigint;
  readonly leaves: number;
}

export interface FramesBox extends BoxBase {
  readonly kind: 'frames';
  readonly tree: string;
  readonly runs: readonly FrameRun[];
  /** Runs not listed ("… N more runs"). */
  readonly more: number;
}

export interface ProcessBox extends BoxBase {
  readonly kind: 'process';
  readonly proc: ProcessNode;
  readonly vmasShown: number;
  readonly detail: Detail;
}

/** A VM: the region its guest's structures are drawn in, with the VM's header. */
export interface VmBox extends BoxBase {
  readonly kind: 'vm';
  readonly vm: VmNode;
  /** Height of the header (name, VMID, RAM, vSMMUs) above the region's boxes. */
  readonly head: number;
  /** The lens draws a VM as an owner card (name, VMID, RAM, vSMMUs), not a region. */
  readonly card?: Detail;
}

export type Box =
  | StrtabBox
  | StreamBox
  | CdTableBox
  | TreeBox
  | FramesBox
  | ProcessBox
  | DomainBox
  | SummaryBox
  | VmBox;

/** ste: STE → CD table; cd: CD row → tree; mm: process → its tree; own: domain → its
 * io-pgtable; nest: table → next table inside a tree; leaf: leaf → frames; hang: stream table (or
 * its L1STD) → STE; s2: a nested STE → its VM's stage-2 tree. */
export type EdgeKind = 'ste' | 'cd' | 'mm' | 'own' | 'nest' | 'leaf' | 'hang' | 's2';

export interface Edge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** The role of the tree a cd/mm edge points at (its colour). */
  readonly role?: TreeRole;
  readonly d: string;
  readonly src: Pt;
  readonly dst: Pt;
}

export interface Layout {
  readonly boxes: readonly Box[];
  readonly edges: readonly Edge[];
  readonly anchors: ReadonlyMap<string, Anchor>;
  readonly width: number;
  readonly height: number;
  /** How much the boxes show. */
  readonly detail: Detail;
  /** The bounding box of the chain in focus (what Fit fits), if there is one. */
  readonly chain: Bounds | undefined;
}

export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What the user opened or closed; everything else uses the defaults. */
export interface ViewState {
  /** CD tables and trees folded to their header. */
  readonly collapsed: ReadonlySet<string>;
  /** Table pages opened to show their entries (keyed `${treeId}|${tableId}`). */
  readonly expanded: ReadonlySet<string>;
  /** How many entries (per table key) or tables (per tree id) to list. */
  readonly shown: ReadonlyMap<string, number>;
  /** Folds the user opened: summary groups, and the off-chain rows of a chain's table or tree. */
  readonly open: ReadonlySet<string>;
}

export const EMPTY_VIEW: ViewState = {
  collapsed: new Set(),
  expanded: new Set(),
  shown: new Map(),
  open: new Set(),
};

/** Geometry constants shared by the layout and the components that draw it. */
export const G = {
  pad: 8,
  row: 18,
  colGap: 52,
  nodeGap: 16,
  indent: 12,
  streamW: 196,
  streamH: 66,
  cdtW: 330,
  cdtHead: 54,
  treeW: 360,
  treeHead: 58,
  framesGap: 32,
  framesW: 170,
  framesHead: 24,
  procW: 240,
  procHead: 58,
  /** Entries listed when a table page opens; "… N more" adds this many again. */
  entriesStep: 32,
  tablesStep: 48,
  runsMax: 8,
  vmasMax: 4,
  /** VM region: header lines, and the margin around its boxes. */
  vmLine: 16,
  vmMargin: 14,
} as const;

/** A table page's row key: the same table PA can only appear once per tree. */
export const tableKey = (tree: string, table: string): string => `${tree}|${table}`;
