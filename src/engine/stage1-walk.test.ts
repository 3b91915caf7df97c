// What a stage-1 walk leaves behind (stage1.ts after the walk): the hardware update of the leaf
// and how the trace says it (§3.13 HTTU: AF set with HA=1, AP[2] cleared for a write to a
// writable-clean page with HD=1), the TLB entry it fills (stage, VMID by StreamWorld, the
// permissions after the update), and the walk's first note. Values worked out by hand below.
import { describe, expect, it } from 'vitest';
import type { Smmu } from './smmu.ts';
import {
  AF,
  AP_EL0,
  AP_RO,
  CDTAB,
  DBM,
  NG,
  PAGE,
  Tables,
  env,
  putCd,
  putSte,
  txn,
  type CdOpts,
  type SteOpts,
} from './tables.testkit.ts';
import { translate } from './translate.ts';

const VA = 0x0000_7fff_dead_b000n; // L0 0xFF, L1 0x1FF, L2 0xF5, L3 0xDB
const PA = 0x8765_4000n;

function world(leaf: bigint, cd: CdOpts = {}, platform = {}, ste: Partial<SteOpts> = {}) {
  const s = env({ platform });
  const t = new Tables(s.mem, 12);
  const root = t.alloc();
  putSte(s, 1, { config: 5, s1ctx: CDTAB, ...ste });
  putCd(s, CDTAB, { ttb0: root, ...cd });
  const at = t.map(root, 0, 48, VA, 3, PA | leaf | PAGE)[3]!;
  return { s, root, at };
}
const httuNote = (s: Smmu, access: 'r' | 'w'): string | undefined =>
  translate(s, txn(1, VA, access)).steps.find((x) => x.kind === 'httu')?.note;

describe('the leaf update and its note', () => {
  const DIRTY = 'hardware update of the leaf descriptor: AP[2] cleared (dirty)';
  it('HA=1 and AF=0: AF set', () => {
    const { s, at } = world(AP_EL0, { ha: true }, { httu: 'af' });
    expect(httuNote(s, 'r')).toBe('hardware update of the leaf descriptor: AF set');
    expect(s.mem.read64(at)).toBe(PA | AF | AP_EL0 | PAGE);
  });

  it('HD=1, a write to a writable-clean page: AP[2] cleared; with AF=0 too, both', () => {
    const dirty = world(AF | AP_EL0 | AP_RO | DBM, { ha: true, hd: true }, { httu: 'af+dirty' });
    expect(httuNote(dirty.s, 'w')).toBe(DIRTY);
    const both = world(AP_EL0 | AP_RO | DBM, { ha: true, hd: true }, { httu: 'af+dirty' });
    expect(httuNote(both.s, 'w')).toBe(
      'hardware update of the leaf descriptor: AF set, AP[2] cleared (dirty)',
    );
    expect(both.s.mem.read64(both.at)).toBe(PA | AF | AP_EL0 | DBM | PAGE);
  });

  it('AFFD=1 without HA: no fault and no update, AF stays 0', () => {
    const { s, at } = world(AP_EL0, { affd: true });
    const t = translate(s, txn(1, VA));
    expect(t.outcome).toMatchObject({ type: 'translated', pa: PA });
    expect(t.steps.some((x) => x.kind === 'httu')).toBe(false);
    expect(s.mem.read64(at)).toBe(PA | AP_EL0 | PAGE);
  });

  it('the TLB entry holds the permissions after the update: the next write hits, no walk', () => {
    const { s } = world(AF | AP_EL0 | AP_RO | DBM, { ha: true, hd: true }, { httu: 'af+dirty' });
    translate(s, txn(1, VA, 'w'));
    const t = translate(s, txn(1, VA, 'w'));
    expect(t.tlb).toBe('hit');
    expect(t.steps.map((x) => x.kind)).not.toContain('tt');
    expect(s.tlb.entries()[0]?.s1).toMatchObject({ ap: 0b01 }); // AP[2:1] was 0b11, AP[2] cleared
  });
});

describe('the TLB entry a walk fills', () => {
  it('stage 1 only, EL1: tagged with the STE’s VMID, the CD’s ASID (nG=1)', () => {
    const { s } = world(AF | AP_EL0 | NG, { asid: 9 }, {}, { s2vmid: 3 });
    translate(s, txn(1, VA + 0x10n));
    expect(s.tlb.entries()).toMatchObject([
      { stage: 's1', vmid: 3, asid: 9, world: 'NS-EL1', ia: VA, oa: PA, sizeShift: 12 },
    ]);
  });

  it('the EL2 StreamWorld (STRW=0b10) has no VMID: 0 whatever S2VMID says', () => {
    const { s } = world(AF | AP_EL0, {}, {}, { s2vmid: 3, strw: 2 });
    translate(s, txn(1, VA, 'r', { priv: true }));
    expect(s.tlb.entries()).toMatchObject([{ stage: 's1', vmid: 0, world: 'EL2', asid: -1 }]);
  });
});

describe('the walk’s first note', () => {
  it('names the TTB, the VA size, the granule, the start level and the table', () => {
    const { s, root } = world(AF | AP_EL0, { t0sz: 25 });
    // T0SZ 25: a 39-bit VA; 4 KB granule: 39 − 12 = 27 bits in 9-bit levels → start at level 1.
    const va = 0x7f_dead_b000n;
    const notes = translate(s, txn(1, va)).steps.map((x) => x.note);
    expect(notes).toContain(
      `TTB0 (39-bit VA, 4K granule): walk starts at level 1, table 0x${root.toString(16)}`,
    );
  });
});
