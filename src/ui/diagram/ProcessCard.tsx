// A process: name, pid, its ASID (pinned while the SMMU shares it), its PASID and VMAs. Its mm's
// page tables are drawn as a tree to the left; "⋯" offers binding it to a device or unbinding it.
import { memo } from 'react';
import { G, hexu, plural, trunc, type ProcessBox } from '../../diagram/index.ts';
import { MoreButton } from './Hit.tsx';
import { changeClass, testId, type BoxProps } from './types.ts';

export const ProcessCard = memo(function ProcessCard({
  box,
  changes,
  actions,
}: BoxProps & { readonly box: ProcessBox }) {
  const p = box.proc;
  const vh = G.row - 2;
  const hidden = p.vmas.length - box.vmasShown;
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
      <text className="dg-title" x={G.pad} y={17}>
        {trunc(p.name, 20)}
      </text>
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
      {p.vmas.slice(0, box.vmasShown).map((v, i) => (
        <text key={`${v.start}`} className="dg-mono dg-tiny" x={G.pad} y={G.procHead + i * vh + 11}>
          {hexu(v.start)}–{hexu(v.end)} {v.prot}
          {v.name !== undefined && (
            <tspan className="dg-muted"> {trunc(v.name.split('/').pop() || v.name, 14)}</tspan>
          )}
        </text>
      ))}
      {hidden > 0 && (
        <text className="dg-gap" x={G.pad} y={G.procHead + box.vmasShown * vh + 11}>
          … {plural(hidden, 'more VMA')}
        </text>
      )}
    </g>
  );
});
