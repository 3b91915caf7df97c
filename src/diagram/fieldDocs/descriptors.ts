// Translation table descriptor docs (Arm ARM D8.3): stage-1 and stage-2 table and leaf
// descriptors, as the walks read them.
import { doc, SHARE, type DocTable } from './shared.ts';

const D8 = 'Arm ARM D8.3';
const VALID = doc('Descriptor valid; 0 is a translation fault', D8, {
  values: { 0: 'invalid', 1: 'valid' },
});
const NEXT = doc('Address of the next-level table (bits 47:12)', D8, { address: true });
const OA = doc('Output address of the block or page (bits 47:12)', D8, { address: true });

export const S1_TABLE_DOCS: DocTable = {
  Valid: VALID,
  Type: doc('At levels 0–2: 1 = table descriptor, 0 = block', D8, {
    values: { 0: 'block', 1: 'table' },
  }),
  NextLevelTable: NEXT,
  PXNTable: doc('Nothing below is privileged-executable', D8),
  UXNTable: doc('Nothing below is unprivileged-executable', D8),
  APTable: doc('Access limits applied to everything below', D8, {
    values: {
      0: 'no limit',
      1: 'no unprivileged access',
      2: 'no write access',
      3: 'no write, no unprivileged access',
    },
  }),
  NSTable: doc('Secure walks only: the next level is Non-secure', D8),
};

export const S1_LEAF_DOCS: DocTable = {
  Valid: VALID,
  Type: doc('1 = page (level 3); 0 = block (levels 1–2; reserved at level 3)', D8, {
    values: { 0: 'block', 1: 'page' },
  }),
  AttrIndx: doc('Index of the memory type in the CD’s MAIR', D8),
  NS: doc('Secure streams only: output is Non-secure', D8),
  AP: doc('Data access permissions AP[2:1]', D8, {
    values: {
      0: 'read/write, privileged only',
      1: 'read/write, any level',
      2: 'read-only, privileged only',
      3: 'read-only, any level',
    },
  }),
  SH: doc('Shareability of the output', D8, { values: SHARE }),
  AF: doc('Access flag; 0 faults unless hardware sets it', D8),
  nG: doc('Not global: the TLB entry is tagged with the ASID', D8, {
    values: { 0: 'global', 1: 'ASID-tagged' },
  }),
  OutputAddress: OA,
  GP: doc('Guarded page (BTI; meaningful to PEs only)', D8),
  DBM: doc('Dirty bit modifier: hardware may make a clean page dirty', D8),
  Contiguous: doc('Hint: one of an aligned run of identical entries', D8),
  PXN: doc('Privileged execute-never', D8),
  UXN: doc('Unprivileged execute-never', D8),
  SW: doc('Reserved for software; ignored by hardware', D8),
  PBHA: doc('Page-based hardware attributes (ignored unless enabled)', D8),
};

export const S2_LEAF_DOCS: DocTable = {
  Valid: VALID,
  Type: doc('1 = page (level 3); 0 = block (levels 1–2)', D8, {
    values: { 0: 'block', 1: 'page' },
  }),
  MemAttr: doc('Stage-2 memory type', D8, {
    values: {
      0: 'Device-nGnRnE',
      1: 'Device-nGnRE',
      2: 'Device-nGRE',
      3: 'Device-GRE',
      5: 'Normal non-cacheable',
      10: 'Normal write-through',
      15: 'Normal write-back',
    },
  }),
  S2AP: doc('Stage-2 access permissions', D8, {
    values: { 0: 'no access', 1: 'read-only', 2: 'write-only', 3: 'read/write' },
  }),
  SH: doc('Shareability of the output', D8, { values: SHARE }),
  AF: doc('Access flag; 0 faults unless hardware sets it', D8),
  OutputAddress: OA,
  DBM: doc('Dirty bit modifier: hardware may make a clean page dirty', D8),
  Contiguous: doc('Hint: one of an aligned run of identical entries', D8),
  XN: doc('Execute-never', D8, {
    values: {
      0: 'executable',
      1: 'EL1 execute-never (XNX)',
      2: 'execute-never',
      3: 'EL0 execute-never (XNX)',
    },
  }),
  SW: doc('Reserved for software; ignored by hardware', D8),
};

export const S2_TABLE_DOCS: DocTable = {
  Valid: VALID,
  Type: doc('At levels 0–2: 1 = table descriptor, 0 = block', D8, {
    values: { 0: 'block', 1: 'table' },
  }),
  NextLevelTable: NEXT,
};
