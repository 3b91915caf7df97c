// The SMMUv3 hardware engine: the one import path for every other layer.
// Pure TypeScript — no React, d3, zustand or DOM (enforced by eslint.config.js).
export * from './bits.ts';
export { assertNever } from './never.ts';
export { PhysMem, type MemWrite, type RamRegion } from './memory.ts';
export { WriteJournal } from './journal.ts';
export * from './ste.ts';
export * from './cd.ts';
export * from './cdTable.ts';
export * from './descriptor.ts';
export * from './granule.ts';
export * from './events.ts';
export * from './commands.ts';
export * from './priq.ts';
export * from './registers.ts';
export * from './platform.ts';
export * from './queues.ts';
export { Tlb, tlbTag, type TlbEntry, type S1Perms, type S2Perms, type TlbStage } from './tlb.ts';
export {
  ConfigCache,
  type CachedConfig,
  type CachedSte,
  type CachedCd,
  type CachedL1,
} from './configCache.ts';
export { Atc, type AtcEntry } from './atc.ts';
export {
  Smmu,
  emptyLog,
  type SmmuLog,
  type ConsumedCommand,
  type WrittenEvent,
  type WrittenPageRequest,
  type DeviceMessage,
  type StalledTransaction,
  type SmmuDerived,
} from './smmu.ts';
export { translate, type Translation, type TranslateOptions } from './translate.ts';
export type { Transaction, Outcome, Access, Termination } from './transaction.ts';
export type {
  Trace,
  TraceStep,
  StepKind,
  StepOf,
  IndexBits,
  NestedClass,
  L1stdStep,
  SteStep,
  L1cdStep,
  CdStep,
  TtStep,
  CfgHitStep,
  TlbHitStep,
  TlbMissStep,
  AtcHitStep,
  HttuStep,
  DecisionStep,
  EventStep,
  ResultStep,
} from './trace.ts';
export { stepInput, stepStage, stepNested } from './trace.ts';
export { writeRegister } from './regwrite.ts';
export { processCommandQueue, applyInvalidation, type ResumeRecord } from './cmdq.ts';
export { atsAccess, type AtsAccess } from './endpoint.ts';
export { translatedTransaction } from './translated.ts';
export {
  changeMatters,
  changedSources,
  configSources,
  walkSources,
  type ChangedWord,
  type SourceRole,
  type SourceWord,
} from './stale.ts';
export { broadcastTlbi, type CpuTlbi } from './btm.ts';
export { ABSENT, absentRule, absentText, type AbsentRule, type AbsentEffect } from './absent.ts';
export {
  steIllegal,
  cdIllegal,
  cdCheckContext,
  l1stdIllegal,
  type CdCheckContext,
} from './checks.ts';
export { checkS1, grantS1, s1PermsOf, type PermVerdict, type S1Flags } from './permissions.ts';
export { walk, alignStartTable, type StageFault, type WalkParams, type Leaf } from './walk.ts';
export * from './structures.ts';
