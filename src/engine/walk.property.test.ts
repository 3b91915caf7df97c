// Property tests, stage 1: random mappings (4 KB, 16 KB and 64 KB granules; pages and every
// allowed block size; random T0SZ 16..39, so walks start at levels 0 to 3) written into real
// tables; translate() must agree with the reference of walk.property.testkit.ts (a Map of
// blocks, no engine code), read one descriptor per level, and fault on unmapped VAs.
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
import {
  GRANULES,
  choose,
  leafLevels,
  reference,
  s1Start,
  wish,
  type Granule,
  type Mapping,
} from './walk.property.testkit.ts';

function build(gr: Granule, t0sz: number, maps: readonly Mapping[]) {
  const s = env();
  const t = new Tables(s.mem, gr.g);
  const root = t.alloc();
  const inputSize = 64 - t0sz;
  const start = s1Start(gr.g, inputSize);
  putSte(s, 1, { config: 5, s1ctx: CDTAB });
  putCd(s, CDTAB, { t0sz, tg0: gr.tg0, ttb0: root });
  for (const m of maps)
    t.map(
      root,
      start,
      inputSize,
      m.ia,
      m.level,
      m.oa | AF | AP_EL0 | (m.level === 3 ? PAGE : BLOCK),
    );
  return { s, start, expected: reference(maps) };
}

const t0szArb = fc.integer({ min: 16, max: 39 });

describe.each(GRANULES)('stage 1, $name granule, random T0SZ', (gr) => {
  it('reaches every start level the granule has over T0SZ 16..39', () => {
    const starts = new Set(Array.from({ length: 24 }, (_, i) => s1Start(gr.g, 64 - (16 + i))));
    // 4 KB: L0 (T0SZ 16–24) … L2 (34–39); 16 KB: L0 (16) … L2 (28–38), L3 (39); 64 KB: L1–L3.
    expect([...starts].sort()).toEqual(
      gr.g === 12 ? [0, 1, 2] : gr.g === 14 ? [0, 1, 2, 3] : [1, 2, 3],
    );
  });

  it('translate() agrees with the reference for every mapped address', () => {
    fc.assert(
      fc.property(
        t0szArb,
        fc.array(wish, { minLength: 1, maxLength: 24 }),
        fc.boolean(),
        (t0sz, wishes, trace) => {
          const inputSize = 64 - t0sz;
          const levels = leafLevels(gr.g, s1Start(gr.g, inputSize), inputSize);
          const maps = choose(gr.g, levels, inputSize, wishes);
          const { s, start, expected } = build(gr, t0sz, maps);
          for (const m of maps) {
            const va = m.ia | m.offset;
            const want = expected(va);
            expect(want).toBe(m.oa | m.offset);
            const t = translate(s, txn(1, va), { trace });
            expect(t.outcome).toMatchObject({ type: 'translated', pa: want, sizeShift: m.shift });
            if (trace)
              expect(t.steps.filter((x) => x.kind === 'tt')).toHaveLength(m.level - start + 1);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('an unmapped VA, or one beyond the T0SZ range, gives F_TRANSLATION with InputAddr = the VA', () => {
    fc.assert(
      fc.property(
        t0szArb,
        fc.array(wish, { minLength: 1, maxLength: 16 }),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }), { minLength: 1, maxLength: 8 }),
        (t0sz, wishes, anyVas, lowVas) => {
          const inputSize = 64 - t0sz;
          const levels = leafLevels(gr.g, s1Start(gr.g, inputSize), inputSize);
          const { s, expected } = build(gr, t0sz, choose(gr.g, levels, inputSize, wishes));
          const top = 1n << BigInt(inputSize);
          for (const va of [...anyVas, ...lowVas.map((v) => v % top)]) {
            const want = va < top ? expected(va) : undefined;
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
      { numRuns: 50 },
    );
  });
});
