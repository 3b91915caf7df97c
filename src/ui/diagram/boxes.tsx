// Which component draws which kind of box: one table, keyed by the layout's box kinds. A new
// kind of box (diagram/layoutTypes.ts Box) does not compile until it has its entry here. At
// 'summary' detail (the lens zoomed out) a card is one line of the same text size.
import type { ReactNode } from 'react';
import type { Box } from '../../diagram/index.ts';
import { CdTableCard } from './CdTableCard.tsx';
import { FramesCard } from './FramesCard.tsx';
import { DomainCard, OneLineCard, StrtabCard, SummaryCard } from './LensCards.tsx';
import { ProcessCard } from './ProcessCard.tsx';
import { StreamCard } from './StreamCard.tsx';
import { TreeCard } from './TreeCard.tsx';
import type { BoxProps } from './types.ts';

type BoxOf<K extends Box['kind']> = Extract<Box, { readonly kind: K }>;

const BOX_VIEWS: { readonly [K in Box['kind']]: (box: BoxOf<K>, p: BoxProps) => ReactNode } = {
  strtab: (box, p) => <StrtabCard box={box} {...p} />,
  stream: (box, p) => <StreamCard box={box} {...p} />,
  cdtable: (box, p) => <CdTableCard box={box} {...p} />,
  tree: (box, p) => <TreeCard box={box} {...p} />,
  // The frames list has nothing to select or fold: it takes only its box (so a new op's
  // changes or another selection do not redraw it).
  frames: (box) => <FramesCard box={box} />,
  process: (box, p) => <ProcessCard box={box} {...p} />,
  domain: (box, p) => <DomainCard box={box} {...p} />,
  summary: (box, p) => <SummaryCard box={box} {...p} />,
};

const view = <K extends Box['kind']>(box: BoxOf<K>, p: BoxProps): ReactNode =>
  BOX_VIEWS[box.kind](box, p);

/** A box, drawn by the component of its kind (one line at 'summary' detail). */
export function BoxView({ box, ...p }: BoxProps & { readonly box: Box }) {
  if ('detail' in box && box.detail === 'summary') return <OneLineCard box={box} {...p} />;
  return view(box, p);
}
