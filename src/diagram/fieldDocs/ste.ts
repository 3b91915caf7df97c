// Stream table docs (§5.1, §5.2): every STE field, and the L1STD of a 2-level stream table.
import {
  doc,
  FETCH_CACHE,
  GRANULE_TG0,
  PA_SIZES,
  SHARE,
  vaBits,
  WALK_CACHE,
  type DocTable,
} from './shared.ts';

const S5_2 = '§5.2';
export const STE_DOCS: DocTable = {
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

export const L1STD_DOCS: DocTable = {
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
