// Stage-1 permissions, access flag and dirty state, and TTB selection (smmuv3.md §4.3, §4.4,
// §4.6; spec-facts Q4 EPD, Q13). AP[2:1]: 00 priv RW, 01 RW both, 10 priv RO, 11 RO both.
import { describe, expect, it } from 'vitest';
import type { Smmu } from './smmu.ts';
import {
  AF,
  AP_EL0,
  AP_RO,
  APT_NO_EL0,
  APT_RO,
  CDTAB,
  DBM,
  NG,
  PAGE,
  PXN,
  PXN_TABLE,
  Tables,
  UXN,
  env,
  evtProd,
  putCd,
  putSte,
  txn,
  type CdOpts,
} from './tables.testkit.ts';
import { translate } from './translate.ts';

const VA = 0x0000_7fff_dead_b000n;
const PA = 0x8765_4000n;

function world(leaf: bigint, cd: CdOpts = {}, platform = {}) {
  const s = env({ platform });
  const t = new Tables(s.mem, 12);
  const root = t.alloc();
  putSte(s, 1, { config: 5, s1ctx: CDTAB });
  putCd(s, CDTAB, { ttb0: root, ...cd });
  const at = t.map(root, 0, 48, VA, 3, PA | leaf | PAGE)[3]!;
  return { s, t, root, at };
}

const kind = (s: Smmu, access: 'r' | 'w' | 'x', priv: boolean, va = VA): string => {
  const o = translate(s, txn(1, va, access, { priv })).outcome;
  return o.type === 'translated' ? 'ok' : (o.event?.name ?? o.type);
};

describe('direct permissions', () => {
  it.each<[string, bigint, CdOpts, 'r' | 'w' | 'x', boolean, string]>([
    ['AP=10 write', AF | AP_RO, {}, 'w', true, 'F_PERMISSION'],
    ['AP=10 read', AF | AP_RO, {}, 'r', true, 'ok'],
    ['AP=00 unprivileged read', AF, {}, 'r', false, 'F_PERMISSION'],
    ['AP=00 privileged write', AF, {}, 'w', true, 'ok'],
    ['AP=11 unprivileged write', AF | AP_EL0 | AP_RO, {}, 'w', false, 'F_PERMISSION'],
    ['UXN unprivileged fetch', AF | AP_EL0 | AP_RO | UXN, {}, 'x', false, 'F_PERMISSION'],
    ['UXN privileged fetch', AF | AP_EL0 | AP_RO | UXN, {}, 'x', true, 'ok'],
    ['PXN privileged fetch', AF | AP_EL0 | AP_RO | PXN, {}, 'x', true, 'F_PERMISSION'],
    ['PXN unprivileged fetch', AF | AP_EL0 | AP_RO | PXN, {}, 'x', false, 'ok'],
    [
      'privileged fetch from an EL0-writable page (AP=01)',
      AF | AP_EL0,
      {},
      'x',
      true,
      'F_PERMISSION',
    ],
    ['WXN: fetch from a writable page', AF, { wxn: true }, 'x', true, 'F_PERMISSION'],
    ['WXN off: same fetch', AF, {}, 'x', true, 'ok'],
    ['WXN: fetch from a read-only page', AF | AP_RO, { wxn: true }, 'x', true, 'ok'],
    ['PAN: privileged read of an EL0 page', AF | AP_EL0, { pan: true }, 'r', true, 'F_PERMISSION'],
    ['PAN: unprivileged read of an EL0 page', AF | AP_EL0, { pan: true }, 'r', false, 'ok'],
    ['PAN: privileged read of a privileged page', AF, { pan: true }, 'r', true, 'ok'],
  ])('%s → %s', (_, leaf, cd, access, priv, want) => {
    expect(kind(world(leaf, cd).s, access, priv)).toBe(want === 'ok' ? 'ok' : want);
  });
});

describe('hierarchical limits (APTable, PXNTable)', () => {
  const limited = (bits: bigint, cd: CdOpts = {}) => {
    const w = world(AF | AP_EL0, cd);
    const l0 = w.root + 0xffn * 8n;
    w.s.mem.write64(l0, (w.s.mem.read64(l0) ?? 0n) | bits);
    return w.s;
  };

  it('APTable[0] (bit 61) removes unprivileged access below', () => {
    const s = limited(APT_NO_EL0);
    expect(kind(s, 'r', false)).toBe('F_PERMISSION');
    expect(kind(s, 'w', true)).toBe('ok');
  });

  it('APTable[1] (bit 62) makes everything below read-only', () => {
    const s = limited(APT_RO);
    expect(kind(s, 'w', false)).toBe('F_PERMISSION');
    expect(kind(s, 'r', false)).toBe('ok');
  });

  it('PXNTable (bit 59) forbids privileged fetches below', () => {
    const s = limited(PXN_TABLE);
    putCd(s, CDTAB, { ttb0: 0x4100_0000n });
    expect(kind(s, 'x', true)).toBe('F_PERMISSION');
  });

  it('HAD0=1 disables the table limits', () => {
    const s = limited(APT_RO, { had0: true });
    expect(kind(s, 'w', false)).toBe('ok');
  });
});

describe('access flag and dirty state (HTTU)', () => {
  it('HA=1: AF written to the leaf in memory (an httu step), no event', () => {
    const { s, at } = world(AP_EL0, { ha: true }, { httu: 'af' });
    const t = translate(s, txn(1, VA));
    expect(t.outcome).toMatchObject({ type: 'translated', pa: PA });
    expect(s.mem.read64(at)).toBe(PA | AP_EL0 | PAGE | AF); // 0x8765_4443
    expect(t.steps.find((x) => x.kind === 'httu')).toMatchObject({ pa: at, value: [0x8765_4443n] });
    expect(evtProd(s)).toBe(0n);
  });

  it('HD=1: a write to a writable-clean page (AP[2]=1, DBM) clears AP[2], no event', () => {
    const clean = AF | AP_EL0 | AP_RO | DBM;
    const { s, at } = world(clean, { ha: true, hd: true }, { httu: 'af+dirty' });
    expect(kind(s, 'r', false)).toBe('ok');
    expect(s.mem.read64(at)).toBe(PA | clean | PAGE); // reads leave it clean
    expect(kind(s, 'w', false)).toBe('ok');
    expect(s.mem.read64(at)).toBe(0x0008_0000_8765_4443n); // DBM | AF | AP=01 | page
    expect(evtProd(s)).toBe(0n);
  });

  it('a write hitting a TLB entry cached as writable-clean still walks and marks it dirty', () => {
    const clean = AF | AP_EL0 | AP_RO | DBM;
    const { s, at } = world(clean, { ha: true, hd: true }, { httu: 'af+dirty' });
    translate(s, txn(1, VA));
    const t = translate(s, txn(1, VA, 'w'));
    expect(t.outcome.type).toBe('translated');
    expect(s.mem.read64(at)).toBe(0x0008_0000_8765_4443n);
    // The trace says why a hit still walks: the hit, then the stage-1 reads and the HTTU write.
    const kinds = t.steps.map((x) => x.kind);
    expect(kinds[kinds.indexOf('tlb-hit') + 1]).toBe('decision');
    expect(t.steps.find((x) => x.kind === 'tlb-hit')?.note).toBe(
      'TLB hit on a writable-clean page: the write needs a walk to record the dirty state',
    );
    expect(kinds.filter((k) => k === 'tt')).toHaveLength(4);
    expect(kinds).toContain('httu');
  });

  it('a TLB miss is noted with the VA and the CD’s ASID', () => {
    const { s } = world(AF | AP_EL0, { asid: 0x2a });
    const miss = translate(s, txn(1, VA)).steps.find((x) => x.kind === 'tlb-miss');
    expect(miss?.note).toBe('TLB miss for VA 0x7fffdeadb000 (ASID 42): walk the stage-1 tables');
  });

  it('DBM without HD: F_PERMISSION, the descriptor unchanged', () => {
    const clean = AF | AP_EL0 | AP_RO | DBM;
    const { s, at } = world(clean, { ha: true }, { httu: 'af+dirty' });
    expect(kind(s, 'w', false)).toBe('F_PERMISSION');
    expect(s.mem.read64(at)).toBe(PA | clean | PAGE);
  });
});

describe('TTB selection and disables', () => {
  it('EPD0=1 → F_TRANSLATION without reading any table', () => {
    const s = world(AF | AP_EL0, { epd0: true }).s;
    const t = translate(s, txn(1, VA));
    expect(t.steps.filter((x) => x.kind === 'tt')).toEqual([]);
    expect(t.outcome).toMatchObject({ event: { name: 'F_TRANSLATION' } });
  });

  it('E0PD0=1 → unprivileged F_TRANSLATION, privileged access translates', () => {
    const s = world(AF | AP_EL0, { e0pd0: true }).s;
    expect(kind(s, 'r', false)).toBe('F_TRANSLATION');
    expect(kind(s, 'r', true)).toBe('ok');
  });

  it('E0PD1=1 faults unprivileged accesses through TTB1 only (VA[55]=1)', () => {
    const s = env();
    const t = new Tables(s.mem, 12);
    const r0 = t.alloc();
    const r1 = t.alloc();
    putSte(s, 1, { config: 5, s1ctx: CDTAB });
    const cd = { ttb0: r0, ttb1: r1, epd1: false, t1sz: 16, tg1: 2 };
    putCd(s, CDTAB, { ...cd, e0pd1: true });
    const hi = 0xffff_8000_0000_1000n;
    t.map(r1, 0, 48, hi, 3, 0x9000_0000n | AF | AP_EL0 | PAGE);
    t.map(r0, 0, 48, VA, 3, PA | AF | AP_EL0 | PAGE);
    const u = translate(s, txn(1, hi));
    expect(u.outcome).toMatchObject({ event: { name: 'F_TRANSLATION', addr: hi } });
    expect(u.steps).toContainEqual({
      kind: 'decision',
      struct: 'cd',
      note: 'E0PD1=1: unprivileged accesses through TTB1 fault',
    });
    expect(kind(s, 'r', true, hi)).toBe('ok');
    expect(kind(s, 'r', false, VA)).toBe('ok');
    // E0PD0 alone leaves TTB1 alone.
    const s0 = env();
    const t0 = new Tables(s0.mem, 12);
    const q0 = t0.alloc();
    const q1 = t0.alloc();
    putSte(s0, 1, { config: 5, s1ctx: CDTAB });
    putCd(s0, CDTAB, { ...cd, ttb0: q0, ttb1: q1, e0pd0: true });
    t0.map(q1, 0, 48, hi, 3, 0x9000_0000n | AF | AP_EL0 | PAGE);
    expect(kind(s0, 'r', false, hi)).toBe('ok');
  });

  it('TBI0=1 ignores the top byte; TBI0=0 faults; InputAddr keeps all 64 bits', () => {
    const tagged = 0xab00_7fff_dead_b000n;
    expect(kind(world(AF | AP_EL0, { tbi0: true }).s, 'r', false, tagged)).toBe('ok');
    const s = world(AF | AP_EL0).s;
    expect(kind(s, 'r', false, tagged)).toBe('F_TRANSLATION');
    expect(s.mem.read64(0x4001_0010n)).toBe(tagged); // event slot 0, dw2
  });

  it('VA[55]=1 selects TTB1 (TG1=0b10 is 4 KB); VA[55]=0 with high bits set faults', () => {
    const s = env();
    const t = new Tables(s.mem, 12);
    const r0 = t.alloc();
    const r1 = t.alloc();
    putSte(s, 1, { config: 5, s1ctx: CDTAB });
    putCd(s, CDTAB, { ttb0: r0, ttb1: r1, epd1: false, t1sz: 16, tg1: 2, tbi1: true });
    const hi = 0xffff_8000_0000_1000n; // L0 index VA[47:39] = 0x100
    const at = t.map(r1, 0, 48, hi, 3, 0x9000_0000n | AF | AP_EL0 | PAGE);
    expect(at[0]).toBe(r1 + 0x800n);
    expect(kind(s, 'r', false, hi | 0x123n)).toBe('ok');
    expect(translate(s, txn(1, hi | 0x123n)).outcome).toMatchObject({ pa: 0x9000_0123n });
    expect(kind(s, 'r', false, 0x12ff_8000_0000_1000n)).toBe('ok'); // TBI1: top byte ignored
    expect(kind(s, 'r', false, 0x00ff_0000_0000_1000n)).toBe('F_TRANSLATION');
    expect(kind(s, 'r', false, 0xff7f_8000_0000_1000n)).toBe('F_TRANSLATION'); // VA[55]=0
  });
});

describe('permissions of a TLB hit', () => {
  // §4.3: a TLB entry caches the permissions of its walk, and a hit is checked against them; a
  // denied access faults from the cached entry without a walk (spec-facts Q13: F_PERMISSION,
  // S2=0, CLASS=IN, InputAddr = the VA).
  it('a write to a read-only page the TLB already holds faults from the entry, no walk', () => {
    const s = world(AF | AP_EL0 | AP_RO).s;
    expect(translate(s, txn(1, VA, 'r')).tlb).toBe('miss');
    const t = translate(s, txn(1, VA | 0x42n, 'w'));
    expect(t.tlb).toBe('hit');
    expect(t.outcome).toMatchObject({
      type: 'fault',
      event: { name: 'F_PERMISSION', s2: false, class: 'IN', rnw: false, addr: VA | 0x42n },
    });
    expect(t.steps.some((x) => x.kind === 'tt')).toBe(false);
    const hit = t.steps.find((x) => x.kind === 'tlb-hit');
    expect(hit?.note).toMatch(
      /^TLB hit \(ASID global\): the cached permissions deny the access — /,
    );
  });

  // §3.9.1.2 (spec-facts Q2): an ATS Translation Request is not refused for permissions; its
  // completion carries what the tables allow, from a TLB hit as from a walk.
  it('an ATS request that hits a read-only entry completes with the entry’s permissions', () => {
    const s = world(AF | AP_EL0 | AP_RO | NG, { asid: 5 }).s;
    putSte(s, 1, { config: 5, s1ctx: CDTAB, eats: 1 }); // EATS=0b01: full ATS
    translate(s, txn(1, VA, 'r'));
    const t = translate(s, txn(1, VA, 'w'), { ats: true });
    expect(t.tlb).toBe('hit');
    expect(t.outcome).toMatchObject({
      type: 'translated',
      pa: PA,
      perms: { read: true, write: false, exec: true },
    });
    const hit = t.steps.find((x) => x.kind === 'tlb-hit');
    expect(hit?.note).toMatch(/^TLB hit \(ASID 5\): VA 0x[0-9a-f]+ → PA 0x87654000, no walk$/);
  });

  it('a read the cached entry allows completes from it with its PA', () => {
    const s = world(AF | AP_EL0 | AP_RO).s;
    translate(s, txn(1, VA, 'r'));
    const t = translate(s, txn(1, VA | 0x10n, 'r'));
    expect(t).toMatchObject({ tlb: 'hit', outcome: { type: 'translated', pa: PA | 0x10n } });
  });
});
