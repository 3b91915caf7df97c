// The SMMU's view of an ATS Translated transaction (translated.ts; §3.9.1.3, §7.3.8), called
// directly: when it is not looked at, each way it is refused or allowed under CR0.ATSCHK=1, the
// OAS check (§3.9.1.1: IMPLEMENTATION DEFINED, this SMMU aborts without a record) and the notes.
import { describe, expect, it } from 'vitest';
import { writeRegister } from './regwrite.ts';
import type { Smmu } from './smmu.ts';
import { CDTAB, env, evtProd, putCd, putSte, txn, type SteOpts } from './tables.testkit.ts';
import { translatedTransaction } from './translated.ts';

const PA = 0x8765_4000n;
function smmu(ste: Partial<SteOpts>, cr0 = 0b11111n): Smmu {
  const s = env();
  writeRegister(s, 'CR0', cr0); // ATSCHK [4] | PRIQEN | EVENTQEN | CMDQEN | SMMUEN
  putSte(s, 1, { config: 5, s1ctx: CDTAB, eats: 1, ...ste });
  putCd(s, CDTAB, {});
  return s;
}
const notes = (t: ReturnType<typeof translatedTransaction>) => t?.steps.map((x) => x.note) ?? [];

describe('translatedTransaction', () => {
  it('SMMUEN=1, ATSCHK=0, within the OAS: not looked at', () => {
    expect(translatedTransaction(smmu({}, 0b1111n), txn(1, 0n), PA)).toBeUndefined();
  });

  it('beyond the OAS: aborted without a record, even with ATSCHK=0', () => {
    const s = smmu({}, 0b1111n);
    const t = translatedTransaction(s, txn(1, 0n), 1n << 48n);
    expect(t?.outcome).toEqual({
      type: 'aborted',
      reason: 'Translated address beyond the OAS',
      termination: 'abort',
    });
    expect(notes(t)).toEqual([
      '0x1000000000000 exceeds the 48-bit OAS: abort, no event',
      'Translated transaction to 0x1000000000000 aborted',
    ]);
    expect(evtProd(s)).toBe(0n);
  });

  it('SMMUEN=0: F_TRANSL_FORBIDDEN, recorded; RnW=0 for a write', () => {
    const s = smmu({}, 0b1110n);
    const t = translatedTransaction(s, txn(1, 0n, 'w'), PA);
    expect(t?.outcome).toMatchObject({
      type: 'fault',
      event: { name: 'F_TRANSL_FORBIDDEN', rnw: false, addr: PA, ssv: false },
    });
    expect(notes(t)[0]).toMatch(/^F_TRANSL_FORBIDDEN: Translated transaction refused: SMMUEN=0;/);
    expect(evtProd(s)).toBe(1n);
  });

  it('ATSCHK=1: allowed with EATS=0b01, and says so', () => {
    const t = translatedTransaction(smmu({}), txn(1, 0n), PA);
    expect(t?.outcome).toEqual({ type: 'translated', pa: PA, stages: 'none' });
    expect(notes(t).slice(-2)).toEqual([
      'CR0.ATSCHK=1 and STE.EATS=0b01: allowed',
      'Translated transaction to 0x87654000 allowed',
    ]);
    expect(translatedTransaction(smmu({}), txn(1, 0n), PA, false)?.steps).toEqual([]);
  });

  it('ATSCHK=1: Config=0b000 aborts silently; bypass and EATS=0b11 are forbidden, by name', () => {
    const abort = smmu({ config: 0 });
    const a = translatedTransaction(abort, txn(1, 0n), PA);
    expect(a?.outcome).toEqual({
      type: 'aborted',
      reason: 'STE.Config = abort',
      termination: 'abort',
    });
    expect(notes(a)).toContain('STE.Config=0: the Translated transaction is aborted, no event');
    expect(evtProd(abort)).toBe(0n);
    const bypass = translatedTransaction(smmu({ config: 4 }), txn(1, 0n), PA);
    expect(notes(bypass)[notes(bypass).length - 2]).toMatch(
      /refused: STE\.Config=0b100 \(no stage translates\);/,
    );
    const reserved = translatedTransaction(smmu({ eats: 3 }), txn(1, 0n), PA);
    expect(notes(reserved)[notes(reserved).length - 2]).toMatch(
      /refused: effective STE\.EATS=0b00 \(EATS=0b11\);/,
    );
  });

  it('ATSCHK=1 with substreams but S1DSS=0b00: no SubstreamID (PASIDTT=0) aborts, no event', () => {
    const s = smmu({ s1cdmax: 2, s1dss: 0 });
    const t = translatedTransaction(s, txn(1, 0n), PA);
    expect(t?.outcome).toMatchObject({ type: 'aborted', event: { name: 'F_STREAM_DISABLED' } });
    expect(evtProd(s)).toBe(0n);
  });
});
