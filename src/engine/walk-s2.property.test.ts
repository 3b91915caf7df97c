// Property tests, stage 2 and nesting: random stage-2 geometries (every granule; random S2T0SZ
// and every start level S2SL0 can name for it, concatenated start tables included) and random
// mappings. A stage-2-only stream must translate each IPA as the reference Map says; a nested
// stream must give the composition of a stage-1 reference and a stage-2 reference, with the CD
// and every stage-1 table page reached through stage 2 (identity-mapped for that purpose).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Smmu } from './smmu.ts';
import {
  AF,
  AP_EL0,
  BLOCK,
  CDTAB,
  PAGE,
  S2RW,
  Tables,
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
  s2Starts,
  shiftAt,
  wish,
  type Granule,
  type Mapping,
} from './walk.property.testkit.ts';

const S1_TABLES = 0x4100_0000n; // stage-1 tables (Tables' default region)
const S2_TABLES = 0x4800_0000n; // stage-2 tables, read by PA
/** Stage-1 output IPAs of the nested case: a 3 GB window at 4 GB, clear of the identity maps. */
const IPA_WINDOW = 0x1_0000_0000n;

interface S2Geometry {
  readonly gr: Granule;
  readonly inputSize: number;
  readonly start: number;
  readonly sl0: number;
}

/** A random consistent stage-2 geometry whose IPA range is at least `minBits` wide. */
const s2Geometry = (minBits: number) =>
  fc
    .record({
      gi: fc.nat({ max: 2 }),
      t0sz: fc.integer({ min: 16, max: 64 - minBits }),
      pick: fc.nat(),
    })
    .map(({ gi, t0sz, pick }): S2Geometry => {
      const gr = GRANULES[gi]!;
      const inputSize = 64 - t0sz;
      const starts = s2Starts(gr.g, inputSize);
      const [start, sl0] = starts[pick % starts.length]!;
      return { gr, inputSize, start, sl0 };
    });

/** Stage-2 tables: the start table may be up to 16 concatenated granules (§4.8). */
function s2Tables(s: Smmu, geo: S2Geometry) {
  const t = new Tables(s.mem, geo.gr.g, S2_TABLES);
  const bits = geo.inputSize - shiftAt(geo.gr.g, geo.start);
  const root = t.alloc(8n << BigInt(bits));
  const map = (m: Mapping) =>
    t.map(
      root,
      geo.start,
      geo.inputSize,
      m.ia,
      m.level,
      m.oa | S2RW | (m.level === 3 ? PAGE : BLOCK),
    );
  const ste = {
    s2t0sz: 64 - geo.inputSize,
    s2sl0: geo.sl0,
    s2tg: geo.gr.s2tg,
    s2ttb: root,
    s2vmid: 1,
  };
  return { map, ste };
}

describe('stage 2 only (Config 0b110), random geometry', () => {
  it('every start level S2SL0 can name is reachable (concatenation included)', () => {
    // 4 KB, 40-bit IPA: L1 with 2 concatenated tables (SL0 1) or L0 (SL0 2); L2 would need 19 bits.
    expect(s2Starts(12, 40)).toEqual([
      [1, 1],
      [0, 2],
    ]);
    // 64 KB, 42-bit IPA: only L2 (SL0 1), resolving 42 − 29 = 13 bits; L3 would need 26, L1 0.
    expect(s2Starts(16, 42)).toEqual([[2, 1]]);
  });

  it('translate() agrees with the reference for every mapped IPA', () => {
    fc.assert(
      fc.property(
        s2Geometry(25),
        fc.array(wish, { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        (geo, wishes, trace) => {
          const s = env();
          const { map, ste } = s2Tables(s, geo);
          const levels = leafLevels(geo.gr.g, geo.start, geo.inputSize);
          const maps = choose(geo.gr.g, levels, geo.inputSize, wishes);
          maps.forEach(map);
          putSte(s, 1, { config: 6, ...ste });
          const expected = reference(maps);
          for (const m of maps) {
            const ipa = m.ia | m.offset;
            const t = translate(s, txn(1, ipa), { trace });
            expect(t.outcome).toMatchObject({
              type: 'translated',
              pa: expected(ipa),
              stages: 's2',
            });
            if (trace)
              expect(t.steps.filter((x) => x.kind === 'tt')).toHaveLength(m.level - geo.start + 1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('nested (Config 0b111): stage 1 and stage 2 both random', () => {
  it('the PA is stage 2 of stage 1, for every mapped VA', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2 }),
        fc.integer({ min: 16, max: 39 }),
        fc.array(wish, { minLength: 1, maxLength: 12 }),
        s2Geometry(34), // the IPA window ends at 0x1_C000_0000 < 2^34
        fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
        (gi, t0sz, wishes, geo, s2Kinds) => {
          const s = env();
          // Stage 1: VA → IPA in the window.
          const gr1 = GRANULES[gi]!;
          const va = 64 - t0sz;
          const start1 = s1Start(gr1.g, va);
          const s1 = choose(gr1.g, leafLevels(gr1.g, start1, va), va, wishes, IPA_WINDOW);
          const t1 = new Tables(s.mem, gr1.g, S1_TABLES);
          const root1 = t1.alloc();
          const tablePages = new Set<bigint>([CDTAB, root1]);
          for (const m of s1) {
            const at = t1.map(
              root1,
              start1,
              va,
              m.ia,
              m.level,
              m.oa | AF | AP_EL0 | (m.level === 3 ? PAGE : BLOCK),
            );
            at.forEach((a) => tablePages.add(a));
          }
          // Stage 2: identity pages for the CD and every stage-1 table, then one random leaf per
          // stage-1 output (leaves that would overlap a kept one are dropped: those IPAs fault).
          const { map, ste } = s2Tables(s, geo);
          const g2 = BigInt(geo.gr.g);
          const identity = [...new Set([...tablePages].map((a) => (a >> g2) << g2))].map(
            (ia): Mapping => ({ level: 3, shift: geo.gr.g, ia, oa: ia, offset: 0n }),
          );
          const levels2 = leafLevels(geo.gr.g, geo.start, geo.inputSize);
          const outs = choose(
            geo.gr.g,
            levels2,
            geo.inputSize,
            s1.map((m, i) => ({ kind: s2Kinds[i]!, ia: m.oa | m.offset, oa: m.oa, offset: 0n })),
          );
          [...identity, ...outs].forEach(map);
          putSte(s, 1, { config: 7, s1ctx: CDTAB, ...ste });
          putCd(s, CDTAB, { t0sz, tg0: gr1.tg0, ttb0: root1 });
          const stage1 = reference(s1);
          const stage2 = reference(outs);
          for (const m of s1) {
            const addr = m.ia | m.offset;
            const ipa = stage1(addr)!;
            const want = stage2(ipa);
            const o = translate(s, txn(1, addr), { trace: false }).outcome;
            if (want === undefined) {
              expect(o).toMatchObject({
                // dw3 carries IPA[55:12] (§7.3.13): the page of the faulting IPA.
                event: { name: 'F_TRANSLATION', s2: true, class: 'IN', ipa: ipa & ~0xfffn },
              });
            } else {
              expect(o).toMatchObject({ type: 'translated', pa: want, stages: 's1+s2' });
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
