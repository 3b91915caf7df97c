// The scenario layer's front door: the document, validation, the runner and the timeline.
import type { Preset } from './presets/index.ts';
import type { ShippedTour } from './presets/moreTours.ts';

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
export {
  installValidation,
  loadValidation,
  parseScenario,
  parseTrusted,
  validationLoaded,
  type Parsed,
  type Platform,
  type Scenario,
} from './parse.ts';
/**
 * The schema check itself, for the CLI and scripts (installValidation). Importing it statically
 * puts zod in the importer's chunk: the page loads it through loadValidation instead.
 */
export { validateScenario } from './validate.ts';
export { pinDoc, upgradeDoc } from './upgrade.ts';
export { runOp, type OpRecord } from './run.ts';
export {
  compareAt,
  diffOps,
  type ListPair,
  type OpComparison,
  type OpDiffKind,
  type Pair,
  type StructurePair,
} from './eraDiff.ts';
export { Timeline, CHECKPOINT_WORK, openTimeline, replayWork, type Opened } from './timeline.ts';
export { BootError, createWorld, cloneWorld, type World } from './world.ts';
export { recordJson, commandJson, eventJson, stepJson, dmaJson } from './results.ts';
export {
  docCost,
  overBudget,
  secs,
  COST_MS,
  LINK_BUDGET_MS,
  RUN_BUDGET_MS,
  type Cost,
} from './cost.ts';
export { quote, cut, brief, MESSAGE_MAX } from './quote.ts';
export {
  PLATFORM_FIELDS,
  platformValues,
  type PlatformField,
  type PlatformSection,
  type PlatformValue,
  type PlatformValues,
} from './platformFields.ts';
export { seedStory } from './presets/seedStory.ts';
export { stressScenario } from './presets/stress.ts';
export type { ExpectedError, Preset } from './presets/index.ts';
export { expectedErrorsIn } from './presets/expected.ts';
/**
 * The examples (every golden scenario): a chunk of their own in the page, fetched when asked for.
 * The presets module must not be imported statically anywhere the page reaches, or the bundler
 * keeps it (and every golden) in the first download.
 */
export const loadPresets = async (): Promise<readonly Preset[]> =>
  (await import('./presets/index.ts')).PRESETS;
export { firstVisitTour, SEED_OPS, SHIPPED_COUNT, SHIPPED_TOURS } from './presets/tours.ts';
/**
 * The tours the page ships with their scenarios: a chunk of their own, loaded when the Tours list
 * opens. Like the presets, moreTours.ts must not be imported statically anywhere the page reaches.
 */
export const loadShippedTours = async (): Promise<readonly ShippedTour[]> =>
  (await import('./presets/moreTours.ts')).SHIPPED;
export type { ShippedTour } from './presets/moreTours.ts';
export * from './notesRemap.ts';
