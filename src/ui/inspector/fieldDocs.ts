// One-line meanings and spec sections for every field of every engine field table (STE, CD,
// L1STD, L1CD, descriptors, event and PRI records, commands, registers). Written from
// ../shared/reference/smmuv3.md and the spec text (Arm IHI 0070 G.b; descriptors: Arm ARM D8.3).
// Pure data: no React. A unit test checks that every engine field has a doc here.
import {
  COMMAND_BY_OPCODE,
  eventName,
  type RegName,
  type StructureKind,
} from '../../engine/index.ts';

export interface FieldDoc {
  /** What the field does, in one line. */
  readonly meaning: string;
  /** Where the spec defines it (SMMUv3 §x.y, or the Arm ARM for descriptors). */
  readonly section: string;
  /** Named values (enumerations and flags). */
  readonly values?: Readonly<Record<number, string>>;
  /** The field holds address bits [hi:lo] in place: its address is value << lo. */
  readonly address?: boolean;
  /** A computed reading of a numeric value (sizes, counts, names). */
  readonly describe?: (v: bigint) => string;
}

export type DocTable = Readonly<Record<string, FieldDoc>>;

const doc = (
  meaning: string,
  section: string,
  extra: Omit<FieldDoc, 'meaning' | 'section'> = {},
): FieldDoc => ({ meaning, section, ...extra });

// ---- Shared encodings --------------------------------------------------------------------------

const PA_SIZES: Readonly<Record<number, string>> = {
  0: '32-bit',
  1: '36-bit',
  2: '40-bit',
  3: '42-bit',
  4: '44-bit',
  5: '48-bit',
  6: '52-bit',
  7: '56-bit',
};
const WALK_CACHE: Readonly<Record<number, string>> = {
  0: 'non-cacheable',
  1: 'write-back, write-allocate',
  2: 'write-through',
  3: 'write-back, no write-allocate',
};
const FETCH_CACHE: Readonly<Record<number, string>> = {
  0: 'non-cacheable',
  1: 'write-back, read-allocate',
  2: 'write-through, read-allocate',
  3: 'write-back, no read-allocate',
};
const SHARE: Readonly<Record<number, string>> = {
  0: 'non-shareable',
  1: 'reserved (non-shareable)',
  2: 'outer shareable',
  3: 'inner shareable',
};
const GRANULE_TG0: Readonly<Record<number, string>> = {
  0: '4 KB granule',
  1: '64 KB granule',
  2: '16 KB granule',
  3: 'reserved',
};
const GRANULE_TG1: Readonly<Record<number, string>> = {
  0: 'reserved',
  1: '16 KB granule',
  2: '4 KB granule',
  3: '64 KB granule',
};
const SUPPORTED: Readonly<Record<number, string>> = { 0: 'not supported', 1: 'supported' };
const ENABLED: Readonly<Record<number, string>> = { 0: 'disabled', 1: 'enabled' };
const CACHE_CR1: Readonly<Record<number, string>> = {
  0: 'non-cacheable',
  1: 'write-back',
  2: 'write-through',
  3: 'reserved',
};

const vaBits = (v: bigint): string => `${64 - Number(v)}-bit address range`;

/** MAIR_EL1-style attribute bytes: "Attr0 0x44, Attr1 0xff, …". */
const mairBytes =
  (first: number) =>
  (v: bigint): string =>
    [0, 1, 2, 3]
      .map(
        (i) => `Attr${first + i} 0x${((v >> BigInt(8 * i)) & 0xffn).toString(16).padStart(2, '0')}`,
      )
      .join(', ');

// ---- Structures (§5) ---------------------------------------------------------------------------

const S5_2 = '§5.2';
const STE_DOCS: DocTable = {
  V: doc('Entry valid; 0 aborts every transaction of the stream with C_BAD_STE', S5_2, {
    values: { 0: 'invalid', 1: 'valid' },
  }),
  Config: doc('Which translation stages the stream’s traffic goes through', S5_2, {
    values: {
      0: 'abort, no event',
      1: 'reserved (abort)',
      2: 'reserved (abort)',
      3: 'reserved (abort)',
      4: 'bypass both stages',
      5: 'stage 1 translates',
      6: 'stage 2 translates',
      7: 'nested: stage 1 then stage 2',
    },
  }),
  S1Fmt: doc('Layout of the CD table that S1ContextPtr points at', S5_2, {
    values: {
      0: 'linear CD table',
      1: '2-level, 4 KB leaf tables (64 CDs)',
      2: '2-level, 64 KB leaf tables (1024 CDs)',
      3: 'reserved (linear)',
    },
  }),
  S1ContextPtr: doc('Address of the CD, CD table or L1CD table (bits 55:6)', S5_2, {
    address: true,
  }),
  S1CDMax: doc('log2 of the number of CDs; 0 = a single CD, no SubstreamIDs', S5_2, {
    describe: (v) => (v === 0n ? 'one CD, substreams off' : `${2n ** v} CDs`),
  }),
  S1DSS: doc('What traffic without a SubstreamID does when substreams are on', S5_2, {
    values: {
      0: 'terminate (F_STREAM_DISABLED)',
      1: 'bypass stage 1',
      2: 'use CD 0 (SSID 0 is then refused)',
      3: 'reserved (terminate)',
    },
  }),
  S1CIR: doc('Inner cacheability of CD and CD-table fetches', S5_2, { values: FETCH_CACHE }),
  S1COR: doc('Outer cacheability of CD and CD-table fetches', S5_2, { values: FETCH_CACHE }),
  S1CSH: doc('Shareability of CD and CD-table fetches', S5_2, { values: SHARE }),
  S2HWU59: doc('Lets stage-2 descriptor bit 59 drive an IMPDEF hardware attribute', S5_2),
  S2HWU60: doc('Lets stage-2 descriptor bit 60 drive an IMPDEF hardware attribute', S5_2),
  S2HWU61: doc('Lets stage-2 descriptor bit 61 drive an IMPDEF hardware attribute', S5_2),
  S2HWU62: doc('Lets stage-2 descriptor bit 62 drive an IMPDEF hardware attribute', S5_2),
  DRE: doc('Destructive reads allowed; 0 downgrades them to ordinary reads', S5_2),
  CONT: doc('Hint: this STE is one of 2^CONT identical, aligned STEs', S5_2),
  DCP: doc('Directed cache prefetch transactions allowed', S5_2),
  PPAR: doc('Echo the PASID in automatic PRI responses', S5_2),
  MEV: doc('The SMMU may merge similar fault records of this stream', S5_2),
  SW_RESERVED: doc('Free for software; the SMMU ignores these bits', S5_2),
  S1PIE: doc('Lets the CD use stage-1 permission indirection', S5_2),
  S2FWB: doc('Stage 2 forces its memory type over stage 1’s (like HCR_EL2.FWB)', S5_2),
  S1MPAM: doc('MPAM PARTID/PMG come from the CD instead of the STE', S5_2),
  S1STALLD: doc('Stage-1 stall disable: CDs of this stream may not set S=1', S5_2, {
    values: { 0: 'CD.S may select stall', 1: 'stall forbidden' },
  }),
  EATS: doc('PCIe ATS for this stream', S5_2, {
    values: {
      0: 'ATS off (Translation Requests refused)',
      1: 'full ATS',
      2: 'split-stage ATS',
      3: 'full ATS with DPT checks',
    },
  }),
  STRW: doc('StreamWorld: the regime its TLB entries are tagged with', S5_2, {
    values: {
      0: 'NS-EL1',
      1: 'ILLEGAL for a Non-secure stream',
      2: 'NS-EL2 (EL2-E2H when CR2.E2H=1)',
      3: 'ILLEGAL for a Non-secure stream',
    },
  }),
  MemAttr: doc('Memory type applied when MTCFG=1', S5_2),
  MTCFG: doc('Memory type override: 0 keeps the incoming type, 1 uses MemAttr', S5_2),
  ALLOCCFG: doc('Allocation/transient hint override (0xxx keeps incoming)', S5_2),
  SHCFG: doc('Shareability override', S5_2, {
    values: { 0: 'non-shareable', 1: 'use incoming', 2: 'outer shareable', 3: 'inner shareable' },
  }),
  NSCFG: doc('NS attribute override (Secure streams only)', S5_2),
  PRIVCFG: doc('Privilege override', S5_2, {
    values: { 0: 'use incoming', 1: 'reserved (incoming)', 2: 'unprivileged', 3: 'privileged' },
  }),
  INSTCFG: doc('Instruction/data override (reads only)', S5_2, {
    values: { 0: 'use incoming', 1: 'reserved (incoming)', 2: 'data', 3: 'instruction' },
  }),
  IMPDEF: doc('IMPLEMENTATION DEFINED bits', S5_2),
  S2VMID: doc('VMID tagging this stream’s TLB entries (also for stage-1-only)', S5_2),
  S2T0SZ: doc('Stage-2 input (IPA) size is 64 − S2T0SZ bits', S5_2, { describe: vaBits }),
  S2SL0: doc('Stage-2 starting level (read with S2TG)', S5_2),
  S2IR0: doc('Inner cacheability of stage-2 table walks', S5_2, { values: WALK_CACHE }),
  S2OR0: doc('Outer cacheability of stage-2 table walks', S5_2, { values: WALK_CACHE }),
  S2SH0: doc('Shareability of stage-2 table walks', S5_2, { values: SHARE }),
  S2TG: doc('Stage-2 translation granule', S5_2, { values: GRANULE_TG0 }),
  S2PS: doc('Stage-2 output (PA) size, capped by IDR5.OAS', S5_2, { values: PA_SIZES }),
  S2AA64: doc('Stage-2 tables use the VMSAv8-64 format', S5_2, {
    values: { 0: 'VMSAv8-32 LPAE', 1: 'VMSAv8-64' },
  }),
  S2ENDI: doc('Stage-2 table walks are big-endian', S5_2),
  S2AFFD: doc('Stage-2 Access-flag fault disable: AF=0 is treated as 1', S5_2),
  S2PTW: doc('CD and stage-1 walk accesses to stage-2 Device memory fault', S5_2),
  S2HD: doc('Hardware updates stage-2 dirty state', S5_2),
  S2HA: doc('Hardware sets the stage-2 Access flag', S5_2),
  S2S: doc('Stage-2 faults stall the transaction', S5_2),
  S2R: doc('Stage-2 faults are recorded in the event queue', S5_2),
  S2HAFT: doc('Stage-2 Access flag in table descriptors', S5_2),
  S2PIE: doc('Stage-2 permission indirection enable', S5_2),
  S2POE: doc('Stage-2 permission overlay enable', S5_2),
  DPT_VMATCH: doc('Device Permission Table VMID matching control', S5_2),
  S2NSW: doc('Secure streams only: NS attribute of stage-2 walks', S5_2),
  S2NSA: doc('Secure streams only: NS attribute of stage-2 output', S5_2),
  S2SL0_2: doc('Extra start-level bit for 52-bit (DS=1) stage-2 tables', S5_2),
  S2DS: doc('Stage-2 tables use the 52-bit (LPA2) descriptor format', S5_2),
  S2TTB: doc('Stage-2 translation table base address (bits 51:4)', S5_2, { address: true }),
};

const S5_4 = '§5.4';
const CD_DOCS: DocTable = {
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

const L1STD_DOCS: DocTable = {
  Span: doc('Size of the level-2 STE array: 2^(Span−1) STEs; 0 = invalid', '§5.1', {
    describe: (v) =>
      v === 0n
        ? 'invalid: its StreamIDs get C_BAD_STREAMID'
        : v > 11n
          ? 'reserved (invalid)'
          : `${2n ** (v - 1n)} STEs`,
  }),
  L2Ptr: doc('Address of the level-2 STE array (bits 55:6)', '§5.1', { address: true }),
};

const L1CD_DOCS: DocTable = {
  V: doc('Leaf CD table present; 0 gives C_BAD_SUBSTREAMID for its SSIDs', '§5.3', {
    values: { 0: 'invalid', 1: 'valid' },
  }),
  L2Ptr: doc('Address of the leaf CD table (bits 55:12)', '§5.3', { address: true }),
};

// ---- Translation table descriptors (Arm ARM D8.3) ----------------------------------------------

const D8 = 'Arm ARM D8.3';
const VALID = doc('Descriptor valid; 0 is a translation fault', D8, {
  values: { 0: 'invalid', 1: 'valid' },
});
const NEXT = doc('Address of the next-level table (bits 47:12)', D8, { address: true });
const OA = doc('Output address of the block or page (bits 47:12)', D8, { address: true });

const S1_TABLE_DOCS: DocTable = {
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

const S1_LEAF_DOCS: DocTable = {
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

const S2_LEAF_DOCS: DocTable = {
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

const S2_TABLE_DOCS: DocTable = {
  Valid: VALID,
  Type: doc('At levels 0–2: 1 = table descriptor, 0 = block', D8, {
    values: { 0: 'block', 1: 'table' },
  }),
  NextLevelTable: NEXT,
};

// ---- Queue records (§7.3, §8) ------------------------------------------------------------------

const EVTQ_DOCS: DocTable = {
  EventID: doc('Which event this record reports', '§7.3', {
    describe: (v) => eventName(Number(v)),
  }),
  SSV: doc('The SubstreamID field is valid', '§7.3'),
  SubstreamID: doc('SubstreamID (PASID) of the transaction', '§7.3'),
  StreamID: doc('StreamID of the transaction', '§7.3'),
  STAG: doc('Stall tag: quote it in CMD_RESUME', '§7.3.13'),
  Stall: doc('The transaction is stalled, waiting for CMD_RESUME', '§7.3.13', {
    values: { 0: 'terminated', 1: 'stalled' },
  }),
  PnU: doc('Privileged or unprivileged access', '§7.3.13', {
    values: { 0: 'unprivileged', 1: 'privileged' },
  }),
  InD: doc('Instruction fetch or data access', '§7.3.13', {
    values: { 0: 'data', 1: 'instruction' },
  }),
  RnW: doc('Read or write', '§7.3.13', { values: { 0: 'write', 1: 'read' } }),
  S2: doc('The fault happened at stage 2', '§7.3.13', {
    values: { 0: 'stage 1', 1: 'stage 2' },
  }),
  CLASS: doc('What was being translated when the fault hit', '§7.3.13', {
    values: { 0: 'CD fetch', 1: 'stage-1 table walk', 2: 'input address', 3: 'reserved' },
  }),
  TTRnW: doc('F_PERMISSION on a table walk: descriptor read or HTTU write', '§7.3.16', {
    values: { 0: 'descriptor write', 1: 'descriptor read' },
  }),
  InputAddr: doc('Address the transaction presented', '§7.3.13'),
  IPA: doc('IPA at which a stage-2 fault happened (bits 55:12)', '§7.3.13', { address: true }),
  FetchAddr: doc('PA of the structure fetch that aborted (bits 55:3)', '§7.3.4', {
    address: true,
  }),
};

const PRIQ_DOCS: DocTable = {
  StreamID: doc('StreamID of the requesting function (PCIe Requester ID)', '§8'),
  SubstreamID: doc('PASID of the request (valid when SSV=1)', '§8'),
  Priv: doc('Privileged access requested', '§8'),
  Exec: doc('Execute access requested', '§8'),
  Read: doc('Read access requested', '§8'),
  Write: doc('Write access requested', '§8'),
  Last: doc('Last request of its Page Request Group: answer the group now', '§8'),
  SSV: doc('The request carried a PASID prefix', '§8'),
  PRGIndex: doc('Page Request Group index, echoed by CMD_PRI_RESP', '§8'),
  PageAddress: doc('Page the device wants made resident (bits 63:12)', '§8', { address: true }),
};

export type StructDocKey =
  | 'STE'
  | 'CD'
  | 'L1STD'
  | 'L1CD'
  | 'S1_TABLE'
  | 'S1_LEAF'
  | 'S2_TABLE'
  | 'S2_LEAF'
  | 'EVTQ'
  | 'PRIQ';

export const STRUCT_DOCS: Readonly<Record<StructDocKey, DocTable>> = {
  STE: STE_DOCS,
  CD: CD_DOCS,
  L1STD: L1STD_DOCS,
  L1CD: L1CD_DOCS,
  S1_TABLE: S1_TABLE_DOCS,
  S1_LEAF: S1_LEAF_DOCS,
  S2_TABLE: S2_TABLE_DOCS,
  S2_LEAF: S2_LEAF_DOCS,
  EVTQ: EVTQ_DOCS,
  PRIQ: PRIQ_DOCS,
};

const KIND_TO_DOC: Readonly<Record<Exclude<StructureKind, 'command'>, StructDocKey>> = {
  ste: 'STE',
  cd: 'CD',
  l1std: 'L1STD',
  l1cd: 'L1CD',
  's1-table': 'S1_TABLE',
  's1-leaf': 'S1_LEAF',
  's2-table': 'S2_TABLE',
  's2-leaf': 'S2_LEAF',
  event: 'EVTQ',
  pri: 'PRIQ',
};

export const structDocKey = (kind: Exclude<StructureKind, 'command'>): StructDocKey =>
  KIND_TO_DOC[kind];

// ---- Commands (§4) -----------------------------------------------------------------------------

/** The section that defines each command. */
export const COMMAND_SECTION: Readonly<Record<string, string>> = {
  CMD_PREFETCH_CONFIG: '§4.2.1',
  CMD_PREFETCH_ADDR: '§4.2.2',
  CMD_CFGI_STE: '§4.3.1',
  CMD_CFGI_STE_RANGE: '§4.3.2',
  CMD_CFGI_CD: '§4.3.3',
  CMD_CFGI_CD_ALL: '§4.3.4',
  CMD_CFGI_ALL: '§4.3.6',
  CMD_TLBI_NH_ALL: '§4.4.2',
  CMD_TLBI_NH_ASID: '§4.4.2',
  CMD_TLBI_NH_VA: '§4.4.2',
  CMD_TLBI_NH_VAA: '§4.4.2',
  CMD_TLBI_EL3_ALL: '§4.4',
  CMD_TLBI_EL3_VA: '§4.4',
  CMD_TLBI_EL2_ALL: '§4.4.2',
  CMD_TLBI_EL2_ASID: '§4.4.2',
  CMD_TLBI_EL2_VA: '§4.4.2',
  CMD_TLBI_EL2_VAA: '§4.4.2',
  CMD_TLBI_S12_VMALL: '§4.4.3',
  CMD_TLBI_S2_IPA: '§4.4.3',
  CMD_TLBI_NSNH_ALL: '§4.4.4',
  CMD_ATC_INV: '§4.5.1',
  CMD_PRI_RESP: '§4.5.2',
  CMD_RESUME: '§4.7.1',
  CMD_STALL_TERM: '§4.7.2',
  CMD_SYNC: '§4.7.3',
};

const TLBI_COMMON = '§4.4.1';
const COMMAND_COMMON: DocTable = {
  Opcode: doc('Command opcode', '§4.1.1', {
    describe: (v) => COMMAND_BY_OPCODE.get(Number(v))?.name ?? 'unknown opcode (CERROR_ILL)',
  }),
  SSV: doc('The SubstreamID field is valid', '§4.1.6'),
  SubstreamID: doc('SubstreamID (PASID) the command applies to', '§4.1.6'),
  StreamID: doc('StreamID the command applies to', '§4.1.6'),
  NUM: doc('Range invalidation: (NUM+1)·2^SCALE granules', TLBI_COMMON),
  SCALE: doc('Range invalidation: exponent of the granule count', TLBI_COMMON),
  Leaf: doc('Only last-level (leaf) entries need to go', TLBI_COMMON, {
    values: { 0: 'leaf and walk-cache entries', 1: 'leaf entries only' },
  }),
  TTL: doc('Level of the leaf entries being invalidated', TLBI_COMMON, {
    values: { 0: 'any level', 1: 'level 1', 2: 'level 2', 3: 'level 3' },
  }),
  TG: doc('Granule of the range (0 = no range, no TTL)', TLBI_COMMON, {
    values: { 0: 'any (no range)', 1: '4 KB', 2: '16 KB', 3: '64 KB' },
  }),
  Address: doc('Address to invalidate (bits 63:12)', TLBI_COMMON, { address: true }),
  VMID: doc('VMID whose entries are invalidated', TLBI_COMMON),
  ASID: doc('ASID whose entries are invalidated', TLBI_COMMON),
};

/** Per-command meanings where a field name means something else than in COMMAND_COMMON. */
const COMMAND_OVERRIDES: Readonly<Record<string, DocTable>> = {
  CMD_PREFETCH_ADDR: {
    Size: doc('log2 of the number of pages to prefetch', '§4.2.2'),
    Stride: doc('log2 of the distance between prefetched pages', '§4.2.2'),
    NS: doc('The address is Non-secure (Secure queue only)', '§4.2.2'),
    Address: doc('First address to prefetch (bits 63:12)', '§4.2.2', { address: true }),
  },
  CMD_CFGI_STE: {
    Leaf: doc('1: only the STE; 0: also the L1STD covering it', '§4.3.1', {
      values: { 0: 'STE and L1STD', 1: 'STE only' },
    }),
  },
  CMD_CFGI_STE_RANGE: {
    Range: doc('Invalidate 2^(Range+1) aligned StreamIDs; 31 = all (CFGI_ALL)', '§4.3.2', {
      describe: (v) => (v === 31n ? 'every StreamID' : `${2n ** (v + 1n)} StreamIDs`),
    }),
  },
  CMD_CFGI_CD: {
    Leaf: doc('1: only the CD; 0: also the L1CD covering it', '§4.3.3', {
      values: { 0: 'CD and L1CD', 1: 'CD only' },
    }),
  },
  CMD_TLBI_S2_IPA: {
    Address: doc('IPA to invalidate (bits 51:12)', '§4.4.3', { address: true }),
  },
  CMD_ATC_INV: {
    Global: doc('With SSV=1, also drop global ATC entries', '§4.5.1'),
    Size: doc('The span is 4 KB × 2^Size, aligned to its size (52 = all)', '§4.5.1', {
      describe: (v) => (v >= 52n ? 'everything' : `${4n << v} KB`),
    }),
    Address: doc('Start of the span (bits 63:12)', '§4.5.1', { address: true }),
  },
  CMD_PRI_RESP: {
    PRGIndex: doc('Page Request Group being answered', '§4.5.2'),
    Resp: doc('Response sent to the device', '§4.5.2', {
      values: {
        0: 'ResponseFailure (device stops PRI)',
        1: 'InvalidRequest',
        2: 'Success',
        3: 'reserved (CERROR_ILL)',
      },
    }),
  },
  CMD_RESUME: {
    Ac: doc('Action: retry the stalled transaction, or terminate it', '§4.7.1', {
      values: { 0: 'terminate', 1: 'retry' },
    }),
    Ab: doc('When terminating: abort (1) or RAZ/WI (0)', '§4.7.1', {
      values: { 0: 'RAZ/WI', 1: 'abort' },
    }),
    STAG: doc('Stall tag from the event record', '§4.7.1'),
  },
  CMD_SYNC: {
    CS: doc('How completion is signalled', '§4.7.3', {
      values: { 0: 'no signal', 1: 'MSI write', 2: 'SEV (wake WFE)', 3: 'reserved' },
    }),
    MSH: doc('Shareability of the completion MSI write', '§4.7.3', { values: SHARE }),
    MSIAttr: doc('Memory attributes of the completion MSI write', '§4.7.3'),
    MSIData: doc('Data written by the completion MSI', '§4.7.3'),
    MSIAddress: doc('Where the completion MSI is written (bits 51:2)', '§4.7.3', {
      address: true,
    }),
  },
};

/** A command field's doc; `command` is the spec name (CMD_…). */
export function commandFieldDoc(command: string, field: string): FieldDoc | undefined {
  const name = command === 'CMD_CFGI_ALL' ? 'CMD_CFGI_STE_RANGE' : command;
  return COMMAND_OVERRIDES[name]?.[field] ?? COMMAND_COMMON[field];
}

// ---- Registers (§6.3) --------------------------------------------------------------------------

export const REG_SECTION: Readonly<Record<RegName, string>> = {
  IDR0: '§6.3.1',
  IDR1: '§6.3.2',
  IDR3: '§6.3.4',
  IDR5: '§6.3.6',
  CR0: '§6.3.9',
  CR0ACK: '§6.3.10',
  CR1: '§6.3.11',
  CR2: '§6.3.12',
  GBPA: '§6.3.14',
  IRQ_CTRL: '§6.3.16',
  GERROR: '§6.3.19',
  GERRORN: '§6.3.20',
  STRTAB_BASE: '§6.3.24',
  STRTAB_BASE_CFG: '§6.3.25',
  CMDQ_BASE: '§6.3.26',
  CMDQ_PROD: '§6.3.27',
  CMDQ_CONS: '§6.3.28',
  EVENTQ_BASE: '§6.3.29',
  EVENTQ_PROD: '§6.3.95',
  EVENTQ_CONS: '§6.3.96',
  PRIQ_BASE: '§6.3.33',
  PRIQ_PROD: '§6.3.97',
  PRIQ_CONS: '§6.3.98',
};

/** Register widths: the table and queue bases are 64-bit, the rest 32-bit. */
export const REG_WIDTH: Readonly<Record<RegName, 32 | 64>> = {
  IDR0: 32,
  IDR1: 32,
  IDR3: 32,
  IDR5: 32,
  CR0: 32,
  CR0ACK: 32,
  CR1: 32,
  CR2: 32,
  GBPA: 32,
  IRQ_CTRL: 32,
  GERROR: 32,
  GERRORN: 32,
  STRTAB_BASE: 64,
  STRTAB_BASE_CFG: 32,
  CMDQ_BASE: 64,
  CMDQ_PROD: 32,
  CMDQ_CONS: 32,
  EVENTQ_BASE: 64,
  EVENTQ_PROD: 32,
  EVENTQ_CONS: 32,
  PRIQ_BASE: 64,
  PRIQ_PROD: 32,
  PRIQ_CONS: 32,
};

const r = (reg: RegName, meaning: string, extra?: Omit<FieldDoc, 'meaning' | 'section'>) =>
  doc(meaning, REG_SECTION[reg], extra);

const cr0 = (reg: 'CR0' | 'CR0ACK'): DocTable => {
  const ack = reg === 'CR0ACK' ? ' (acknowledged: now in effect)' : '';
  return {
    SMMUEN: r(reg, `SMMU translation enabled${ack}`, { values: ENABLED }),
    PRIQEN: r(reg, `PRI queue enabled${ack}`, { values: ENABLED }),
    EVENTQEN: r(reg, `Event queue enabled${ack}`, { values: ENABLED }),
    CMDQEN: r(reg, `Command queue processing enabled${ack}`, { values: ENABLED }),
    ATSCHK: r(reg, `ATS Translated traffic is checked against the STE${ack}`),
  };
};

const gerror = (reg: 'GERROR' | 'GERRORN'): DocTable => {
  const how =
    reg === 'GERROR'
      ? 'toggled by the SMMU; active while it differs from GERRORN'
      : 'software copies GERROR here to acknowledge';
  return {
    CMDQ_ERR: r(reg, `Command queue error (see CMDQ_CONS.ERR); ${how}`),
    EVENTQ_ABT_ERR: r(reg, `External abort writing the event queue; ${how}`),
    PRIQ_ABT_ERR: r(reg, `External abort writing the PRI queue; ${how}`),
    MSI_CMDQ_ABT_ERR: r(reg, `CMD_SYNC completion MSI aborted; ${how}`),
    MSI_EVENTQ_ABT_ERR: r(reg, `Event queue MSI aborted; ${how}`),
    MSI_PRIQ_ABT_ERR: r(reg, `PRI queue MSI aborted; ${how}`),
    MSI_GERROR_ABT_ERR: r(reg, `GERROR MSI aborted; ${how}`),
    SFM_ERR: r(reg, `The SMMU entered Service Failure Mode; ${how}`),
  };
};

const queueBase = (reg: 'CMDQ_BASE' | 'EVENTQ_BASE' | 'PRIQ_BASE', what: string): DocTable => ({
  LOG2SIZE: r(reg, `log2 of the number of ${what} slots`, {
    describe: (v) => `${2n ** v} slots`,
  }),
  ADDR: r(reg, `Base address of the ${what} ring (bits 55:5, aligned to its size)`, {
    address: true,
  }),
  ...(reg === 'CMDQ_BASE'
    ? { RA: r(reg, 'Read-allocate hint for command fetches') }
    : { WA: r(reg, `Write-allocate hint for ${what} writes`) }),
});

const ptr = (reg: RegName, who: string): FieldDoc =>
  r(reg, `${who}: slot index, with the wrap bit just above it`);

export const REG_DOCS: Readonly<Record<RegName, DocTable>> = {
  IDR0: {
    S2P: r('IDR0', 'Stage-2 translation implemented', { values: SUPPORTED }),
    S1P: r('IDR0', 'Stage-1 translation implemented', { values: SUPPORTED }),
    TTF: r('IDR0', 'Translation table formats supported', {
      values: { 0: 'reserved', 1: 'AArch32 LPAE', 2: 'AArch64', 3: 'AArch32 and AArch64' },
    }),
    COHACC: r('IDR0', 'Table and queue accesses are coherent with the CPUs'),
    BTM: r('IDR0', 'Can take part in CPU broadcast TLB maintenance', { values: SUPPORTED }),
    HTTU: r('IDR0', 'Hardware updates of Access flag / dirty state', {
      values: {
        0: 'none',
        1: 'Access flag',
        2: 'Access flag and dirty state',
        3: 'AF, dirty state and table AF',
      },
    }),
    DORMHINT: r('IDR0', 'Dormant hint supported'),
    HYP: r('IDR0', 'EL2 stream worlds (hypervisor stage-1 contexts) supported'),
    ATS: r('IDR0', 'PCIe ATS supported', { values: SUPPORTED }),
    NS1ATS: r('IDR0', 'Split-stage ATS is NOT supported when set'),
    ASID16: r('IDR0', '16-bit ASIDs supported'),
    MSI: r('IDR0', 'Message-signalled interrupts supported'),
    SEV: r('IDR0', 'Can send WFE wake-up events to the CPUs'),
    ATOS: r('IDR0', 'Address translation operation registers implemented'),
    PRI: r('IDR0', 'Page Request Interface (PRI queue) supported', { values: SUPPORTED }),
    VMW: r('IDR0', 'VMID wildcard matching for TLB invalidation'),
    VMID16: r('IDR0', '16-bit VMIDs supported'),
    CD2L: r('IDR0', 'Two-level CD tables supported', { values: SUPPORTED }),
    VATOS: r('IDR0', 'Virtual ATOS page implemented'),
    TTENDIAN: r('IDR0', 'Endianness of table walks supported', {
      values: { 0: 'mixed', 1: 'reserved', 2: 'little-endian only', 3: 'big-endian only' },
    }),
    ATSRECERR: r('IDR0', 'Records extra configuration errors for ATS and PRI requests'),
    STALL_MODEL: r('IDR0', 'Fault models available to CD.S / STE.S2S', {
      values: { 0: 'stall and terminate', 1: 'terminate only', 2: 'stall forced', 3: 'reserved' },
    }),
    TERM_MODEL: r('IDR0', 'Terminated transactions always abort (CD.A must be 1)', {
      values: { 0: 'abort or RAZ/WI', 1: 'abort only' },
    }),
    ST_LEVEL: r('IDR0', 'Stream table formats supported', {
      values: { 0: 'linear only', 1: 'linear and 2-level', 2: 'reserved', 3: 'reserved' },
    }),
  },
  IDR1: {
    SIDSIZE: r('IDR1', 'StreamID width in bits'),
    SSIDSIZE: r('IDR1', 'SubstreamID (PASID) width in bits; 0 = no substreams'),
    PRIQS: r('IDR1', 'log2 of the largest PRI queue'),
    EVENTQS: r('IDR1', 'log2 of the largest event queue'),
    CMDQS: r('IDR1', 'log2 of the largest command queue'),
    ATTR_PERMS_OVR: r('IDR1', 'STE can override incoming privilege and instruction attributes'),
    ATTR_TYPES_OVR: r('IDR1', 'STE can override incoming memory type and shareability'),
    REL: r('IDR1', 'Base registers hold offsets relative to the SMMU (embedded)'),
    QUEUES_PRESET: r('IDR1', 'Queue bases and sizes are fixed by the implementation'),
    TABLES_PRESET: r('IDR1', 'Stream table base and size are fixed by the implementation'),
    ECMDQ: r('IDR1', 'Enhanced command queue interfaces implemented'),
  },
  IDR3: {
    HAD: r('IDR3', 'CD.HAD0/HAD1 (hierarchical attribute disable) supported'),
    PBHA: r('IDR3', 'Page-based hardware attributes supported'),
    XNX: r('IDR3', 'Stage-2 XN distinguishes EL0 and EL1'),
    PPS: r('IDR3', 'Automatic PRI responses echo the request’s PASID'),
    STT: r('IDR3', 'Small translation tables (larger TxSZ) supported'),
    RIL: r('IDR3', 'Range TLB invalidation (TG/NUM/SCALE) supported'),
    BBML: r('IDR3', 'Break-before-make level supported'),
    E0PD: r('IDR3', 'CD.E0PD0/E0PD1 supported'),
  },
  IDR5: {
    OAS: r('IDR5', 'Output (physical) address size', { values: PA_SIZES }),
    GRAN4K: r('IDR5', '4 KB translation granule supported'),
    GRAN16K: r('IDR5', '16 KB translation granule supported'),
    GRAN64K: r('IDR5', '64 KB translation granule supported'),
    DS: r('IDR5', '52-bit addresses with 4 KB/16 KB granules (LPA2)'),
    VAX: r('IDR5', 'Largest virtual address size', {
      values: { 0: '48-bit', 1: '52-bit', 2: '56-bit', 3: 'reserved' },
    }),
    STALL_MAX: r('IDR5', 'Most stalled transactions the SMMU keeps at once'),
  },
  CR0: cr0('CR0'),
  CR0ACK: cr0('CR0ACK'),
  CR1: {
    QUEUE_IC: r('CR1', 'Inner cacheability of queue accesses', { values: CACHE_CR1 }),
    QUEUE_OC: r('CR1', 'Outer cacheability of queue accesses', { values: CACHE_CR1 }),
    QUEUE_SH: r('CR1', 'Shareability of queue accesses', { values: SHARE }),
    TABLE_IC: r('CR1', 'Inner cacheability of stream/CD table accesses', { values: CACHE_CR1 }),
    TABLE_OC: r('CR1', 'Outer cacheability of stream/CD table accesses', { values: CACHE_CR1 }),
    TABLE_SH: r('CR1', 'Shareability of stream/CD table accesses', { values: SHARE }),
  },
  CR2: {
    E2H: r('CR2', 'EL2 streams use the EL2-E2H regime (ASID-tagged)'),
    RECINVSID: r('CR2', 'Record C_BAD_STREAMID for out-of-range StreamIDs'),
    PTM: r('CR2', 'Private TLB maintenance: ignore CPU broadcast TLBIs', {
      values: { 0: 'snoop broadcast TLBI (BTM)', 1: 'explicit TLBI only' },
    }),
  },
  GBPA: {
    MemAttr: r('GBPA', 'Memory type for bypass traffic while SMMUEN=0 (MTCFG=1)'),
    MTCFG: r('GBPA', 'Override the memory type of bypass traffic'),
    ALLOCCFG: r('GBPA', 'Allocation hints for bypass traffic'),
    SHCFG: r('GBPA', 'Shareability of bypass traffic', {
      values: { 0: 'non-shareable', 1: 'use incoming', 2: 'outer shareable', 3: 'inner shareable' },
    }),
    PRIVCFG: r('GBPA', 'Privilege of bypass traffic'),
    INSTCFG: r('GBPA', 'Instruction/data attribute of bypass traffic'),
    ABORT: r('GBPA', 'While SMMUEN=0, abort all traffic instead of bypassing it', {
      values: { 0: 'bypass', 1: 'abort' },
    }),
    UPDATE: r('GBPA', 'Write 1 to apply the other fields; reads 0 when done'),
  },
  IRQ_CTRL: {
    GERROR_IRQEN: r('IRQ_CTRL', 'Global error interrupt enabled', { values: ENABLED }),
    PRIQ_IRQEN: r('IRQ_CTRL', 'PRI queue interrupt enabled', { values: ENABLED }),
    EVENTQ_IRQEN: r('IRQ_CTRL', 'Event queue interrupt enabled', { values: ENABLED }),
  },
  GERROR: gerror('GERROR'),
  GERRORN: gerror('GERRORN'),
  STRTAB_BASE: {
    ADDR: r('STRTAB_BASE', 'Base address of the stream table (bits 55:6)', { address: true }),
    RA: r('STRTAB_BASE', 'Read-allocate hint for stream table fetches'),
  },
  STRTAB_BASE_CFG: {
    LOG2SIZE: r('STRTAB_BASE_CFG', 'log2 of the number of StreamIDs (capped by SIDSIZE)', {
      describe: (v) => `${2n ** v} StreamIDs`,
    }),
    SPLIT: r('STRTAB_BASE_CFG', 'StreamID bits resolved by a level-2 table', {
      values: {
        6: '64 STEs per leaf (4 KB)',
        8: '256 STEs per leaf (16 KB)',
        10: '1024 STEs (64 KB)',
      },
    }),
    FMT: r('STRTAB_BASE_CFG', 'Stream table format', {
      values: { 0: 'linear', 1: '2-level', 2: 'reserved (linear)', 3: 'reserved (linear)' },
    }),
  },
  CMDQ_BASE: queueBase('CMDQ_BASE', 'command'),
  CMDQ_PROD: { WR: ptr('CMDQ_PROD', 'Where software writes the next command') },
  CMDQ_CONS: {
    RD: ptr('CMDQ_CONS', 'Next command the SMMU will consume'),
    ERR: r('CMDQ_CONS', 'Why command consumption stopped', {
      values: { 0: 'CERROR_NONE', 1: 'CERROR_ILL', 2: 'CERROR_ABT', 3: 'CERROR_ATC_INV_SYNC' },
    }),
  },
  EVENTQ_BASE: queueBase('EVENTQ_BASE', 'event'),
  EVENTQ_PROD: {
    WR: ptr('EVENTQ_PROD', 'Where the SMMU writes the next event'),
    OVFLG: r('EVENTQ_PROD', 'Toggled when events were lost to overflow'),
  },
  EVENTQ_CONS: {
    RD: ptr('EVENTQ_CONS', 'Next event software will read'),
    OVACKFLG: r('EVENTQ_CONS', 'Software’s copy of OVFLG: overflow acknowledged'),
  },
  PRIQ_BASE: queueBase('PRIQ_BASE', 'PRI'),
  PRIQ_PROD: {
    WR: ptr('PRIQ_PROD', 'Where the SMMU writes the next page request'),
    OVFLG: r('PRIQ_PROD', 'Toggled when page requests were lost to overflow'),
  },
  PRIQ_CONS: {
    RD: ptr('PRIQ_CONS', 'Next page request software will read'),
    OVACKFLG: r('PRIQ_CONS', 'Software’s copy of OVFLG: overflow acknowledged'),
  },
};

export const regFieldDoc = (reg: RegName, field: string): FieldDoc | undefined =>
  REG_DOCS[reg][field];

/** The named or computed meaning of a value ("stage 1 translates", "PA 0x4001_0000"). */
export function valueMeaning(
  d: FieldDoc | undefined,
  value: bigint,
  lo: number,
): string | undefined {
  if (!d) return undefined;
  if (d.address) return `address 0x${(value << BigInt(lo)).toString(16)}`;
  const named = d.values?.[Number(value)];
  if (named !== undefined) return named;
  return d.describe?.(value);
}
