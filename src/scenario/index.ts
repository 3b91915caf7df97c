// The scenario layer's front door: the document, validation, the runner and the timeline.
export * from './format.ts';
export * from './ops.ts';
export { parseScenario, type Parsed } from './parse.ts';
export { runOp, type OpRecord } from './run.ts';
export { Timeline, CHECKPOINT_EVERY, openTimeline, type Opened } from './timeline.ts';
export { BootError, createWorld, cloneWorld, needsKernel, type World } from './world.ts';
export { recordJson, commandJson, eventJson, stepJson, dmaJson } from './results.ts';
