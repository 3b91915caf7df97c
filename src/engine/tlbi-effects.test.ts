// What each TLB invalidation removes, and what it must leave (SPEC §4.4.2–§4.4.4; smmuv3.md §9):
// one TLB holding NS-EL1 stage-1 entries of two VMIDs (ASID-tagged and global), stage-2-only
// entries, NS-EL2 and NS-EL2-E2H entries, at two VAs each. Every command is written as raw dwords
// computed by hand, and the expected survivors are listed by name from the spec's scope — nothing
// here asks the engine which entries a command should match.
import { describe, expect, it } from 'vitest';
import { writeRegister } from './regwrite.ts';
import type { Smmu } from './smmu.ts';
import {
  CDTAB,
  NG,
  PAGE,
  RW,
  S2RW,
  Tables,
  env,
  putCd,
  putSte,
  txn,
  type CdOpts,
} from './tables.testkit.ts';
import { CMDQ_PA } from './testkit.ts';
import { translate } from './translate.ts';

type Raw = readonly [bigint, bigint];
const SYNC: Raw = [0x46n, 0n];
const VA_A = 0x1000_0000n;
const VA_B = 0x2000_0000n;
const CR2_RECINVSID = 0b010n;
const CR2_E2H = 0b001n;

/** Writes raw commands at PROD of the 8-entry queue (index [2:0], wrap bit 3), advancing PROD. */
function push(s: Smmu, cmds: readonly Raw[]): void {
  for (const c of cmds) {
    const prod = Number(s.regs.CMDQ_PROD & 0xfn);
    s.mem.writeWords(CMDQ_PA + BigInt(prod & 7) * 16n, c);
    writeRegister(s, 'CMDQ_PROD', BigInt((prod + 1) & 0xf));
  }
}

// Which translation context filled an entry: StreamID/SubstreamID → a short name.
const NAMES: Record<string, string> = {
  '1/1': 'a5', // NS-EL1, VMID 1, ASID 5, nG
  '1/2': 'a6', // NS-EL1, VMID 1, ASID 6, nG
  '1/3': 'g1', // NS-EL1, VMID 1, global (nG=0) leaves
  '2/-': 'v2', // NS-EL1, VMID 2, ASID 5, nG
  '3/-': 's2', // stage-2 only, VMID 1
  '5/-': 'el2', // NS-EL2 (STRW=EL2, CR2.E2H=0): no ASIDs
  '6/-': 'e2h5', // NS-EL2-E2H, ASID 5, nG
  '7/-': 'e2h6', // NS-EL2-E2H, ASID 6, nG
  '8/-': 'e2hg', // NS-EL2-E2H, global
};
const label = (sid: number, ssid: number | undefined, ia: bigint): string =>
  `${NAMES[`${sid}/${ssid ?? '-'}`] ?? '?'}@${ia === VA_A ? 'A' : ia === VA_B ? 'B' : ia}`;
const both = (...names: string[]): string[] => names.flatMap((n) => [`${n}@A`, `${n}@B`]);
const ALL = both('a5', 'a6', 'g1', 'v2', 's2', 'el2', 'e2h5', 'e2h6', 'e2hg');
const tlbLabels = (s: Smmu): string[] =>
  s.tlb
    .entries()
    .map((e) => label(e.sid, e.ssid, e.ia))
    .sort();

/** Fills the TLB with the 18 entries of ALL; leaves CR2.E2H as `e2h`. */
function world(e2h: boolean): Smmu {
  const s = env();
  const t = new Tables(s.mem, 12);
  const ngRoot = t.alloc();
  const gRoot = t.alloc();
  for (const va of [VA_A, VA_B]) {
    // Output PA = VA + 0x8000_0000 (inside RAM); RW = AF | AP[1]; NG = bit 11.
    t.map(ngRoot, 0, 48, va, 3, (va + 0x8000_0000n) | RW | PAGE | NG);
    t.map(gRoot, 0, 48, va, 3, (va + 0x8000_0000n) | RW | PAGE);
  }
  const cd = (page: number, o: CdOpts) => putCd(s, CDTAB + BigInt(page) * 0x1000n, o);
  // SID 1: a linear table of 4 CDs (S1CDMax 2), CD 0 reserved by S1DSS=SSID0.
  putSte(s, 1, { config: 5, s1ctx: CDTAB, s1cdmax: 2, s1dss: 2, s2vmid: 1 });
  putCd(s, CDTAB + 64n, { ttb0: ngRoot, asid: 5 });
  putCd(s, CDTAB + 128n, { ttb0: ngRoot, asid: 6 });
  putCd(s, CDTAB + 192n, { ttb0: gRoot, asid: 7 });
  putSte(s, 2, { config: 5, s1ctx: CDTAB + 0x1000n, s2vmid: 2 });
  cd(1, { ttb0: ngRoot, asid: 5 });
  // SID 3: stage 2 only, 40-bit IPA starting at level 1 (S2T0SZ 24, S2SL0 1: two
  // concatenated level-1 tables, 8 KB), identity-offset like the stage-1 mappings.
  const t2 = new Tables(s.mem, 12, 0x4200_0000n);
  const s2Root = t2.alloc(0x2000n);
  for (const ipa of [VA_A, VA_B]) t2.map(s2Root, 1, 40, ipa, 3, (ipa + 0x8000_0000n) | S2RW | PAGE);
  putSte(s, 3, { config: 6, s2t0sz: 24, s2sl0: 1, s2ttb: s2Root, s2vmid: 1 });
  // SIDs 5–8: STRW=0b10 (EL2). With CR2.E2H=0 that is NS-EL2, with E2H=1 NS-EL2-E2H (§5.2).
  for (const [sid, page, o] of [
    [5, 2, { ttb0: ngRoot, asid: 5 }],
    [6, 3, { ttb0: ngRoot, asid: 5 }],
    [7, 4, { ttb0: ngRoot, asid: 6 }],
    [8, 5, { ttb0: gRoot, asid: 7 }],
  ] as const) {
    putSte(s, sid, { config: 5, strw: 2, s1ctx: CDTAB + BigInt(page) * 0x1000n });
    cd(page, o);
  }
  const fill = (sid: number, ssid?: number) => {
    for (const va of [VA_A, VA_B]) {
      const o = translate(s, txn(sid, va, 'r', ssid === undefined ? {} : { ssid })).outcome;
      expect(o.type, `SID ${sid}/${ssid} @${va}`).toBe('translated');
    }
  };
  [1, 2, 3].forEach((ssid) => fill(1, ssid));
  fill(2);
  fill(3);
  fill(5);
  writeRegister(s, 'CR2', CR2_RECINVSID | CR2_E2H);
  [6, 7, 8].forEach((sid) => fill(sid));
  if (!e2h) writeRegister(s, 'CR2', CR2_RECINVSID);
  expect(tlbLabels(s)).toEqual([...ALL].sort());
  return s;
}

// [title, CR2.E2H when issued, dw0, dw1, entries the command removes]
const CASES: readonly (readonly [string, boolean, bigint, bigint, readonly string[]])[] = [
  // dw0 = 0x10 | VMID << 32. VMALLE1 scope: every NS-EL1 stage-1 entry of the VMID.
  ['TLBI_NH_ALL VMID 1', true, 0x0000_0001_0000_0010n, 0n, both('a5', 'a6', 'g1')],
  ['TLBI_NH_ALL VMID 2', true, 0x0000_0002_0000_0010n, 0n, both('v2')],
  // EL2 entries carry no VMID (they are tagged VMID 0 here); NH_* never reach them.
  ['TLBI_NH_ALL VMID 0 (EL2 entries are not NS-EL1)', false, 0x0000_0000_0000_0010n, 0n, []],
  // 0x11 | VMID 1 << 32 | ASID 5 << 48: non-global entries of ASID 5 in VMID 1 only.
  ['TLBI_NH_ASID VMID 1 ASID 5', true, 0x0005_0001_0000_0011n, 0n, both('a5')],
  // 0x12 | VMID 1 << 32 | ASID 5 << 48; dw1 = VA_A | Leaf: ASID 5 at VA_A, plus global ones.
  ['TLBI_NH_VA VMID 1 ASID 5 VA_A', true, 0x0005_0001_0000_0012n, 0x1000_0001n, ['a5@A', 'g1@A']],
  // 0x13 | VMID 1 << 32; dw1 = VA_A | Leaf: VA_A in every ASID of VMID 1, global included.
  ['TLBI_NH_VAA VMID 1 VA_A', true, 0x0000_0001_0000_0013n, 0x1000_0001n, ['a5@A', 'a6@A', 'g1@A']],
  ['TLBI_NH_VAA VMID 2 VA_B', true, 0x0000_0002_0000_0013n, 0x2000_0001n, ['v2@B']],
  // 0x20: every NS-EL2 and NS-EL2-E2H entry, ASID-tagged or not (§4.4.2.7).
  ['TLBI_EL2_ALL', true, 0x20n, 0n, both('el2', 'e2h5', 'e2h6', 'e2hg')],
  // 0x21 | ASID 5 << 48: non-global NS-EL2-E2H entries of ASID 5; NS-EL2 has no ASIDs (§4.4.2.10).
  ['TLBI_EL2_ASID 5', true, 0x0005_0000_0000_0021n, 0n, both('e2h5')],
  // 0x22 | ASID 5 << 48; E2H=1: NS-EL2-E2H ASID 5 or global at VA_A (§4.4.2.8).
  [
    'TLBI_EL2_VA ASID 5 VA_A, E2H=1',
    true,
    0x0005_0000_0000_0022n,
    0x1000_0001n,
    ['e2h5@A', 'e2hg@A'],
  ],
  // E2H=0: NS-EL2 entries at VA_A, the ASID parameter ignored.
  ['TLBI_EL2_VA ASID 5 VA_A, E2H=0', false, 0x0005_0000_0000_0022n, 0x1000_0001n, ['el2@A']],
  // 0x23: VA_A in every ASID of the world E2H selects (§4.4.2.9).
  ['TLBI_EL2_VAA VA_A, E2H=1', true, 0x23n, 0x1000_0001n, ['e2h5@A', 'e2h6@A', 'e2hg@A']],
  ['TLBI_EL2_VAA VA_A, E2H=0', false, 0x23n, 0x1000_0001n, ['el2@A']],
  // 0x30: ALLE1 scope, all NS non-EL2 entries at every stage and VMID (§4.4.4.1).
  ['TLBI_NSNH_ALL', true, 0x30n, 0n, both('a5', 'a6', 'g1', 'v2', 's2')],
  // 0x28 | VMID 1 << 32: VMALLS12E1, every NS-EL1 entry of VMID 1, both stages (§4.4.3.2).
  ['TLBI_S12_VMALL VMID 1', true, 0x0000_0001_0000_0028n, 0n, both('a5', 'a6', 'g1', 's2')],
  // 0x2A | VMID 1 << 32; dw1 = IPA VA_A | Leaf: stage-2 entries of the IPA (§4.4.3.1).
  ['TLBI_S2_IPA VMID 1 IPA VA_A', true, 0x0000_0001_0000_002an, 0x1000_0001n, ['s2@A']],
];

describe('TLB invalidation scope: what goes at CMD_SYNC, what stays', () => {
  it.each(CASES)('%s', (_t, e2h, dw0, dw1, gone) => {
    const s = world(e2h);
    push(s, [[dw0, dw1]]);
    expect(s.takeLog().commands.map((c) => c.error)).toEqual([undefined]);
    expect(tlbLabels(s)).toEqual([...ALL].sort()); // consumed, not yet guaranteed (§4.6.3)
    push(s, [SYNC]);
    expect(tlbLabels(s)).toEqual(ALL.filter((l) => !gone.includes(l)).sort());
  });
});

describe('combined stage 1+2 entries (nested)', () => {
  /** SID 4 nests (Config 0b111, VMID 1) beside SID 3's stage-2-only entries of VMID 1. */
  function nested() {
    const s = env();
    const t1 = new Tables(s.mem, 12);
    const root1 = t1.alloc();
    const t2 = new Tables(s.mem, 12, 0x4200_0000n);
    const root2 = t2.alloc(0x2000n);
    const ste = { s2t0sz: 24, s2sl0: 1, s2ttb: root2, s2vmid: 1 };
    putSte(s, 3, { config: 6, ...ste });
    putSte(s, 4, { config: 7, s1ctx: CDTAB, ...ste });
    putCd(s, CDTAB, { ttb0: root1, asid: 9 });
    // Stage 1: VA → IPA VA + 0x1000_0000; stage 2: identity for the CD and the stage-1 tables,
    // IPA → PA + 0x8000_0000 for data.
    const walked = [VA_A, VA_B].flatMap((va) =>
      t1.map(root1, 0, 48, va, 3, (va + 0x1000_0000n) | RW | PAGE | NG),
    );
    for (const ipa of new Set([CDTAB, ...walked.map((a) => a & ~0xfffn)]))
      t2.map(root2, 1, 40, ipa, 3, ipa | S2RW | PAGE);
    for (const ipa of [VA_A, VA_B, VA_A + 0x1000_0000n, VA_B + 0x1000_0000n])
      t2.map(root2, 1, 40, ipa, 3, (ipa + 0x8000_0000n) | S2RW | PAGE);
    for (const va of [VA_A, VA_B]) {
      expect(translate(s, txn(4, va)).outcome.type).toBe('translated');
      expect(translate(s, txn(3, va)).outcome.type).toBe('translated');
    }
    return s;
  }
  const byStage = (s: Smmu, stage: string) =>
    s.tlb
      .entries()
      .filter((e) => e.stage === stage)
      .map((e) => `${e.ia.toString(16)}`)
      .sort();

  it.each([
    // 0x10 | VMID 1 << 32; 0x13 | VMID 1 << 32 with dw1 = VA_A | Leaf.
    ['TLBI_NH_ALL VMID 1', [0x0000_0001_0000_0010n, 0n] as Raw, ['10000000', '20000000']],
    ['TLBI_NH_VAA VMID 1 VA_A', [0x0000_0001_0000_0013n, 0x1000_0001n] as Raw, ['10000000']],
  ])('%s removes the combined entries; stage-2 entries of the VMID stay', (_t, cmd, gone) => {
    const s = nested();
    const s2Before = byStage(s, 's2');
    // Stage 2 cached the CD page, four table pages and the final IPAs.
    expect(s2Before.length).toBeGreaterThanOrEqual(6);
    expect(byStage(s, 's12')).toEqual(['10000000', '20000000']);
    push(s, [cmd, SYNC]);
    expect(byStage(s, 's12')).toEqual(['10000000', '20000000'].filter((v) => !gone.includes(v)));
    expect(byStage(s, 's2')).toEqual(s2Before);
  });

  it('TLBI_S2_IPA of the final IPA leaves the combined entry (§4.4.3.1)', () => {
    const s = nested();
    // IPA of VA_A = 0x2000_0000: 0x2A | VMID 1 << 32, dw1 = 0x2000_0000 | Leaf.
    push(s, [[0x0000_0001_0000_002an, 0x2000_0001n], SYNC]);
    expect(byStage(s, 's12')).toEqual(['10000000', '20000000']);
    expect(byStage(s, 's2')).not.toContain('20000000');
  });
});

describe('prefetch commands change nothing that is cached (§4.2)', () => {
  it('PREFETCH_CONFIG / PREFETCH_ADDR + SYNC: TLB and configuration cache as before, no event', () => {
    const s = world(true);
    const cfgBefore = s.cfg.entries();
    // SID 9's STE is invalid: a configuration error found by a prefetch is never recorded.
    putSte(s, 9, { v: false, config: 0 });
    // And SID 1's CD 1 changes in memory: a prefetch is no invalidation, the cached copy stays.
    putCd(s, CDTAB + 64n, { v: false });
    s.takeLog();
    push(s, [
      [0x0000_0009_0000_0001n, 0n], // PREFETCH_CONFIG SID 9: 0x01 | 9 << 32
      // PREFETCH_ADDR SID 1 SSID 1: 0x02 | SSV (1 << 11) | 1 << 12 | 1 << 32; dw1 = VA_A, Size 0
      [0x0000_0001_0000_1802n, 0x1000_0000n],
      SYNC,
    ]);
    const log = s.takeLog();
    expect(log.commands.map((c) => [c.command?.name, c.error])).toEqual([
      ['CMD_PREFETCH_CONFIG', undefined],
      ['CMD_PREFETCH_ADDR', undefined],
      ['CMD_SYNC', undefined],
    ]);
    expect(log.events).toEqual([]);
    expect(tlbLabels(s)).toEqual([...ALL].sort());
    expect(s.cfg.entries()).toEqual(cfgBefore);
    expect(translate(s, txn(1, VA_A, 'r', { ssid: 1 })).tlb).toBe('hit');
  });
});
