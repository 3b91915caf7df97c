// The bare-SMMU fuzzer: programs a debugger or a bare-metal driver could write — queues, a
// stream table (linear or two-level), STEs of every Config, CD tables, translation tables —
// where every pointer is drawn from a few regions of RAM, so structures overlap and point at
// each other and at themselves (an L1 descriptor into the stream table, a table at its own
// address, a CD table inside the command queue). Then commands, register writes and device
// accesses by StreamID. The walks, the caches, the queues and the event records must cope.
import fc from 'fast-check';
import { WRITABLE_REGS } from '../../src/engine/index.ts';
import { cdWords, steWords } from '../../src/engine/tables.testkit.ts';
import type { OpDoc, ScenarioDoc } from '../../src/scenario/index.ts';

const RAM = 0x4000_0000n;
/** Eight 1 MB regions: queues in the first three, everything else anywhere. */
const REGION = (k: number): bigint => RAM + BigInt(k) * 0x10_0000n;
const x = (v: bigint): string => `0x${v.toString(16)}`;

const region = fc.nat(7).map(REGION);
/** An address inside a region, 64-byte aligned (STEs, CDs) or 8-byte (descriptors). */
const addrIn = (align: bigint) =>
  fc.tuple(region, fc.nat(0x3fff)).map(([r, o]) => r + ((BigInt(o) * 64n) & ~(align - 1n)));
const small = (max: number) => fc.nat(max);

const write = (pa: bigint, words: readonly bigint[]): OpDoc[] =>
  words.map((w, i) => ({ op: 'write64', pa: x(pa + BigInt(i * 8)), value: x(w) }));

const ste = fc
  .record({
    at: addrIn(64n),
    config: fc.constantFrom(0, 4, 5, 6, 7, 1, 3),
    s1fmt: small(3),
    s1ctx: addrIn(64n),
    s1cdmax: small(20),
    s1dss: small(3),
    eats: small(3),
    s2ttb: addrIn(4096n),
    s2t0sz: fc.integer({ min: 16, max: 44 }),
    s2sl0: small(3),
    s2tg: small(3),
    s2ps: small(7),
    s2r: fc.boolean(),
    s2s: fc.boolean(),
  })
  .map((o): OpDoc[] => write(o.at, steWords({ ...o, s2aa64: true })));

const cd = fc
  .record({
    at: addrIn(64n),
    ttb0: addrIn(4096n),
    t0sz: fc.integer({ min: 16, max: 48 }),
    tg0: small(3),
    asid: small(0xffff),
    s: fc.boolean(),
    r: fc.boolean(),
    a: fc.boolean(),
    epd0: fc.boolean(),
    ha: fc.boolean(),
    hd: fc.boolean(),
    aset: fc.boolean(),
    v: fc.boolean(),
  })
  .map((o): OpDoc[] => write(o.at, cdWords(o)));

/** A descriptor: a table pointer (often back into some structure), a page, a block, an L1. */
const desc = fc
  .record({
    at: addrIn(8n),
    to: addrIn(4096n),
    kind: small(5),
    bits: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  })
  .map(({ at, to, kind, bits }): OpDoc[] => {
    const v = [
      to | 3n, // table (or page at level 3)
      to | 0x443n, // page / table with AF, AP[1]
      to | 0x441n, // block with AF, AP[1]
      to | 1n | (BigInt(Number(bits & 15n)) << 0n), // L1STD / L1CD: valid + span
      at | 3n, // a table at its own address
      bits,
    ][kind]!;
    return write(at, [v]);
  });

const cmd = fc.oneof(
  small(16).map((sid) => ({ op: 'cmd' as const, name: 'CFGI_STE', sid, leaf: true })),
  fc.constant({ op: 'cmd' as const, name: 'CFGI_ALL' }),
  fc
    .tuple(small(16), small(8))
    .map(([sid, ssid]) => ({ op: 'cmd' as const, name: 'CFGI_CD', sid, ssid, leaf: true })),
  fc.constant({ op: 'cmd' as const, name: 'TLBI_NH_ALL' }),
  small(0xffff).map((asid) => ({ op: 'cmd' as const, name: 'TLBI_NH_ASID', asid })),
  fc.constant({ op: 'cmd' as const, name: 'SYNC' }),
  fc
    .tuple(small(16), small(8))
    .map(([sid, stag]) => ({ op: 'cmd' as const, name: 'RESUME', sid, stag, resp: 'retry' })),
  small(16).map((sid) => ({ op: 'cmd' as const, name: 'PREFETCH_CONFIG', sid })),
);

const reg = fc
  .record({
    name: fc.constantFrom(...WRITABLE_REGS),
    value: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  })
  .map(({ name, value }): OpDoc => ({ op: 'reg', name, value: x(value) }));

const dma = fc
  .record({
    sid: small(16),
    ssid: fc.option(small(8), { nil: undefined }),
    addr: fc.constantFrom(0n, 0x1000n, 0x20_0000n, 0x4000_0000n, 0x7fff_f000n, 0xffff_ffff_f000n),
    access: fc.constantFrom('r' as const, 'w' as const, 'x' as const),
    priv: fc.boolean(),
    count: fc.constantFrom(1, 1, 1, 2, 8),
  })
  .map((d): OpDoc => ({
    op: 'dma',
    sid: d.sid,
    ...(d.ssid === undefined ? {} : { ssid: d.ssid }),
    addr: x(d.addr),
    access: d.access,
    priv: d.priv,
    ...(d.count > 1 ? { count: d.count } : {}),
  }));

/** Queues and a stream table in the first regions, then the SMMU enabled. */
const setup = fc
  .record({ twoLevel: fc.boolean(), strtab: small(7), split: fc.constantFrom(6, 8, 10) })
  .map(({ twoLevel, strtab, split }): OpDoc[] => [
    { op: 'reg', name: 'CMDQ_BASE', value: x(REGION(0) | 8n) },
    { op: 'reg', name: 'EVENTQ_BASE', value: x(REGION(1) | 6n) },
    { op: 'reg', name: 'PRIQ_BASE', value: x(REGION(2) | 6n) },
    { op: 'reg', name: 'STRTAB_BASE', value: x(REGION(strtab)) },
    {
      op: 'reg',
      name: 'STRTAB_BASE_CFG',
      value: x(twoLevel ? (1n << 16n) | (BigInt(split) << 6n) | 16n : 8n),
    },
    { op: 'reg', name: 'CR0', value: '0xf' },
  ]);

export const hardwareDocArb: fc.Arbitrary<ScenarioDoc> = fc
  .tuple(
    setup,
    fc.array(
      fc.oneof(
        { weight: 4, arbitrary: ste },
        { weight: 4, arbitrary: cd },
        { weight: 8, arbitrary: desc },
        { weight: 4, arbitrary: cmd.map((c) => [c]) },
        { weight: 1, arbitrary: reg.map((r) => [r]) },
        { weight: 8, arbitrary: dma.map((d) => [d]) },
      ),
      { maxLength: 40 },
    ),
    fc.record({
      stall: fc.constantFrom('none' as const, 'supported' as const, 'forced' as const),
      httu: fc.constantFrom('none' as const, 'af' as const, 'af+dirty' as const),
      tlbEntries: fc.constantFrom(4, 128),
    }),
  )
  .map(([s, body, smmu]) => ({
    format: 'sva-explorer/scenario' as const,
    version: 1 as const,
    platform: { smmu },
    ops: [...s, ...body.flat()],
  }));
