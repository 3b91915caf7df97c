// StreamID → STE (§3.3, §5.1, §5.2): a linear or 2-level stream table walked through the
// configuration cache (L1STD and STE entries), and the STE's legality verdict. One trace step
// per structure read or cache hit.
import { POW2, bitsOf, hex, ones } from './bits.ts';
import { l1stdIllegal, steIllegal } from './checks.ts';
import type { CachedSte } from './configCache.ts';
import { configError, type Ctx, type Failure, type Result } from './context.ts';
import { EVENT_ID } from './events.ts';
import type { SmmuPlatform } from './platform.ts';
import { staleCopy } from './stale.ts';
import { STE_BYTES, STE_DWORDS, configMeaning, viewSte } from './ste.ts';

export function fetchSte(ctx: Ctx): Result<CachedSte> {
  const { smmu, txn } = ctx;
  const d = smmu.derived;
  const sid = txn.sid;
  if (sid >= POW2[d.sidBits]!) {
    return configError(
      ctx,
      EVENT_ID.C_BAD_STREAMID,
      {},
      `StreamID ${hex(sid)} ≥ 2^${d.sidBits} (STRTAB_BASE_CFG.LOG2SIZE)`,
    );
  }
  const hit = smmu.cfg.ste(sid);
  const covering = smmu.cfg.steCovering(sid, d.strtabFmt === 'linear' ? d.sidBits : d.split);
  if (covering.length > 0) {
    const conflict = contConflict(ctx, hit, covering);
    if (conflict) return conflict;
    if (!hit) {
      const e = covering[0]!;
      ctx.steps?.push({
        kind: 'cfg-hit',
        struct: 'ste',
        pa: e.pa,
        value: e.raw,
        note: `configuration cache hit: the STE of StreamID ${hex(e.sid)}, whose CONT=${e.view.CONT} span covers ${hex(sid)} (no memory read)`,
      });
      return checkSte(ctx, e);
    }
  }
  if (hit) {
    ctx.steps?.push({
      kind: 'cfg-hit',
      struct: 'ste',
      pa: hit.pa,
      value: hit.raw,
      ...staleCopy(smmu.mem, hit.pa, hit.raw),
      note: `configuration cache hit: STE of StreamID ${hex(sid)} (no memory read)`,
    });
    return checkSte(ctx, hit);
  }
  let stePa: bigint;
  if (d.strtabFmt === 'linear') {
    stePa = d.strtabBase + BigInt(sid) * STE_BYTES;
  } else {
    const split = d.split;
    const l1 = sid >>> split;
    const l1Pa = d.strtabBase + BigInt(l1) * 8n;
    const input = {
      name: 'SID' as const,
      value: BigInt(sid),
      hi: d.sidBits - 1,
      lo: split,
      index: l1,
    };
    const cached = smmu.cfg.l1std(l1);
    let desc: bigint;
    if (cached) {
      desc = cached.raw;
      ctx.steps?.push({
        kind: 'cfg-hit',
        struct: 'l1std',
        pa: l1Pa,
        value: [desc],
        input,
        ...staleCopy(smmu.mem, l1Pa, [desc]),
        note: `configuration cache hit: L1STD[${l1}]`,
      });
    } else {
      const w = smmu.mem.read64(l1Pa);
      if (w === undefined)
        return configError(
          ctx,
          EVENT_ID.F_STE_FETCH,
          { fetchAddr: l1Pa },
          `external abort reading the L1STD at ${hex(l1Pa)}`,
        );
      desc = w;
      smmu.cfg.putL1({ kind: 'l1std', sid: -1, index: l1, pa: l1Pa, raw: desc });
    }
    const span = Number(desc & 0x1fn);
    const l2Index = sid & ((1 << split) - 1);
    if (!cached) {
      ctx.steps?.push({
        kind: 'l1std',
        pa: l1Pa,
        value: [desc],
        input,
        note:
          span === 0
            ? `L1STD[${l1}] has Span=0: invalid`
            : `L1STD[${l1}]: level-2 array of ${2 ** (span - 1)} STEs at ${hex(bitsOf(desc, 55, 6) << 6n)}`,
      });
    }
    const badL1 = l1stdIllegal(desc, split);
    if (badL1 !== undefined)
      return configError(ctx, EVENT_ID.C_BAD_STREAMID, {}, `L1STD[${l1}].${badL1}`);
    if (l2Index >= 2 ** (span - 1)) {
      return configError(
        ctx,
        EVENT_ID.C_BAD_STREAMID,
        {},
        `StreamID index ${l2Index} is outside the span of L1STD[${l1}] (2^(Span−1) = ${2 ** (span - 1)} STEs)`,
      );
    }
    // L2Ptr low bits below the array size are treated as zero (§5.1).
    const l2 = (bitsOf(desc, 55, 6) << 6n) & ~ones(6 + span - 1);
    stePa = l2 + BigInt(l2Index) * STE_BYTES;
  }
  const raw = smmu.mem.readWords(stePa, STE_DWORDS);
  if (!raw)
    return configError(
      ctx,
      EVENT_ID.F_STE_FETCH,
      { fetchAddr: stePa },
      `external abort reading the STE at ${hex(stePa)}`,
    );
  const view = viewSte(raw);
  const entry: CachedSte = { kind: 'ste', sid, pa: stePa, raw, view };
  const lo = d.strtabFmt === 'linear' ? 0 : 0;
  const hi = d.strtabFmt === 'linear' ? d.sidBits - 1 : d.split - 1;
  ctx.steps?.push({
    kind: 'ste',
    pa: stePa,
    value: raw,
    input: {
      name: 'SID',
      value: BigInt(sid),
      hi,
      lo,
      index: d.strtabFmt === 'linear' ? sid : sid & ((1 << d.split) - 1),
    },
    note: view.V
      ? `STE ${hex(sid)}: V=1, Config=${view.Config} (${configMeaning(view.Config)})`
      : `STE ${hex(sid)}: V=0`,
  });
  // Any fetched structure may be cached, valid or not (§3.21.3).
  smmu.cfg.putSte(entry);
  return checkSte(ctx, entry);
}

// Legality verdicts, computed once per cached STE: a cached STE never changes and the platform
// is fixed, so SteIllegal() need not run again on every hit.
const steVerdicts = new WeakMap<CachedSte, { p: SmmuPlatform; bad: string | undefined }>();

/** The last STE checked and its verdict (most translations in a row use one): no WeakMap lookup. */
let lastSte: CachedSte | undefined;
let lastVerdict: { p: SmmuPlatform; bad: string | undefined } | undefined;

function checkSte(ctx: Ctx, e: CachedSte): Result<CachedSte> {
  const p = ctx.smmu.platform;
  let v = e === lastSte ? lastVerdict : steVerdicts.get(e);
  if (v?.p !== p) steVerdicts.set(e, (v = { p, bad: steIllegal(e.view, p) }));
  lastSte = e;
  lastVerdict = v;
  const bad = v.bad;
  if (bad) return configError(ctx, EVENT_ID.C_BAD_STE, {}, bad);
  return { ok: true, value: e };
}

/** STE.CONT (dw1[16:13]) masked out: the fields the STEs of one span must share (§5.2 CONT). */
const CONT_MASK = ~(0xfn << 13n);
const sameBut = (a: CachedSte, b: CachedSte): boolean =>
  a.raw.every((w, i) => (i === 1 ? (w & CONT_MASK) === (b.raw[1]! & CONT_MASK) : w === b.raw[i]));

/**
 * F_CFG_CONFLICT (§3.20.2, §7.3.18): the lookup of a StreamID matches more than one cached STE —
 * its own and a neighbour's whose CONT span covers it, or two neighbours' — and they are not
 * identical. Of the CONSTRAINED UNPREDICTABLE choices §5.2 CONT allows, this SMMU detects the
 * conflict: the transaction is aborted and the event recorded (Reason 0). Identical STEs, as
 * the spec requires of a span, match without a conflict.
 */
function contConflict(
  ctx: Ctx,
  hit: CachedSte | undefined,
  covering: readonly CachedSte[],
): Failure | undefined {
  const all = hit ? [hit, ...covering] : covering;
  const odd = all.find((e) => !sameBut(e, all[0]!));
  if (!odd) return undefined;
  const a = all[0]!;
  return configError(
    ctx,
    EVENT_ID.F_CFG_CONFLICT,
    {},
    `the configuration cache holds the STE of StreamID ${hex(a.sid)} (CONT=${a.view.CONT}) and that of ${hex(odd.sid)} (CONT=${odd.view.CONT}), both matching StreamID ${hex(ctx.txn.sid)}, and they differ`,
  );
}
