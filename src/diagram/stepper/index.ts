// The stepper's view models: one op's flow step by step — the address bits a walk step indexes
// with, the words it read or wrote decoded by field, the fault steps and how to reach them, and
// the comparison of two moments. Pure: the state layer caches flows, the UI renders these.
export {
  addressSplit,
  binary,
  granuleOf,
  levelFields,
  splitValue,
  type AddressSplit,
  type BitField,
} from './bits.ts';
export {
  compareWorlds,
  type CacheChange,
  type Comparison,
  type StructureChange,
  type StructureGroup,
  type WordChange,
} from './compare.ts';
export { fieldChanges, locate, type FieldChange, type Located } from './compareFields.ts';
export {
  addressOf,
  decodeAs,
  decodeStep,
  decodeWritten,
  levelText,
  shownByDefault,
  type Decoded,
  type FieldRow,
} from './decode.ts';
export {
  eventWords,
  FAULT_LABEL,
  faultIndexes,
  faultKind,
  findFault,
  mayFault,
  type FaultKind,
  type Moment,
} from './faults.ts';
