// Stale cache entries: what each entry was built from, and a hit on one whose source word changed
// without the invalidation that would drop it (CMD_TLBI_*, CMD_CFGI_*, CMD_ATC_INV). Expected
// values are derived by hand from the descriptor formats (Arm ARM D8.3; SMMUv3 §5.2, §5.4).
import { describe, expect, it } from 'vitest';
import { atsAccess } from './endpoint.ts';
import { changeMatters, changedSources, configSources, walkSources } from './stale.ts';
import { cmd, issue } from './testkit.ts';
import {
  AF,
  AP_EL0,
  AP_RO,
  CDTAB,
  DBM,
  NG,
  PAGE,
  STRTAB,
  Tables,
  cdWords,
  env,
  putCd,
  putSte,
  txn,
} from './tables.testkit.ts';
import { translate } from './translate.ts';

const VA = 0x0000_7fff_dead_b000n;
const leaf = (pa: bigint): bigint => pa | AF | AP_EL0 | PAGE | NG;

/** SID 1 → linear CD table (S1DSS=SSID0, EATS=1) → CD 0 (ASID 7) → 4-level tables for VA. */
function world() {
  const s = env();
  const t = new Tables(s.mem, 12);
  putSte(s, 1, { config: 5, s1ctx: CDTAB, s1cdmax: 2, s1dss: 2, eats: 1 });
  const root = t.alloc();
  putCd(s, CDTAB, { ttb0: root, asid: 7 });
  const descs = t.map(root, 0, 48, VA, 3, leaf(0x9000_0000n));
  return { s, descs, root };
}

describe('which changes of a source word matter', () => {
  it('configuration words: any change', () => {
    expect(changeMatters('config', 0x9n, 0x9n)).toBe(false);
    expect(changeMatters('config', 0x9n, 0x1n)).toBe(true);
    expect(changeMatters('config', 0x9n, undefined)).toBe(true); // no longer RAM
  });

  it('a table descriptor: bits[1:0], the next table [47:12] and [63:59]; not the ignored bits', () => {
    const d = 0x4100_1000n | 3n;
    expect(changeMatters('table', d, d | (1n << 5n))).toBe(false); // bit 5: ignored
    expect(changeMatters('table', d, d | (1n << 52n))).toBe(false); // bit 52: ignored
    expect(changeMatters('table', d, 0x4100_2000n | 3n)).toBe(true); // another table
    expect(changeMatters('table', d, 0n)).toBe(true); // invalidated
    expect(changeMatters('table', d, d | (1n << 61n))).toBe(true); // APTable[0]
  });

  it('a stage-1 leaf: not AF, software or ignored bits, nor DBM marking it dirty', () => {
    const l = leaf(0x9000_0000n);
    expect(changeMatters('s1-leaf', l, l & ~AF)).toBe(false); // ageing
    expect(changeMatters('s1-leaf', l, l | (1n << 55n))).toBe(false); // Linux PTE_DIRTY (sw)
    expect(changeMatters('s1-leaf', l, l | (1n << 60n))).toBe(false); // PBHA / ignored
    expect(changeMatters('s1-leaf', l, leaf(0x9100_0000n))).toBe(true); // new output address
    expect(changeMatters('s1-leaf', l, l | AP_RO)).toBe(true); // write-protected
    expect(changeMatters('s1-leaf', l, l & ~3n)).toBe(true); // invalid
    const clean = l | DBM | AP_RO;
    expect(changeMatters('s1-leaf', clean, clean & ~AP_RO)).toBe(false); // hardware dirty
    expect(changeMatters('s1-leaf', clean & ~AP_RO, clean)).toBe(true); // cleaned: needs TLBI
  });

  it('a stage-2 leaf under DBM: S2AP[1] 0→1 is the dirty state, 1→0 is a write-protect', () => {
    const S2AP_W = 1n << 7n;
    const clean = 0x9000_0000n | AF | (1n << 6n) | PAGE | DBM;
    expect(changeMatters('s2-leaf', clean, clean | S2AP_W)).toBe(false);
    expect(changeMatters('s2-leaf', clean | S2AP_W, clean)).toBe(true);
  });
});

describe('what an entry is built from', () => {
  it("a TLB entry: the walk's four descriptors, the leaf as cached", () => {
    const { s, descs } = world();
    translate(s, txn(1, VA));
    const [e] = s.tlb.entries();
    expect(e!.src.map((w) => [w.pa, w.role])).toEqual([
      [descs[0], 'table'],
      [descs[1], 'table'],
      [descs[2], 'table'],
      [descs[3], 's1-leaf'],
    ]);
    expect(e!.src[3]!.value).toBe(leaf(0x9000_0000n));
    expect(changedSources(e!.src, s.mem)).toEqual([]);
  });

  it('walkSources: pairs in walk order, the last one the leaf with its cached value', () => {
    expect(walkSources([0x10n, 0x1003n, 0x1008n, 0xaan], 0xabn, 1)).toEqual([
      { pa: 0x10n, value: 0x1003n, role: 'table' },
      { pa: 0x1008n, value: 0xabn, role: 's1-leaf' },
    ]);
  });

  it('a configuration cache entry: the words it copied', () => {
    const { s } = world();
    translate(s, txn(1, VA));
    const ste = s.cfg.entries().find((e) => e.kind === 'ste')!;
    // SID 1's STE is the second 64-byte slot of the linear table.
    expect(configSources(ste).map((w) => w.pa)).toEqual(
      Array.from({ length: 8 }, (_, i) => STRTAB + 64n + BigInt(i * 8)),
    );
  });
});

describe('a hit on a stale entry says so in its trace step', () => {
  it('write64 to a CD without CFGI_CD: the next access hits the old CD in the config cache', () => {
    const { s } = world();
    translate(s, txn(1, VA));
    // The CD's ASID changes from 7 to 9: dword 0 bits [63:48].
    const was = cdWords({ asid: 7 })[0]!;
    const now = cdWords({ asid: 9 })[0]!;
    expect(s.mem.read64(CDTAB)).toBe(was);
    s.mem.write64(CDTAB, now);
    const cdHit = translate(s, txn(1, VA)).steps.find(
      (t) => t.kind === 'cfg-hit' && t.struct === 'cd',
    );
    expect(cdHit).toMatchObject({ stale: [{ pa: CDTAB, role: 'config', was, now }] });
    // CFGI_CD + SYNC drops it: the CD is read again, from memory, and nothing is stale.
    issue(s, [cmd('CFGI_CD', { StreamID: 1, SubstreamID: 0, Leaf: 1 }), cmd('SYNC', {})]);
    const steps = translate(s, txn(1, VA)).steps;
    expect(steps.find((t) => t.kind === 'cd')).toBeDefined();
    expect(steps.some((t) => 'stale' in t)).toBe(false);
  });

  it('an STE changed without CFGI_STE: the hit on the cached STE names the changed dword 0', () => {
    const s = env();
    putSte(s, 1, { config: 4 });
    translate(s, txn(1, 0x1000n));
    putSte(s, 1, { config: 0 });
    // dword 0: V (bit 0) | Config << 1: bypass 0b100 → 0x9, abort 0b000 → 0x1.
    expect(translate(s, txn(1, 0x1000n)).steps[0]).toMatchObject({
      kind: 'cfg-hit',
      struct: 'ste',
      stale: [{ pa: STRTAB + 64n, was: 0x9n, now: 0x1n }],
    });
  });

  it('a PTE remapped without TLBI: the TLB hit is stale; TLBI + SYNC ends it', () => {
    const { s, descs } = world();
    translate(s, txn(1, VA));
    s.mem.write64(descs[3]!, leaf(0x9100_0000n));
    const hit = translate(s, txn(1, VA)).steps.find((t) => t.kind === 'tlb-hit');
    expect(hit).toMatchObject({
      stale: [{ pa: descs[3], role: 's1-leaf', was: leaf(0x9000_0000n), now: leaf(0x9100_0000n) }],
    });
    issue(s, [cmd('TLBI_NH_VA', { ASID: 7, Address: VA, Leaf: 1 }), cmd('SYNC', {})]);
    expect(translate(s, txn(1, VA)).steps.some((t) => t.kind === 'tlb-hit')).toBe(false);
  });

  it('an L2 table descriptor cleared (its L3 table freed): the TLB hit is stale', () => {
    const { s, descs } = world();
    translate(s, txn(1, VA));
    const l2 = s.mem.read64(descs[2]!)!;
    s.mem.write64(descs[2]!, 0n);
    const hit = translate(s, txn(1, VA)).steps.find((t) => t.kind === 'tlb-hit');
    expect(hit).toMatchObject({ stale: [{ pa: descs[2], role: 'table', was: l2, now: 0n }] });
  });

  it('ageing (AF cleared) is not stale', () => {
    const { s, descs } = world();
    translate(s, txn(1, VA));
    s.mem.write64(descs[3]!, leaf(0x9000_0000n) & ~AF);
    const hit = translate(s, txn(1, VA)).steps.find((t) => t.kind === 'tlb-hit');
    expect(hit).toBeDefined();
    expect(hit && 'stale' in hit).toBe(false);
  });

  it("an ATC entry keeps its translation's sources; a hit after the PTE changed is stale", () => {
    const { s, descs } = world();
    expect(atsAccess(s, txn(1, VA))).toMatchObject({ kind: 'translated', atcHit: false });
    expect(s.atc.entries()[0]!.src.map((w) => w.pa)).toEqual(descs);
    expect(atsAccess(s, txn(1, VA))).not.toHaveProperty('stale');
    s.mem.write64(descs[3]!, 0n);
    expect(atsAccess(s, txn(1, VA))).toMatchObject({
      kind: 'translated',
      atcHit: true,
      stale: [{ pa: descs[3], was: leaf(0x9000_0000n), now: 0n }],
    });
  });
});
