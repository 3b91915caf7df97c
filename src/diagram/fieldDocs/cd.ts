// Context descriptor docs (§5.3, §5.4): every CD field, and the L1CD of a 2-level CD table.
import {
  doc,
  GRANULE_TG0,
  GRANULE_TG1,
  mairBytes,
  PA_SIZES,
  SHARE,
  vaBits,
  WALK_CACHE,
  type DocTable,
} from './shared.ts';

const S5_4 = '§5.4';
export const CD_DOCS: DocTable = {
  T0SZ: doc('Size of the TTB0 address range: 64 − T0SZ bits', S5_4, { describe: vaBits }),
  TG0: doc('TTB0 translation granule', S5_4, { values: GRANULE_TG0 }),
  IR0: doc('Inner cacheability of TTB0 table walks', S5_4, { values: WALK_CACHE }),
  OR0: doc('Outer cacheability of TTB0 table walks', S5_4, { values: WALK_CACHE }),
  SH0: doc('Shareability of TTB0 table walks', S5_4, { values: SHARE }),
  EPD0: doc('Disable TTB0 walks: a TLB miss there is a translation fault', S5_4, {
    values: { 0: 'walks enabled', 1: 'walks disabled' },
  }),
  ENDI: doc('Stage-1 tables are big-endian', S5_4),
  T1SZ: doc('Size of the TTB1 address range: 64 − T1SZ bits', S5_4, { describe: vaBits }),
  TG1: doc('TTB1 translation granule (its own encoding)', S5_4, { values: GRANULE_TG1 }),
  IR1: doc('Inner cacheability of TTB1 table walks', S5_4, { values: WALK_CACHE }),
  OR1: doc('Outer cacheability of TTB1 table walks', S5_4, { values: WALK_CACHE }),
  SH1: doc('Shareability of TTB1 table walks', S5_4, { values: SHARE }),
  EPD1: doc('Disable TTB1 walks: the upper range always faults', S5_4, {
    values: { 0: 'walks enabled', 1: 'walks disabled' },
  }),
  V: doc('Descriptor valid; 0 gives C_BAD_CD', S5_4, { values: { 0: 'invalid', 1: 'valid' } }),
  IPS: doc('Stage-1 output address size, capped by IDR5.OAS', S5_4, { values: PA_SIZES }),
  AFFD: doc('Access-flag fault disable: AF=0 is treated as 1 (when HA=0)', S5_4),
  WXN: doc('Writable pages are never executable', S5_4),
  UWXN: doc('AArch32 tables only: user-writable pages not privileged-executable', S5_4),
  TBI0: doc('Top byte ignored for addresses in the TTB0 range', S5_4),
  TBI1: doc('Top byte ignored for addresses in the TTB1 range', S5_4),
  PAN: doc('Privileged data access to user-accessible pages faults', S5_4),
  AA64: doc('Stage-1 tables use the VMSAv8-64 format', S5_4, {
    values: { 0: 'VMSAv8-32 LPAE', 1: 'VMSAv8-64' },
  }),
  HD: doc('Hardware updates dirty state (needs HA)', S5_4),
  HA: doc('Hardware sets the Access flag', S5_4),
  S: doc('Translation faults stall the transaction', S5_4, {
    values: { 0: 'terminate', 1: 'stall' },
  }),
  R: doc('Translation faults are recorded in the event queue', S5_4),
  A: doc('A terminated transaction aborts (1) or reads zero / ignores writes (0)', S5_4, {
    values: { 0: 'RAZ/WI', 1: 'abort' },
  }),
  ASET: doc('ASID set: shared with the CPUs, or private to the SMMU', S5_4, {
    values: { 0: 'shared (broadcast TLBI applies)', 1: 'SMMU-private' },
  }),
  ASID: doc('Address Space ID tagging this context’s TLB entries', S5_4),
  NSCFG0: doc('Secure streams only: NS attribute of TTB0 walks', S5_4),
  HAD0: doc('Ignore hierarchical APTable/XNTable limits under TTB0', S5_4),
  E0PD0: doc('Unprivileged accesses to the TTB0 range fault without a walk', S5_4),
  HAFT: doc('Hardware Access flag in table descriptors', S5_4),
  TTB0: doc('Base address of the TTB0 translation table (bits 51:4)', S5_4, { address: true }),
  PnCH: doc('Enables the Protected descriptor attribute (translation hardening)', S5_4),
  EPAN: doc('PAN also covers unprivileged-executable pages', S5_4),
  HWU0: doc('Hardware use of descriptor bits 59–62 under TTB0 (PBHA)', S5_4),
  NSCFG1: doc('Secure streams only: NS attribute of TTB1 walks', S5_4),
  HAD1: doc('Ignore hierarchical APTable/XNTable limits under TTB1', S5_4),
  E0PD1: doc('Unprivileged accesses to the TTB1 range fault without a walk', S5_4),
  AIE: doc('Extended memory attribute index (AttrIndx gains a fourth bit)', S5_4),
  TTB1: doc('Base address of the TTB1 translation table (bits 51:4)', S5_4, { address: true }),
  HWU1: doc('Hardware use of descriptor bits 59–62 under TTB1 (PBHA)', S5_4),
  MAIR0: doc('Memory attributes for AttrIndx 0–3 (MAIR bits 31:0)', S5_4, {
    describe: mairBytes(0),
  }),
  MAIR1: doc('Memory attributes for AttrIndx 4–7 (MAIR bits 63:32)', S5_4, {
    describe: mairBytes(4),
  }),
  AMAIR0: doc('IMPLEMENTATION DEFINED auxiliary attributes, low half', S5_4),
  AMAIR1: doc('IMPLEMENTATION DEFINED auxiliary attributes, high half', S5_4),
};

export const L1CD_DOCS: DocTable = {
  V: doc('Leaf CD table present; 0 gives C_BAD_SUBSTREAMID for its SSIDs', '§5.3', {
    values: { 0: 'invalid', 1: 'valid' },
  }),
  L2Ptr: doc('Address of the leaf CD table (bits 55:12)', '§5.3', { address: true }),
};
