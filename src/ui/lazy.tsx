// The parts of the page a first diagram does not need, loaded on demand (each its own chunk):
// the op timeline (and its virtual list), the inspector with its field docs, the panels and the
// stepper, the Add-an-op form, the share dialog. The first paint downloads the diagram and what runs the scenario; these
// follow at once, and each region shows a quiet placeholder until its code has arrived.
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';

/** A component from a module loaded on first render. */
function onDemand<P extends object>(
  load: () => Promise<Record<string, unknown>>,
  name: string,
): ComponentType<P> {
  return lazy(async () => ({ default: (await load())[name] as ComponentType<P> }));
}

export const InspectorPanel = onDemand(
  () => import('./inspector/InspectorPanel.tsx'),
  'InspectorPanel',
);
export const BottomPanel = onDemand(() => import('./panels/BottomPanel.tsx'), 'BottomPanel');
export const TimelinePanel = onDemand(
  () => import('./timeline/TimelinePanel.tsx'),
  'TimelinePanel',
);
export const NewOpForm = onDemand(() => import('./forms/NewOpForm.tsx'), 'NewOpForm');
export const ShareDialog = onDemand<{ onClose: () => void }>(
  () => import('./share/ShareDialog.tsx'),
  'ShareDialog',
);

/** A region whose code may still be loading: an empty box that says so to assistive tech. */
export function Loading({ children }: { children: ReactNode }) {
  return (
    <Suspense fallback={<div className="loading" aria-busy="true" aria-label="Loading…" />}>
      {children}
    </Suspense>
  );
}
