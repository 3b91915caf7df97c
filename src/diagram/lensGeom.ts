// The lens's geometry at each detail (semantic zoom): column widths and the heights of each kind
// of card. Text is 11 CSS px or more everywhere; zooming out trades rows and fields for room, it
// never shrinks the text (a card becomes a one-line summary instead).
import { G, type Detail } from './layoutTypes.ts';

export interface DetailGeom {
  readonly streamW: number;
  readonly cdtW: number;
  readonly treeW: number;
  /** Frames and owners (processes, domains) share the last column. */
  readonly sideW: number;
  readonly gap: number;
  /** Heights of the header part of each card (rows come below at G.row each). */
  readonly strtabHead: number;
  readonly streamH: number;
  readonly cdtHead: number;
  readonly treeHead: number;
  readonly framesHead: number;
  readonly procH: number;
  readonly domainH: number;
  readonly summaryH: number;
}

/** A one-line card is this tall. */
export const LINE = 26;
/** STE cards hang off the stream table, indented by this much. */
export const HANG = 12;
/** Space between stacked boxes in a column, and between the two bands of a wrapped layout. */
export const STACK = 12;
export const BAND = 20;

// Card headers keep the full diagram's heights (G), so one set of card components draws both;
// the lens narrows the columns so the whole chain fits a 990 px pane at scale 1.
const CARD = {
  strtabHead: 26,
  streamH: G.streamH,
  cdtHead: G.cdtHead,
  treeHead: G.treeHead,
  framesHead: G.framesHead,
  procH: G.procHead,
  domainH: 46,
  summaryH: LINE,
};

export const GEOM: Readonly<Record<Detail, DetailGeom>> = {
  summary: {
    streamW: 168,
    cdtW: 184,
    treeW: 214,
    sideW: 176,
    gap: 24,
    strtabHead: LINE,
    streamH: LINE,
    cdtHead: LINE,
    treeHead: LINE,
    framesHead: LINE,
    procH: LINE,
    domainH: LINE,
    summaryH: LINE,
  },
  // Compact cards: a stream card without its capabilities line, a tree card without its owners
  // line (the owners are drawn beside it as cards).
  cards: {
    streamW: 180,
    cdtW: 240,
    treeW: 290,
    sideW: 184,
    // 948 px with the fit margins inside a 990 px pane (1280×720 with the inspector as a rail).
    gap: 18,
    ...CARD,
    streamH: 48,
    treeHead: 42,
  },
  rows: { streamW: 208, cdtW: 330, treeW: 360, sideW: 240, gap: 40, ...CARD },
};

/** Column x positions of one band (or of the whole layout when it does not wrap). */
export function columns(g: DetailGeom): {
  stream: number;
  cdt: number;
  tree: number;
  side: number;
  right: number;
} {
  const stream = 0;
  const cdt = stream + g.streamW + g.gap;
  const tree = cdt + g.cdtW + g.gap;
  const side = tree + g.treeW + g.gap;
  return { stream, cdt, tree, side, right: side + g.sideW };
}

export const ROW = G.row;

/** The ladder semantic zoom moves along: least to most detail. */
export const DETAILS: readonly Detail[] = ['summary', 'cards', 'rows'];
