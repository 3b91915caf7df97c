// The terms card of a diagram card's "?", with the glossary it reads, as a chunk of its own: the
// glossary is prose a first diagram never shows, fetched when a "?" is first pressed.
import { lazy, Suspense } from 'react';
import type { TermsCardProps } from './TermsCard.tsx';

const Card = lazy(async () => ({ default: (await import('./TermsCard.tsx')).TermsCard }));

export function TermsCard(props: TermsCardProps) {
  return (
    <Suspense fallback={null}>
      <Card {...props} />
    </Suspense>
  );
}
