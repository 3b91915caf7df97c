// The state layer's front door: the store, the playback clock, URL sync, persistence, the panes'
// layout, and what is derived from the timeline (cached per timeline).
export {
  createAppStore,
  type AppState,
  type AppActions,
  type AppStore,
  type Cursor,
  type Store,
} from './store.ts';
export type { Selection } from '../diagram/index.ts';
export {
  worldAt,
  modelAt,
  changesAt,
  flowAt,
  faultFrom,
  staleAt,
  staleHitsAt,
  type StaleHitAt,
} from './derived.ts';
export {
  SPEEDS,
  STEP_MS,
  startPlayback,
  stepCount,
  type PlaybackState,
  type PlaybackActions,
} from './playback.ts';
export {
  startup,
  loadWork,
  readWork,
  keepWork,
  saveWork,
  loadRecent,
  pushRecent,
  pushRecentText,
  invalidWork,
  needsValidation,
  WORK_KEY,
  RECENT_KEY,
  type KeyValue,
  type RecentEntry,
  type SavedWork,
  type Startup,
} from './persist.ts';
export { startUrlSync, linkFor, type SyncTargets } from './urlSync.ts';
export {
  DEFAULT_LAYOUT,
  INSPECTOR_OPEN_AT,
  LAYOUT_KEY,
  PANES,
  loadLayout,
  paneCollapsed,
  paneLimits,
  paneSize,
  saveLayout,
  startLayoutSync,
  type Layout,
  type PaneId,
  type PaneLayout,
  type PaneLimits,
  type Viewport,
} from './layout.ts';
