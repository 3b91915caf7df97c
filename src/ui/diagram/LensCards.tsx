// The lens's own boxes: the stream table (linear, or 2-level with the L1STDs on the chain), an
// iommu domain, a summary of what is folded off the chain ("3 more streams"), and the one-line
// form every card takes at 'summary' detail (semantic zoom: a card becomes a line, text keeps its
// size).
import { memo } from 'react';
import {
  count,
  G,
  hexu,
  plural,
  trunc,
  type Box,
  type DomainBox,
  type StrtabBox,
  type SummaryBox,
} from '../../diagram/index.ts';
import { Hit } from './Hit.tsx';
import { changeClass, selKey, testId, type BoxProps } from './types.ts';

export const StrtabCard = memo(function StrtabCard({
  box,
  changes,
  selected,
  actions,
}: BoxProps & { readonly box: StrtabBox }) {
  const t = box.strtab;
  const fmt = t.fmt === 'linear' ? 'linear' : '2-level';
  return (
    <g
      data-testid="strtab"
      className={`dg-box dg-strtab${changeClass(changes.get(t.id))}`}
      transform={`translate(${box.x},${box.y})`}
      role="group"
      aria-label={`Stream table, ${fmt} (split ${t.split}), ${plural(2 ** t.sidBits, 'StreamID')}, at ${hexu(t.base)}`}
    >
      <rect className="dg-frame" width={box.w} height={box.h} rx={4} />
      <text className="dg-title" x={G.pad} y={17}>
        Stream table
      </text>
      <text className="dg-mono dg-muted" x={box.w - G.pad} y={17} textAnchor="end">
        {fmt}
      </text>
      <title>{`Stream table at ${hexu(t.base)}: ${fmt}, SIDs below 2^${t.sidBits}; ${plural(box.streams, 'STE')} set up`}</title>
      {box.rows.map((r) => {
        if (r.kind === 'gap')
          return (
            <text key={r.id} className="dg-gap" x={G.pad} y={r.y + 13}>
              … {count(r.count)} other L1STDs
            </text>
          );
        const isSel = selected === selKey('l1std', r.l1.pa);
        const title = `L1STD ${r.l1.index}`;
        return (
          <Hit
            key={r.id}
            testId={testId(r.id)}
            label={`${title}: span ${r.l1.span}, level 2 at ${hexu(r.l1.l2)}`}
            x={2}
            y={r.y}
            w={box.w - 4}
            h={G.row}
            pressed={isSel}
            className={`dg-row dg-l1${changeClass(changes.get(r.id))}${isSel ? ' is-selected' : ''}`}
            onActivate={() =>
              actions.select({ kind: 'memory', struct: 'l1std', pa: r.l1.pa, title })
            }
          >
            <text className="dg-mono" x={G.pad - 2} y={13}>
              L1STD[{r.l1.index}] → {hexu(r.l1.l2)}
            </text>
          </Hit>
        );
      })}
    </g>
  );
});

export const DomainCard = memo(function DomainCard({
  box,
  changes,
  actions,
}: BoxProps & { readonly box: DomainBox }) {
  const d = box.domain;
  return (
    <Hit
      testId={testId(d.id)}
      label={`Domain ${d.name} (${d.type}): focus its chain`}
      x={box.x}
      y={box.y}
      w={box.w}
      h={box.h}
      className={`dg-card dg-domain${changeClass(changes.get(d.id))}`}
      onActivate={() => actions.focus({ kind: 'domain', name: d.name })}
    >
      <text className="dg-title" x={G.pad} y={17}>
        {trunc(`domain ${d.name}`, 20)}
      </text>
      <text className="dg-muted" x={box.w - G.pad} y={17} textAnchor="end">
        {d.type}
      </text>
      <text className="dg-muted" x={G.pad} y={36}>
        {trunc(
          `${plural(d.devices.length, 'device')} · ${plural(d.bound.length, 'PASID')}`,
          Math.floor((box.w - 2 * G.pad) / 6.4),
        )}
      </text>
    </Hit>
  );
});

export const SummaryCard = memo(function SummaryCard({
  box,
  actions,
}: BoxProps & { readonly box: SummaryBox }) {
  const names = box.names.join(', ');
  return (
    <Hit
      testId={`fold-${box.group.replace(/^more:/, '')}`}
      label={`${box.title}${box.open ? '' : `: ${names}`} (${box.open ? 'fold' : 'show'})`}
      x={box.x}
      y={box.y}
      w={box.w}
      h={box.h}
      expanded={box.open}
      className="dg-card dg-fold"
      onActivate={() => actions.fold(box.group)}
    >
      <text className="dg-twisty" x={G.pad} y={17}>
        {box.open ? '▾' : '▸'}
      </text>
      <text x={G.pad + 14} y={17}>
        {trunc(
          box.open ? box.title : `${box.title}: ${names}`,
          Math.floor((box.w - G.pad - 18) / 6.6),
        )}
      </text>
      <title>{names}</title>
    </Hit>
  );
});

/** What a card says on one line at 'summary' detail. */
function oneLine(b: Box): string {
  switch (b.kind) {
    case 'stream':
      return `${b.stream.dev} · SID ${hexu(b.stream.sid)}`;
    case 'cdtable':
      return `CD table ${b.table.domain} · ${plural(b.table.rows.length, 'CD')}`;
    case 'tree':
      return `tables ${hexu(b.tree.root)} · ${plural(b.tree.tables.length, 'table')}`;
    case 'process':
      return `${b.proc.name} · pid ${b.proc.pid}`;
    case 'domain':
      return `domain ${b.domain.name}`;
    case 'strtab':
      return `Stream table · ${b.strtab.fmt === 'linear' ? 'linear' : '2-level'}`;
    default:
      return b.id;
  }
}

/** Any card at 'summary' detail: one line; activating it focuses the lens on its chain. */
export function OneLineCard({ box, actions }: BoxProps & { readonly box: Box }) {
  const text = oneLine(box);
  const focus = () => {
    if (box.kind === 'stream') actions.focus({ kind: 'device', sid: box.stream.sid });
    else if (box.kind === 'process') actions.focus({ kind: 'process', name: box.proc.name });
    else if (box.kind === 'domain') actions.focus({ kind: 'domain', name: box.domain.name });
  };
  return (
    <Hit
      testId={`${testId(box.kind === 'strtab' ? 'strtab' : box.id)}`}
      label={text}
      x={box.x}
      y={box.y}
      w={box.w}
      h={box.h}
      className={`dg-card dg-oneline dg-kind-${box.kind}`}
      onActivate={focus}
    >
      <text x={G.pad} y={17}>
        {trunc(text, Math.floor((box.w - 2 * G.pad) / 6.6))}
      </text>
    </Hit>
  );
}
