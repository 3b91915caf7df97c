// The physical frames a tree maps, as runs of contiguous pages (a 2 MiB block or 1,000 pages
// allocated in a row are one line), to the right of the tree whose leaves point at them.
import { memo } from 'react';
import { G, hexu, plural, sizeName, type FramesBox } from '../../diagram/index.ts';
import { testId } from './types.ts';

export const FramesCard = memo(function FramesCard({ box }: { readonly box: FramesBox }) {
  const total = box.runs.reduce((n, r) => n + r.leaves, 0);
  return (
    <g
      data-testid={testId(box.id.replace(/^frames:tree:/, 'frames:'))}
      className="dg-box dg-frames"
      transform={`translate(${box.x},${box.y})`}
      role="group"
      aria-label={`Frames mapped: ${box.runs.length} runs`}
    >
      <rect className="dg-frame" width={box.w} height={box.h} rx={4} />
      <text className="dg-small dg-muted dg-caps" x={G.pad} y={16}>
        frames
      </text>
      <text className="dg-small dg-muted" x={box.w - G.pad} y={16} textAnchor="end">
        {plural(total, 'leaf', 'leaves')}
      </text>
      {box.runs.map((r) => (
        <g key={r.id} data-testid={testId(r.id)} transform={`translate(0,${r.y})`}>
          <rect className="dg-frame-run" x={G.pad - 2} y={2} width={6} height={G.row - 4} rx={1} />
          <text className="dg-mono dg-small" x={G.pad + 10} y={13}>
            {hexu(r.pa)}
          </text>
          <text className="dg-small dg-muted" x={box.w - G.pad} y={13} textAnchor="end">
            {sizeName(r.bytes)}
          </text>
          <title>{`${hexu(r.pa)}–${hexu(r.pa + r.bytes - 1n)}: ${plural(r.leaves, 'leaf', 'leaves')}`}</title>
        </g>
      ))}
      {box.more > 0 && (
        <text className="dg-gap" x={G.pad} y={G.framesHead + box.runs.length * G.row + 13}>
          … {plural(box.more, 'more run')}
        </text>
      )}
    </g>
  );
});
