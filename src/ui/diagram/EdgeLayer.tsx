// Arrows: SVG paths computed by the layout (d3-shape links), coloured by what they lead to. One
// marker per colour, because a marker cannot take its colour from the path that uses it in every
// browser. Sized in user space so a thicker (new) arrow keeps the same head.
import { memo } from 'react';
import type { ChangeKind, Edge } from '../../diagram/index.ts';
import { testId } from './types.ts';

export const TONES = [
  'muted',
  'nest',
  'io-global',
  'io-private',
  'shared',
  'cpu',
  'guest',
  'stage2',
] as const;

const tone = (e: Edge): (typeof TONES)[number] =>
  e.kind === 'nest'
    ? 'nest'
    : (e.kind === 'cd' || e.kind === 'mm' || e.kind === 's2') && e.role
      ? e.role
      : 'muted';

export function ArrowMarkers({ prefix }: { readonly prefix: string }) {
  return (
    <defs>
      {TONES.map((t) => (
        <marker
          key={t}
          id={`${prefix}-${t}`}
          className={`dg-marker dg-tone-${t}`}
          viewBox="0 0 8 8"
          refX={7}
          refY={4}
          markerUnits="userSpaceOnUse"
          markerWidth={8}
          markerHeight={8}
          orient="auto-start-reverse"
        >
          <path d="M0,0.5 L7.5,4 L0,7.5 z" />
        </marker>
      ))}
    </defs>
  );
}

export const EdgeLayer = memo(function EdgeLayer({
  edges,
  changes,
  prefix,
}: {
  readonly edges: readonly Edge[];
  readonly changes: ReadonlyMap<string, ChangeKind>;
  readonly prefix: string;
}) {
  return (
    <g className="dg-edges" aria-hidden="true">
      {edges.map((e) => {
        const t = tone(e);
        const fresh = changes.get(e.from) === 'new' || changes.get(e.to) === 'new';
        return (
          <path
            key={e.id}
            data-testid={`edge-${testId(e.from)}-${testId(e.to)}`}
            data-from={e.from}
            data-to={e.to}
            className={`dg-edge dg-edge-${e.kind} dg-tone-${t}${fresh ? ' is-new' : ''}`}
            d={e.d}
            {...(e.kind === 'nest' ? {} : { markerEnd: `url(#${prefix}-${t})` })}
          />
        );
      })}
    </g>
  );
});
