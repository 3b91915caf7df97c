// What each configuration invalidation removes from the configuration cache, and what it leaves
// (SPEC §4.3.1–§4.3.6; spec-facts Q10): STEs, the L1STDs walked to reach them, and the CDs and
// L1CDs fetched through a StreamID. Commands are raw dwords computed by hand; the survivors are
// listed by name from the spec's scope.
import { describe, expect, it } from 'vitest';
import type { CachedConfig } from './configCache.ts';
import { writeRegister } from './regwrite.ts';
import type { Smmu } from './smmu.ts';
import { CDTAB, STRTAB, Tables, env, putCd, putSte, txn } from './tables.testkit.ts';
import { CMDQ_PA } from './testkit.ts';
import { translate } from './translate.ts';

type Raw = readonly [bigint, bigint];
const SYNC: Raw = [0x46n, 0n];

function push(s: Smmu, cmds: readonly Raw[]): void {
  for (const c of cmds) {
    const prod = Number(s.regs.CMDQ_PROD & 0xfn);
    s.mem.writeWords(CMDQ_PA + BigInt(prod & 7) * 16n, c);
    writeRegister(s, 'CMDQ_PROD', BigInt((prod + 1) & 0xf));
  }
}

const name = (e: CachedConfig): string =>
  e.kind === 'ste'
    ? `ste:${e.sid}`
    : e.kind === 'cd'
      ? `cd:${e.sid}/${e.ssid}`
      : e.kind === 'l1cd'
        ? `l1cd:${e.sid}/${e.index}`
        : `l1std:${e.index}`;
const cached = (s: Smmu): string[] => s.cfg.entries().map(name).sort();

/** What the CMD_SYNC's log line says `n` removed cached structures were. */
const removed = (n: number): string =>
  n === 0
    ? 'nothing was cached'
    : n === 1
      ? '1 cached structure removed'
      : `${n} cached structures removed`;

/**
 * Issues `cmd`, checks nothing changed before the CMD_SYNC and that the SYNC reports the `gone`
 * count it removed, then returns what is left.
 */
function afterSync(
  s: Smmu,
  cmd: Raw,
  before: readonly string[],
  gone: readonly string[],
): string[] {
  push(s, [cmd]);
  expect(s.takeLog().commands.map((c) => c.error)).toEqual([undefined]);
  expect(cached(s)).toEqual(before);
  push(s, [SYNC]);
  const n = before.filter((x) => gone.includes(x)).length;
  expect(s.takeLog().commands.map((c) => c.effect)).toEqual([
    `1 earlier command(s) completed: ${removed(n)}`,
  ]);
  return cached(s);
}
const minus = (all: readonly string[], gone: readonly string[]): string[] =>
  all.filter((x) => !gone.includes(x));

describe('linear stream table: STE ranges and CFGI_ALL', () => {
  const SIDS = [2, 4, 5, 7, 8];
  const ALL = SIDS.flatMap((sid) => [`cd:${sid}/0`, `ste:${sid}`]).sort();

  /** SIDs 2, 4, 5, 7, 8: stage-1 STEs with one CD each (an empty table: the walk faults). */
  function world(): Smmu {
    const s = env();
    const root = new Tables(s.mem, 12).alloc();
    for (const sid of SIDS) {
      const cd = CDTAB + BigInt(sid) * 0x1000n;
      putSte(s, sid, { config: 5, s1ctx: cd });
      putCd(s, cd, { ttb0: root });
      translate(s, txn(sid, 0x1000n));
    }
    expect(cached(s)).toEqual(ALL);
    return s;
  }

  it.each<[string, Raw, string[]]>([
    // 0x04 | SID 5 << 32, Range 1: 2^(1+1) = 4 StreamIDs from 5 & ~3 = 4, i.e. 4..7 (§4.3.2).
    ['CFGI_STE_RANGE SID 5 Range 1', [0x0000_0005_0000_0004n, 1n], [4, 5, 7].map(String)],
    // Range 0: 2 StreamIDs from 5 & ~1 = 4: 4 and 5.
    ['CFGI_STE_RANGE SID 5 Range 0', [0x0000_0005_0000_0004n, 0n], ['4', '5']],
    // Range 2: 8 StreamIDs from 8 & ~7 = 8: 8..15.
    ['CFGI_STE_RANGE SID 9 Range 2', [0x0000_0009_0000_0004n, 2n], ['8']],
    // CFGI_ALL = CFGI_STE_RANGE with Range 31; the StreamID is IGNORED (§4.3.6).
    [
      'CFGI_ALL (Range 31, SID field 0x77 ignored)',
      [0x0000_0077_0000_0004n, 0x1fn],
      SIDS.map(String),
    ],
  ])('%s: the STEs of the range and the CDs fetched through them', (_t, cmd, sids) => {
    const s = world();
    const gone = sids.flatMap((sid) => [`ste:${sid}`, `cd:${sid}/0`]);
    expect(afterSync(s, cmd, ALL, gone)).toEqual(minus(ALL, gone));
  });

  it('the next transaction of an invalidated StreamID reads its STE and CD from memory again', () => {
    const s = world();
    push(s, [[0x0000_0005_0000_0004n, 0n], SYNC]);
    const kinds = (sid: number) => translate(s, txn(sid, 0x1000n)).steps.map((st) => st.kind);
    expect(kinds(5).slice(0, 2)).toEqual(['ste', 'cd']);
    expect(kinds(7).slice(0, 2)).toEqual(['cfg-hit', 'cfg-hit']);
  });
});

describe('2-level stream table: the L1STDs walked to the range (§4.3.2)', () => {
  const L2 = 0x4011_0000n;
  const SIDS = [5, 70, 130];
  const ALL = ['l1std:0', 'l1std:1', 'l1std:2', 'ste:130', 'ste:5', 'ste:70'];

  /** SPLIT 6: L1STD[i] covers SIDs 64i..64i+63; Span 7 → 2^6 = 64 STEs of 64 B = 4 KB. */
  function world(): Smmu {
    const s = env({ bring: { fmt: '2level', split: 6 } });
    for (let i = 0n; i < 3n; i++) s.mem.write64(STRTAB + i * 8n, (L2 + i * 0x1000n) | 7n);
    for (const sid of SIDS) {
      // Bypass STE: V (bit 0) | Config 0b100 << 1 = 0x9, at L2Ptr + SID[5:0] × 64.
      s.mem.write64(L2 + BigInt(sid >> 6) * 0x1000n + BigInt(sid & 63) * 64n, 0x9n);
      expect(translate(s, txn(sid, 0x1000n)).outcome.type).toBe('translated');
    }
    expect(cached(s)).toEqual(ALL);
    return s;
  }

  it.each<[string, Raw, string[]]>([
    // 0x04 | SID 64 << 32, Range 5: 64 SIDs 64..127 — exactly L1STD[1]'s span.
    ['CFGI_STE_RANGE SID 64 Range 5', [0x0000_0040_0000_0004n, 5n], ['ste:70', 'l1std:1']],
    // SID 100 = 0x64, Range 6: 128 SIDs from 100 & ~127 = 0: 0..127, L1STD[0] and [1].
    [
      'CFGI_STE_RANGE SID 100 Range 6',
      [0x0000_0064_0000_0004n, 6n],
      ['ste:5', 'ste:70', 'l1std:0', 'l1std:1'],
    ],
    // Range 0 at SID 130: 130 and 131, both behind L1STD[2].
    ['CFGI_STE_RANGE SID 130 Range 0', [0x0000_0082_0000_0004n, 0n], ['ste:130', 'l1std:2']],
    ['CFGI_ALL', [0x04n, 0x1fn], ALL],
    // CFGI_STE SID 70: 0x03 | 70 << 32. Leaf=1 keeps the L1STD, Leaf=0 drops it (§4.3.1).
    ['CFGI_STE SID 70 Leaf 1', [0x0000_0046_0000_0003n, 1n], ['ste:70']],
    ['CFGI_STE SID 70 Leaf 0', [0x0000_0046_0000_0003n, 0n], ['ste:70', 'l1std:1']],
  ])('%s', (_t, cmd, gone) => {
    expect(afterSync(world(), cmd, ALL, gone)).toEqual(minus(ALL, gone));
  });
});

describe('CFGI_CD_ALL: every CD and L1CD of one StreamID (§4.3.4)', () => {
  const ALL = ['cd:1/3', 'cd:1/69', 'cd:2/0', 'l1cd:1/0', 'l1cd:1/1', 'ste:1', 'ste:2'];

  /** SID 1: 2-level CD table, S1Fmt 0b01 (4 KB leaves of 64 CDs), S1CDMax 8; SID 2: one CD. */
  function world(): Smmu {
    const s = env();
    const root = new Tables(s.mem, 12).alloc();
    putSte(s, 1, { config: 5, s1fmt: 1, s1ctx: CDTAB, s1cdmax: 8 });
    // L1CD = L2Ptr | V; SSID 3 → L1 0, L2 3; SSID 0x45 → L1 1 (0x45 >> 6), L2 5.
    s.mem.write64(CDTAB, 0x4022_0001n);
    s.mem.write64(CDTAB + 8n, 0x4023_0001n);
    putCd(s, 0x4022_0000n + 3n * 64n, { ttb0: root });
    putCd(s, 0x4023_0000n + 5n * 64n, { ttb0: root });
    putSte(s, 2, { config: 5, s1ctx: CDTAB + 0x2000n });
    putCd(s, CDTAB + 0x2000n, { ttb0: root });
    translate(s, txn(1, 0x1000n, 'r', { ssid: 3 }));
    translate(s, txn(1, 0x1000n, 'r', { ssid: 0x45 }));
    translate(s, txn(2, 0x1000n));
    expect(cached(s)).toEqual(ALL);
    return s;
  }

  it.each<[string, Raw, string[]]>([
    // 0x06 | SID 1 << 32: the STE stays, its CDs and L1CDs go; SID 2 untouched.
    [
      'CFGI_CD_ALL SID 1',
      [0x0000_0001_0000_0006n, 0n],
      ['cd:1/3', 'cd:1/69', 'l1cd:1/0', 'l1cd:1/1'],
    ],
    ['CFGI_CD_ALL SID 2', [0x0000_0002_0000_0006n, 0n], ['cd:2/0']],
    // CFGI_CD SID 1 SSID 0x45 Leaf 0: 0x05 | 0x45 << 12 | 1 << 32 — the CD and its L1CD[1].
    ['CFGI_CD SID 1 SSID 0x45 Leaf 0', [0x0000_0001_0004_5005n, 0n], ['cd:1/69', 'l1cd:1/1']],
  ])('%s', (_t, cmd, gone) => {
    expect(afterSync(world(), cmd, ALL, gone)).toEqual(minus(ALL, gone));
  });
});
