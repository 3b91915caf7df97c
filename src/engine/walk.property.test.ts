// Property tests: random stage-1 mappings (4 KB and 64 KB granules, pages and blocks, random
// 48-bit VAs and RAM PAs) written into real tables; translate() must agree with a reference that
// is only a Map from VA block number to PA block (no engine code), and unmapped VAs must fault.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AF,
  AP_EL0,
  BLOCK,
  CDTAB,
  PAGE,
  Tables,
  drainEvents,
  env,
  putCd,
  putSte,
  txn,
} from './tables.testkit.ts';
import { translate } from './translate.ts';

const RAM = 0x4000_0000n;
const RAM_SIZE = 0xc000_0000n; // platform default: 0x4000_0000..0x1_0000_0000

interface Granule {
  readonly name: string;
  readonly g: number;
  readonly tg0: number;
  readonly start: number;
  /** Leaf level → log2 of its size: 4 KB pages at L3, 2 MB at L2, 1 GB at L1; 64 KB / 512 MB. */
  readonly leaves: readonly (readonly [number, number])[];
}
const GRANULES: readonly Granule[] = [
  {
    name: '4 KB',
    g: 12,
    tg0: 0,
    start: 0,
    leaves: [
      [3, 12],
      [2, 21],
      [1, 30],
    ],
  },
  {
    name: '64 KB',
    g: 16,
    tg0: 1,
    start: 1,
    leaves: [
      [3, 16],
      [2, 29],
    ],
  },
];

const wish = fc.record({
  kind: fc.nat(),
  va: fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }),
  pa: fc.bigInt({ min: 0n, max: RAM_SIZE - 1n }),
  offset: fc.bigInt({ min: 0n, max: (1n << 30n) - 1n }),
});

interface Mapping {
  readonly level: number;
  readonly shift: number;
  readonly va: bigint;
  readonly pa: bigint;
  readonly offset: bigint;
}

/** Keeps wishes whose VA ranges and PA starts are disjoint from the ones already kept. */
function choose(gr: Granule, wishes: { kind: number; va: bigint; pa: bigint; offset: bigint }[]) {
  const kept: Mapping[] = [];
  for (const w of wishes) {
    const [level, shift] = gr.leaves[w.kind % gr.leaves.length]!;
    const size = 1n << BigInt(shift);
    const va = w.va & ~(size - 1n);
    const pa = RAM + (w.pa & ~(size - 1n));
    const clash = kept.some((k) => {
      const s = BigInt(Math.max(k.shift, shift));
      return k.va >> s === va >> s || k.pa === pa;
    });
    if (!clash) kept.push({ level, shift, va, pa, offset: w.offset & (size - 1n) });
  }
  return kept;
}

function build(gr: Granule, maps: readonly Mapping[]) {
  const s = env();
  const t = new Tables(s.mem, gr.g);
  const root = t.alloc();
  putSte(s, 1, { config: 5, s1ctx: CDTAB });
  putCd(s, CDTAB, { t0sz: 16, tg0: gr.tg0, ttb0: root });
  for (const m of maps)
    t.map(root, gr.start, 48, m.va, m.level, m.pa | AF | AP_EL0 | (m.level === 3 ? PAGE : BLOCK));
  // The reference: VA block number (per size) → PA block base.
  const ref = new Map<string, bigint>(
    maps.map((m) => [`${m.shift}:${m.va >> BigInt(m.shift)}`, m.pa]),
  );
  const expected = (va: bigint): bigint | undefined => {
    for (const [, shift] of gr.leaves) {
      const base = ref.get(`${shift}:${va >> BigInt(shift)}`);
      if (base !== undefined) return base | (va & ((1n << BigInt(shift)) - 1n));
    }
    return undefined;
  };
  return { s, expected };
}

describe.each(GRANULES)('$name granule, T0SZ 16', (gr) => {
  it('translate() agrees with the reference for every mapped address', () => {
    fc.assert(
      fc.property(
        fc.array(wish, { minLength: 1, maxLength: 24 }),
        fc.boolean(),
        (wishes, trace) => {
          const maps = choose(gr, wishes);
          const { s, expected } = build(gr, maps);
          for (const m of maps) {
            const va = m.va | m.offset;
            const want = expected(va);
            expect(want).toBe(m.pa | m.offset);
            const t = translate(s, txn(1, va), { trace });
            expect(t.outcome).toMatchObject({ type: 'translated', pa: want, sizeShift: m.shift });
            if (trace) {
              const reads = t.steps.filter((x) => x.kind === 'tt').length;
              expect(reads).toBe(m.level - gr.start + 1);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('an unmapped VA gives F_TRANSLATION with InputAddr = the VA', () => {
    fc.assert(
      fc.property(
        fc.array(wish, { minLength: 1, maxLength: 16 }),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }), { minLength: 1, maxLength: 8 }),
        (wishes, anyVas, lowVas) => {
          const { s, expected } = build(gr, choose(gr, wishes));
          for (const va of [...anyVas, ...lowVas]) {
            const want = va < 1n << 48n ? expected(va) : undefined;
            const t = translate(s, txn(1, va), { trace: false });
            if (want !== undefined) {
              expect(t.outcome).toMatchObject({ type: 'translated', pa: want });
              continue;
            }
            expect(t.outcome).toMatchObject({
              type: 'fault',
              event: { name: 'F_TRANSLATION', addr: va, s2: false, class: 'IN' },
            });
            drainEvents(s);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
