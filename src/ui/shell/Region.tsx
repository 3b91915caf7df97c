// One region of the page inside its ErrorBoundary, retried on the next moment. The moment is read
// here, per region, and not by <App>: App re-rendering on every step would re-render the whole
// shell (header, panes, every panel) each time the stepper moves, which cost a playing walk most
// of its frame. Here a step re-renders only this wrapper and the boundary; the region's content
// is the same element as before, so React skips it unless it reads the store itself.
import type { ReactNode } from 'react';
import { useApp } from '../storeContext.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';

export function Region({ what, children }: { what: string; children: ReactNode }) {
  const moment = useApp((s) => `${s.doc.ops.length}:${s.cursor.op}:${s.cursor.step}`);
  return (
    <ErrorBoundary what={what} resetKey={moment}>
      {children}
    </ErrorBoundary>
  );
}
