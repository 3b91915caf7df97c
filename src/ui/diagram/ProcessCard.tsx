// A process: name, pid, its ASID (pinned while the SMMU shares it), its PASID and VMAs. Its mm's
// page tables are drawn as a tree to the left; "⋯" offers binding it to a device or unbinding it.
import { memo } from 'react';
import { G, hexu, plural, sizeName, trunc, type ProcessBox } from '../../diagram/index.ts';
import { Hit, MoreButton } from './Hit.tsx';
import { changeClass, testId, type BoxProps } from './types.ts';

export const ProcessCard = memo(function ProcessCard({
  box,
  changes,
  actions,
}: BoxProps & { readonly box: ProcessBox }) {
  const p = box.proc;
  const vh = G.row - 2;
  const hidden = p.vmas.length - box.vmasShown;
  // Mono 11 px runs about 6.6 px a character: a range too long for the card prints its size.
  const fits = (t: string) => t.length * 6.6 <= box.w - G.pad - 4;
  return (
    <g
      data-testid={testId(p.id)}
      className={`dg-box dg-proc${changeClass(changes.get(p.id))}`}
      transform={`translate(${box.x},${box.y})`}
      role="group"
      aria-label={`Process ${p.name}, pid ${p.pid}, ASID ${p.asid}${p.pasid !== undefined ? `, PASID ${p.pasid}` : ''}`}
    >
      <rect className="dg-frame" width={box.w} height={box.h} rx={4} />
      <rect className="dg-head-band" width={box.w} height={26} rx={4} />
      <Hit
        testId={`focus-${testId(p.id)}`}
        label={`Process ${p.name}: focus its chain`}
        x={0}
        y={0}
        w={box.w - 26}
        h={26}
        className="dg-head"
        onActivate={() => actions.focus({ kind: 'process', name: p.name })}
      >
        <text className="dg-title" x={G.pad} y={17}>
          {trunc(p.name, 20)}
        </text>
      </Hit>
      <text className="dg-mono dg-small dg-muted" x={box.w - 28} y={17} textAnchor="end">
        pid {p.pid}
      </text>
      <MoreButton
        testId={`menu-${testId(p.id)}`}
        label={`Actions for process ${p.name}`}
        x={box.w - 22}
        y={6}
        onOpen={(el) => actions.openMenu({ kind: 'process', proc: p }, el)}
      />
      <text className="dg-mono dg-small" x={G.pad} y={40}>
        <tspan className="dg-muted">ASID </tspan>
        {p.asid}
        {p.asidPinned ? ' (pinned)' : ''}
        <tspan className="dg-muted"> · PASID </tspan>
        {p.pasid ?? '—'}
      </text>
      <text className="dg-small dg-muted" x={G.pad} y={54}>
        {plural(p.vmas.length, 'VMA')} · {plural(p.pages, 'page')} resident
        {p.pinned ? ` · ${p.pinned} pinned` : ''}
      </text>
      {p.vmas.slice(0, box.vmasShown).map((v, i) => {
        const range = `${hexu(v.start)}–${hexu(v.end)} ${v.prot}`;
        const text = fits(range)
          ? range
          : `${hexu(v.start)} +${sizeName(v.end - v.start)} ${v.prot}`;
        const name = v.name === undefined ? '' : trunc(v.name.split('/').pop() || v.name, 14);
        return (
          <text
            key={`${v.start}`}
            className="dg-mono dg-tiny"
            x={G.pad}
            y={G.procHead + i * vh + 11}
          >
            {text}
            {name && fits(`${text} ${name}`) && <tspan className="dg-muted"> {name}</tspan>}
            <title>{`${range}${v.name !== undefined ? ` ${v.name}` : ''}`}</title>
          </text>
        );
      })}
      {hidden > 0 && (
        <text className="dg-gap" x={G.pad} y={G.procHead + box.vmasShown * vh + 11}>
          … {plural(hidden, 'more VMA')}
        </text>
      )}
    </g>
  );
});
