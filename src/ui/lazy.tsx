// The parts of the page a first diagram does not need, loaded on demand (each its own chunk):
// the op timeline (and its virtual list), the tours-and-notes dock, the inspector with its field
// docs, the panels and the stepper, the Add-an-op dialog and its form, the share, platform and
// keyboard-help dialogs, the importer's dialog and banner (with the log parsers of src/logs). The first paint
// downloads the diagram and what runs the scenario; the first screen's panels are fetched side by
// side from boot (preloadFirstScreen) and drawn just after the diagram's first frame (Later), and
// each region shows a quiet placeholder until then.
import {
  lazy,
  Suspense,
  useEffect,
  useState,
  type ComponentProps,
  type ComponentType,
  type ReactNode,
} from 'react';
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

// The first screen's panels: one loader each, shared by the component and fetchFirstScreen (a
// module is fetched once however many times it is imported).
const inspector = () => import('./inspector/InspectorPanel.tsx');
const bottom = () => import('./panels/BottomPanel.tsx');
const timeline = () => import('./timeline/TimelinePanel.tsx');
const learnDock = () => import('./learn/LearnDock.tsx');

export const InspectorPanel = onDemand(inspector, 'InspectorPanel');
export const BottomPanel = onDemand(bottom, 'BottomPanel');
export const TimelinePanel = onDemand(timeline, 'TimelinePanel');
export const LearnDock = onDemand(learnDock, 'LearnDock');

/**
 * Requests the first screen's panels all at once (not each when it first renders). Called when
 * the first frame has been painted, not at boot: measured, the import() calls cost the main
 * thread 6–65 ms, and their chunks compiled before React's first render, which pushed the
 * diagram back; on a slow link they would also share the bandwidth with the code the diagram
 * needs.
 */
function fetchFirstScreen(): void {
  for (const load of [timeline, learnDock, bottom, inspector]) void load().catch(() => undefined);
}
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

// The keyboard help and the kernel eras' notes: prose for the "?" key, not for the first screen.
export const HelpOverlay = onDemand<{ onClose: () => void }>(
  () => import('./shell/HelpOverlay.tsx'),
  'HelpOverlay',
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

const placeholder = <div className="loading" aria-busy="true" aria-label="Loading…" />;

/** A region whose code may still be loading: an empty box that says so to assistive tech. */
export function Loading({ children }: { children: ReactNode }) {
  return <Suspense fallback={placeholder}>{children}</Suspense>;
}

let painted: Promise<void> | undefined;
/**
 * Resolves once the page's first frame has been painted (the task after the next animation
 * frame): one promise for every caller, so the regions waiting on it render in one batch.
 */
function afterFirstPaint(): Promise<void> {
  painted ??= new Promise((resolve) => {
    const later = () =>
      setTimeout(() => {
        fetchFirstScreen();
        resolve();
      }, 0);
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(later);
    else later();
  });
  return painted;
}

/**
 * A region drawn after the page's first frame: the diagram comes first, then the panels beside
 * it, their layout work (the timeline scrolling its row into view) out of the first frame. Shows
 * the loading placeholder until then, at any window size. A plain update, not a transition: the
 * panels then draw in one go as their chunks arrive (a transition measured slower to finish).
 */
export function Later({ children }: { children: ReactNode }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    void afterFirstPaint().then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, []);
  return ready ? <Loading>{children}</Loading> : placeholder;
}
