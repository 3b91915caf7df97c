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
