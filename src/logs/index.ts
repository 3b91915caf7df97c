// Importers of real artifacts (architecture.md "logs/"): arm-smmu-v3 event dumps pasted from
// dmesg, and /proc/PID/maps. Pure TypeScript: the UI, the CLI and the tests share them.
// Errors are values ({ ok: false, message }), never exceptions.
export { parseDmesg, type DmesgResult, type DmesgOk, type DecodedLogEvent } from './dmesg.ts';
export { parseMaps, type MapsResult, type MapsOk, type Vma, type VmaPerms } from './maps.ts';
export { logError, type LogError } from './errors.ts';
export type { LogNote, NoteKind, SkippedCommand, PriRequestNote } from './notes.ts';
export type { CrossCheck, KernelEventLine, KernelAccessLine } from './kernelPrint.ts';
export { KERNEL_CLASS_TEXT } from './kernelPrint.ts';
export { dmesgJson, eventJson, type DmesgJson, type EventJson, type LogEventJson } from './json.ts';
