// The diagram layer's front door: pure view models of a world and an op's record, for the state
// layer to cache and the UI to render. No React, no store: functions of their inputs.
//   model.ts     world → streams, CD tables, trees, processes (owners named by kernel queries)
//   layout*.ts   model + what the user opened → positioned boxes (a tagged union) and edges
//   chain*.ts, lens*.ts  the chain in focus (op, device, CD, process, domain) and its lens layout:
//                the chain in narrow columns, the rest folded, detail for semantic zoom
//   changes.ts   what an op changed, by model id
//   flow*.ts     an op's record → steps across lanes, and memory as it was at each step
//   focus.ts, stepMarks.ts   where the stepper's cursor is, marked in the layout
//   inspect.ts, fieldDocs    the inspector's decoded words and every spec field's meaning
//   cacheDiff.ts             cache entries new/changed/removed since the previous op
//   stale.ts                 cache entries whose source words changed, and since which op
//   stepper/     the stepper's view models (its own index.ts)
//   format.ts    the text every view prints (addresses, sizes, Config in words)
export * from './model.ts';
export type { ModelHint } from './modelReuse.ts';
export { ownerLabel } from './owner.ts';
export * from './modelTables.ts';
export type { NestedStream, VmNode } from './modelVm.ts';
export { nestedInspect, type NestedField, type NestedInspect } from './inspectNested.ts';
export * from './layoutTypes.ts';
export { chainOf, EMPTY_CHAIN, type Chain, type LensFocus } from './chain.ts';
export { layoutLens, lensWidth, GROUPS } from './lens.ts';
export { rowsGroup } from './lensBoxes.ts';
export { contextGroups, fitsPane, lensLayout, withContext } from './lensContext.ts';
export { lensModel } from './lensVm.ts';
export { DETAILS } from './lensGeom.ts';
export { COLS, layoutDiagram } from './layout.ts';
export type { TreeEntry, TreeTable } from './tree.ts';
export * from './changes.ts';
export * from './flow.ts';
export { wordsAt, worldAtSeq, writtenUpTo } from './flowWrites.ts';
export * from './focus.ts';
export {
  pathD,
  revealPas,
  stepMarks,
  indexRows,
  type StepMark,
  type StepMarks,
} from './stepMarks.ts';
export * from './inspect.ts';
export * from './fieldDocs.ts';
export * from './cacheDiff.ts';
export * from './stale.ts';
export * from './format.ts';
export * from './stepper/index.ts';
export * from './whatIf.ts';
export type { Invalidation } from './whatIfInval.ts';
