// One stream: the device, its SID and capabilities, and its STE's Config in words. Clicking it
// opens the STE in the inspector.
import { memo } from 'react';
import { G, hexu, steConfigWords, trunc, type StreamBox } from '../../diagram/index.ts';
import { Hit } from './Hit.tsx';
import { changeClass, selKey, testId, type BoxProps } from './types.ts';

export const StreamCard = memo(function StreamCard({
  box,
  changes,
  selected,
  actions,
}: BoxProps & { readonly box: StreamBox }) {
  const s = box.stream;
  const words = steConfigWords(s.valid, s.config);
  const tone =
    !s.valid || s.config === 0 || (s.config > 0 && s.config < 4)
      ? 'abort'
      : s.config === 4
        ? 'bypass'
        : 'trans';
  const title = `STE ${hexu(s.sid)} (${s.dev})`;
  const isSel = selected === selKey('ste', s.stePa);
  const pillX = box.guest ? G.pad : 74;
  return (
    <Hit
      testId={testId(s.id)}
      label={`${title}: ${words}`}
      x={box.x}
      y={box.y}
      w={box.w}
      h={box.h}
      pressed={isSel}
      className={`dg-card${changeClass(changes.get(s.id))}${isSel ? ' is-selected' : ''}`}
      onActivate={() => actions.select({ kind: 'memory', struct: 'ste', pa: s.stePa, title })}
      onMenu={(el) => actions.openMenu({ kind: 'stream', stream: s }, el)}
    >
      <text className="dg-title" x={G.pad} y={17}>
        {trunc(s.dev, 18)}
      </text>
      <text className="dg-mono dg-muted" x={box.w - G.pad} y={17} textAnchor="end">
        SID {hexu(s.sid)}
      </text>
      {box.detail !== 'cards' && (
        <text className="dg-mono dg-small dg-muted" x={G.pad} y={34}>
          {trunc(s.caps.join(' · '), 32)}
        </text>
      )}
      {box.guest && box.detail !== 'summary' && (
        <text className="dg-small" x={G.pad} y={box.h - 31} data-testid={`guest-ste-${s.sid}`}>
          <tspan className="dg-muted">from guest STE </tspan>
          {box.guest.vsid !== undefined ? `vSID ${hexu(box.guest.vsid)}` : `VM ${box.guest.vm}`}
        </text>
      )}
      {/* A nested STE's words are long: its pill takes the line (the title says STE.Config). */}
      {!box.guest && (
        <text className="dg-small dg-muted" x={G.pad} y={box.h - 13}>
          STE.Config
        </text>
      )}
      <g className={`dg-pill dg-pill-${tone}`} transform={`translate(${pillX},${box.h - 25})`}>
        <rect width={box.w - pillX - G.pad} height={17} rx={8.5} />
        <text x={(box.w - pillX - G.pad) / 2} y={12.5} textAnchor="middle">
          {words}
        </text>
      </g>
      <title>
        {`${title} at ${hexu(s.stePa)} — Config ${s.config}: ${words}`}
        {box.guest &&
          ` — built from the guest STE ${box.guest.ste.map((w) => hexu(w)).join(' ')} of VM ${box.guest.vm}`}
      </title>
    </Hit>
  );
});
