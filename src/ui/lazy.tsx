// The parts of the page a first diagram does not need, loaded on demand (each its own chunk):
// the op timeline (and its virtual list), the inspector with its field docs, the panels and the
// stepper, the Add-an-op dialog and its form, the share and platform dialogs, the importer's
// dialog and banner (with the log parsers of src/logs). The first paint downloads the diagram and
// what runs the scenario; these follow at once, and each region shows a quiet placeholder until
// its code has arrived.
import { lazy, Suspense, type ComponentProps, type ComponentType, type ReactNode } from 'react';
import { loadOutside } from '../share/index.ts';
import type { ImportDialog as ImportDialogType } from './importer/ImportDialog.tsx';
import type { ReplayBanner as ReplayBannerType } from './importer/ReplayBanner.tsx';

/** A component from a module loaded on first render. */
function onDemand<P extends object>(
  load: () => Promise<Record<string, unknown>>,
  name: string,
): ComponentType<P> {
  return lazy(async () => ({ default: (await load())[name] as ComponentType<P> }));
}

/**
 * A view that takes documents from outside (files, links, pasted text, a form): it arrives with
 * the document schema and the link codec (share loadOutside), so it can check and write them.
 */
const withSchema =
  (load: () => Promise<Record<string, unknown>>) => async (): Promise<Record<string, unknown>> =>
    (await Promise.all([load(), loadOutside()]))[0];

export const InspectorPanel = onDemand(
  () => import('./inspector/InspectorPanel.tsx'),
  'InspectorPanel',
);
export const BottomPanel = onDemand(() => import('./panels/BottomPanel.tsx'), 'BottomPanel');
export const TimelinePanel = onDemand(
  () => import('./timeline/TimelinePanel.tsx'),
  'TimelinePanel',
);
export const AddOpDialog = onDemand(
  withSchema(() => import('./forms/AddOpDialog.tsx')),
  'AddOpDialog',
);
// The embedded view (?embed=1) draws the stepper itself: the page's first chunk need not hold it.
export const EmbedView = onDemand(
  withSchema(() => import('./learn/EmbedView.tsx')),
  'EmbedView',
);
export const ShareDialog = onDemand<{ onClose: () => void }>(
  withSchema(() => import('./share/ShareDialog.tsx')),
  'ShareDialog',
);

export const PlatformDialog = onDemand<{ onClose: () => void }>(
  withSchema(() => import('./platform/PlatformDialog.tsx')),
  'PlatformDialog',
);

export const ImportDialog = onDemand<ComponentProps<typeof ImportDialogType>>(
  withSchema(() => import('./importer/ImportDialog.tsx')),
  'ImportDialog',
);
export const ReplayBanner = onDemand<ComponentProps<typeof ReplayBannerType>>(
  withSchema(() => import('./importer/ReplayBanner.tsx')),
  'ReplayBanner',
);

/** A region whose code may still be loading: an empty box that says so to assistive tech. */
export function Loading({ children }: { children: ReactNode }) {
  return (
    <Suspense fallback={<div className="loading" aria-busy="true" aria-label="Loading…" />}>
      {children}
    </Suspense>
  );
}
