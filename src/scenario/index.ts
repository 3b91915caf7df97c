// The scenario layer's front door: the document, validation, the runner and the timeline.
export * from './format.ts';
export * from './ops/index.ts';
export * from './notes.ts';
export {
  DEFAULT_CPU,
  permsOf,
  permsString,
  type CpuPlatform,
  type MapTarget,
  type Perms,
} from '../kernel/index.ts';
export { parseScenario, type Parsed, type Platform, type Scenario } from './parse.ts';
export { runOp, type OpRecord } from './run.ts';
export { Timeline, CHECKPOINT_EVERY, openTimeline, type Opened } from './timeline.ts';
export { BootError, createWorld, cloneWorld, type World } from './world.ts';
export { recordJson, commandJson, eventJson, stepJson, dmaJson } from './results.ts';
export { PRESETS, seedStory, stressScenario, type Preset } from './presets/index.ts';
export { firstVisitTour, SEED_OPS, SHIPPED_TOURS } from './presets/tours.ts';
export * from './notesRemap.ts';
