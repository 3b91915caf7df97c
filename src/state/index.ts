// The state layer's front door: the store, its React binding, and derived views of it.
export {
  createAppStore,
  worldAt,
  type AppState,
  type AppActions,
  type AppStore,
  type Cursor,
  type Selection,
  type Store,
} from './store.ts';
export {
  startup,
  loadWork,
  saveWork,
  loadRecent,
  pushRecent,
  WORK_KEY,
  RECENT_KEY,
  type KeyValue,
  type RecentEntry,
  type Startup,
} from './persist.ts';
export { startUrlSync, linkFor, type SyncTargets } from './urlSync.ts';
