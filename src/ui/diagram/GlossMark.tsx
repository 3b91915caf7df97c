// The "?" at a card's top-right corner: opens the definitions of the terms the card shows (its
// own button beside the card, not inside it, so the card's click still selects and a button is
// never nested in a button). Drawn over the corner, in the gap between cards, so no card moves.
import { memo } from 'react';
import type { Box } from '../../diagram/index.ts';
import { cardTerms } from './cardTerms.ts';
import { Hit } from './Hit.tsx';
import { testId, type DiagramActions } from './types.ts';

const R = 8;

export const GlossMark = memo(function GlossMark({
  box,
  actions,
}: {
  readonly box: Box;
  readonly actions: DiagramActions;
}) {
  if ('detail' in box && box.detail === 'summary') return null;
  if (box.kind === 'vm' && box.card === 'summary') return null;
  const terms = cardTerms(box);
  if (terms.length === 0) return null;
  const id = box.kind === 'strtab' ? 'strtab' : testId(box.id);
  return (
    <Hit
      testId={`gloss-${id}`}
      label={`Terms on this card: ${terms.join(', ')}`}
      x={box.x + box.w - 2 * R - 4}
      y={box.y - R - 2}
      w={2 * R}
      h={2 * R}
      hasDialog
      className="dg-gloss"
      onActivate={(el) => actions.gloss(terms, el)}
    >
      <circle cx={R} cy={R} r={R - 0.5} />
      <text x={R} y={R + 4} textAnchor="middle">
        ?
      </text>
    </Hit>
  );
});
