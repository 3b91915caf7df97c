// Stage 2 alone (Config 0b110) beyond the walk itself: the input-range check, TLB hits and the
// permissions they cache, and the hardware update of a stage-2 descriptor and its note (§3.13:
// S2HA sets AF, S2HD sets S2AP[1] for a write to a writable-clean page, DBM=1; S2AFFD=1 leaves
// AF=0 and does not fault). Tables written by hand as in stage2.test.ts.
import { describe, expect, it } from 'vitest';
import type { Smmu } from './smmu.ts';
import {
  AF,
  DBM,
  PAGE,
  S2AP_R,
  S2AP_W,
  S2RW,
  TABLE,
  env,
  putSte,
  txn,
  type SteOpts,
} from './tables.testkit.ts';
import { translate } from './translate.ts';

const S2TTB = 0x4200_0000n;
// 4 KB granule, 40-bit IPA (S2T0SZ 24), start at L1 (two concatenated tables), VMID 3.
const S2: SteOpts = { config: 6, s2t0sz: 24, s2sl0: 1, s2tg: 0, s2ps: 5, s2ttb: S2TTB, s2vmid: 3 };
const IPA = 0x80_4020_1234n; // L1 0x201, L2 0x001, L3 0x001, offset 0x234
const LEAF = 0x4202_0008n;

function s2only(leaf: bigint, o: Partial<SteOpts> = {}, platform = {}): Smmu {
  const s = env({ platform });
  putSte(s, 1, { ...S2, ...o });
  s.mem.write64(S2TTB + 0x1008n, 0x4201_0000n | TABLE);
  s.mem.write64(0x4201_0008n, 0x4202_0000n | TABLE);
  s.mem.write64(LEAF, 0x8800_0000n | leaf | PAGE);
  return s;
}
const httuNote = (t: ReturnType<typeof translate>) => t.steps.find((x) => x.kind === 'httu')?.note;

describe('stage 2 only', () => {
  it('an IPA beyond S2T0SZ faults before any lookup, S2=1 CLASS=IN', () => {
    const s = s2only(S2RW);
    const t = translate(s, txn(1, 1n << 40n));
    expect(t.outcome).toMatchObject({
      event: { name: 'F_TRANSLATION', s2: true, class: 'IN', ipa: 1n << 40n },
    });
    expect(t.steps.map((x) => x.note)).toContain(
      'IPA 0x10000000000 is outside the 40-bit stage-2 input range (S2T0SZ=24)',
    );
    expect(translate(s, txn(1, (1n << 40n) - 1n)).outcome.type).toBe('fault'); // in range, unmapped
  });

  it('a second access is a TLB hit with the VMID and the PA', () => {
    const s = s2only(S2RW);
    translate(s, txn(1, IPA));
    const t = translate(s, txn(1, IPA + 8n));
    expect(t).toMatchObject({ tlb: 'hit', outcome: { type: 'translated', pa: 0x8800_023cn } });
    expect(t.steps.find((x) => x.kind === 'tlb-hit')?.note).toBe(
      'TLB hit (stage 2, VMID 3): IPA 0x804020123c → PA 0x8800023c',
    );
  });

  it('a write the cached S2AP denies faults from the hit: S2=1, CLASS=IN', () => {
    const s = s2only(AF | S2AP_R);
    translate(s, txn(1, IPA));
    const t = translate(s, txn(1, IPA, 'w'));
    expect(t.outcome).toMatchObject({
      event: { name: 'F_PERMISSION', s2: true, class: 'IN', rnw: false },
    });
    expect(t.steps.find((x) => x.kind === 'tlb-hit')?.note).toMatch(
      /^TLB hit \(stage 2\): cached permissions deny the access — /,
    );
    expect(t.steps.some((x) => x.kind === 'tt')).toBe(false);
  });

  it('S2HA sets AF; S2HD marks a writable-clean page dirty; both say so', () => {
    const httu = { httu: 'af+dirty' };
    const af = s2only(S2AP_R | S2AP_W, { s2ha: true }, httu);
    expect(httuNote(translate(af, txn(1, IPA)))).toBe(
      'hardware update of the stage-2 descriptor: AF set',
    );
    expect(af.mem.read64(LEAF)).toBe(0x8800_0000n | S2RW | PAGE);
    const dirty = s2only(AF | S2AP_R | DBM, { s2ha: true, s2hd: true }, httu);
    expect(httuNote(translate(dirty, txn(1, IPA, 'w')))).toBe(
      'hardware update of the stage-2 descriptor: S2AP[1] set (dirty)',
    );
    expect(dirty.mem.read64(LEAF)).toBe(0x8800_0000n | S2RW | DBM | PAGE);
    const both = s2only(S2AP_R | DBM, { s2ha: true, s2hd: true }, httu);
    expect(httuNote(translate(both, txn(1, IPA, 'w')))).toBe(
      'hardware update of the stage-2 descriptor: AF set, S2AP[1] set (dirty)',
    );
  });

  it('S2AFFD=1 without S2HA: AF=0 translates, no update', () => {
    const s = s2only(S2RW & ~AF, { s2affd: true });
    const t = translate(s, txn(1, IPA));
    expect(t.outcome).toMatchObject({ type: 'translated', pa: 0x8800_0234n });
    expect(httuNote(t)).toBeUndefined();
    expect(s.mem.read64(LEAF)).toBe(0x8800_0000n | S2AP_R | S2AP_W | PAGE);
    expect(translate(s2only(S2RW & ~AF), txn(1, IPA)).outcome).toMatchObject({
      event: { name: 'F_ACCESS', s2: true },
    });
  });

  // §3.9.1.2: an ATS Translation Request is completed with what stage 2 grants, from a hit too.
  it('an ATS request that hits a read-only stage-2 entry completes with its permissions', () => {
    const s = s2only(AF | S2AP_R, { eats: 1 });
    translate(s, txn(1, IPA), { ats: true });
    const t = translate(s, txn(1, IPA, 'w'), { ats: true });
    expect(t).toMatchObject({ tlb: 'hit', outcome: { type: 'translated', pa: 0x8800_0234n } });
    expect(t.outcome.type === 'translated' ? t.outcome.perms : undefined).toMatchObject({
      read: true,
      write: false,
    });
  });
});
