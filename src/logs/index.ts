// Importers of real artifacts (architecture.md "logs/"): arm-smmu-v3 event dumps pasted from
// dmesg, and /proc/PID/maps; what pasted text is; and the replay of a log as a scenario.
// Pure TypeScript: the UI, the CLI and the tests share them.
// Errors are values ({ ok: false, message }), never exceptions.
export {
  parseDmesg,
  dmesgSlices,
  MAX_TEXT,
  type DmesgResult,
  type DmesgOk,
  type DecodedLogEvent,
  type Skipped,
} from './dmesg.ts';
export { parseMaps, type MapsResult, type MapsOk, type Vma, type VmaPerms } from './maps.ts';
export { mapsToOps, programName, type MapsOps, type MappedVma } from './mapsOps.ts';
export { logError, type LogError } from './errors.ts';
export type { LogNote, NoteKind, SkippedCommand, PriRequestNote } from './notes.ts';
export { explainNote } from './noteExplain.ts';
export type { CrossCheck, KernelEventLine, KernelAccessLine } from './kernelPrint.ts';
export { KERNEL_CLASS_TEXT } from './kernelPrint.ts';
export { dmesgJson, eventJson, type DmesgJson, type EventJson, type LogEventJson } from './json.ts';
export { fieldViews, definedFields, type FieldView } from './fields.ts';
export { groupEvents, ratesBySid, stormKey, type EventGroup, type SidRate } from './storms.ts';
export { planEvent, type Plan } from './replayPlan.ts';
export {
  replayLog,
  compareEvents,
  MAX_REPLAYED,
  type Replay,
  type ReplayItem,
  type FieldDiff,
} from './replay.ts';
export { recognise, type TextKind } from './recognise.ts';
