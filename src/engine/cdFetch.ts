// SubstreamID → CD (§3.4, §5.2–§5.4): which CD a transaction selects (S1DSS/S1CDMax), the
// linear or 2-level CD table walked through the configuration cache (each address through
// stage 2 when the STE nests), the CD's legality verdict, and the stream's StreamWorld.
import { POW2, hex } from './bits.ts';
import { cdLeafBits, l1cdIndex, l1cdLeaf, l1cdPtr } from './cdTable.ts';
import { CD_BYTES, CD_DWORDS, viewCd } from './cd.ts';
import { cdCheckContext, cdIllegal } from './checks.ts';
import type { CachedCd, CachedSte } from './configCache.ts';
import { configError, note, type Ctx, type Failure, type Result } from './context.ts';
import { EVENT_ID } from './events.ts';
import type { SmmuPlatform } from './platform.ts';
import type { S2Translator } from './stage2.ts';
import { S1DSS, type SteView } from './ste.ts';
import { staleCopy } from './stale.ts';
import { tlbTag } from './tlb.ts';

// Legality verdicts, computed once per cached CD (and the STE and world it was checked under): a
// cached CD never changes and the platform is fixed, so CdIllegal() need not run on every hit.
interface CdVerdict {
  readonly p: SmmuPlatform;
  readonly ste: SteView;
  readonly world: string;
  readonly bad: string | undefined;
}
const cdVerdicts = new WeakMap<CachedCd, CdVerdict>();

/** Which CD a transaction selects (§5.2 S1DSS/S1CDMax), or why it cannot use one. */
export function selectCd(ctx: Ctx, ste: SteView): Result<number | 'bypass'> {
  const ssid = ctx.txn.ssid;
  const ssidSize = ctx.smmu.platform.ssidBits;
  if (ste.S1CDMax === 0 || ssidSize === 0) {
    if (ssid !== undefined) {
      return configError(
        ctx,
        EVENT_ID.C_BAD_SUBSTREAMID,
        {},
        ssidSize === 0
          ? 'a SubstreamID on an SMMU without substreams'
          : 'a SubstreamID but STE.S1CDMax=0 (one CD, no substreams)',
      );
    }
    return { ok: true, value: 0 };
  }
  if (ssid === undefined) {
    const dss = ste.S1DSS === 3 ? S1DSS.TERMINATE : ste.S1DSS;
    if (dss === S1DSS.TERMINATE)
      return configError(
        ctx,
        EVENT_ID.F_STREAM_DISABLED,
        {},
        'no SubstreamID and STE.S1DSS=0b00 (terminate)',
      );
    if (dss === S1DSS.BYPASS) {
      note(ctx, 'no SubstreamID and STE.S1DSS=0b01: stage 1 bypassed, no CD fetched', 'ste');
      return { ok: true, value: 'bypass' };
    }
    note(ctx, 'no SubstreamID and STE.S1DSS=0b10 (SSID0): use CD 0', 'ste');
    return { ok: true, value: 0 };
  }
  if (ssid >= POW2[ste.S1CDMax]!) {
    return configError(
      ctx,
      EVENT_ID.C_BAD_SUBSTREAMID,
      {},
      `SubstreamID ${ssid} ≥ 2^S1CDMax (${2 ** ste.S1CDMax})`,
    );
  }
  if (ssid === 0 && ste.S1DSS === S1DSS.SSID0) {
    return configError(
      ctx,
      EVENT_ID.F_STREAM_DISABLED,
      {},
      'SubstreamID 0 with STE.S1DSS=0b10: CD 0 is reserved for traffic without a SubstreamID',
    );
  }
  return { ok: true, value: ssid };
}

/** Translates a structure address through stage 2 when the STE nests (Config=0b111). */
export type IpaMapper = S2Translator | null;

export function fetchCd(ctx: Ctx, ste: CachedSte, index: number, s2: IpaMapper): Result<CachedCd> {
  const { smmu, txn } = ctx;
  const v = ste.view;
  const hit = smmu.cfg.cd(txn.sid, index);
  if (hit) {
    ctx.steps?.push({
      kind: 'cfg-hit',
      struct: 'cd',
      pa: hit.pa,
      value: hit.raw,
      ...staleCopy(smmu.mem, hit.pa, hit.raw),
      note: `configuration cache hit: CD ${index} of StreamID ${hex(txn.sid)} (ASID ${hit.view.ASID})`,
    });
    return checkCd(ctx, ste, hit);
  }
  // Resolve an address of the CD table: a PA, or an IPA translated by stage 2 (CLASS=CD).
  const resolve = (ipa: bigint): Result<bigint> => {
    if (!s2) return { ok: true, value: ipa };
    const r = s2(ipa, 'CD');
    return r.ok ? { ok: true, value: r.value.pa } : r;
  };
  const fetchErr = (addr: bigint, what: string): Failure =>
    configError(
      ctx,
      EVENT_ID.F_CD_FETCH,
      { fetchAddr: addr },
      `external abort reading the ${what} at ${hex(addr)}`,
    );
  const cdMax = v.S1CDMax;
  const fmtLeaf = cdLeafBits(v.S1Fmt);
  let cdAddr: bigint;
  const ssidInput = (hi: number, lo: number, idx: number) => ({
    name: 'SSID' as const,
    value: BigInt(index),
    hi,
    lo,
    index: idx,
  });
  if (cdMax === 0 || fmtLeaf === undefined) {
    cdAddr = v.S1ContextPtr + BigInt(index) * CD_BYTES;
  } else {
    const leafBits = fmtLeaf;
    const l1Index = l1cdIndex(index, cdMax, leafBits);
    const l1Addr = v.S1ContextPtr + BigInt(l1Index) * 8n;
    const cached = smmu.cfg.l1cd(txn.sid, l1Index);
    let desc: bigint;
    const input = ssidInput(Math.max(cdMax - 1, leafBits), leafBits, l1Index);
    if (cached) {
      desc = cached.raw;
      ctx.steps?.push({
        kind: 'cfg-hit',
        struct: 'l1cd',
        pa: cached.pa,
        value: [desc],
        input,
        ...staleCopy(smmu.mem, cached.pa, [desc]),
        note: `configuration cache hit: L1CD[${l1Index}]`,
      });
    } else {
      const pa = resolve(l1Addr);
      if (!pa.ok) return pa;
      const w = smmu.mem.read64(pa.value);
      if (w === undefined) return fetchErr(pa.value, 'L1CD');
      desc = w;
      ctx.steps?.push({
        kind: 'l1cd',
        pa: pa.value,
        ...(pa.value !== l1Addr ? { ipa: l1Addr } : {}),
        value: [desc],
        input,
        note:
          (desc & 1n) === 0n
            ? `L1CD[${l1Index}]: V=0`
            : `L1CD[${l1Index}]: leaf table of ${2 ** leafBits} CDs at ${hex(l1cdPtr(desc))}`,
      });
      smmu.cfg.putL1({ kind: 'l1cd', sid: txn.sid, index: l1Index, pa: pa.value, raw: desc });
    }
    const leaf = l1cdLeaf(desc, leafBits);
    if (leaf === undefined) {
      return configError(
        ctx,
        EVENT_ID.C_BAD_SUBSTREAMID,
        { ssid: index },
        `L1CD[${l1Index}] is invalid (V=0)`,
      );
    }
    cdAddr = leaf + BigInt(index & ((1 << leafBits) - 1)) * CD_BYTES;
  }
  const pa = resolve(cdAddr);
  if (!pa.ok) return pa;
  const raw = smmu.mem.readWords(pa.value, CD_DWORDS);
  if (!raw) return fetchErr(pa.value, 'CD');
  const view = viewCd(raw);
  const world = worldOf(ctx, v);
  const vmid = world === 'NS-EL1' ? v.S2VMID : 0;
  const stage = v.Config === 7 ? 's12' : 's1';
  const entry: CachedCd = {
    kind: 'cd',
    sid: txn.sid,
    ssid: index,
    pa: pa.value,
    raw,
    view,
    tags: [
      tlbTag(stage, world, vmid, view.ASID, view.ASET),
      tlbTag(stage, world, vmid, -1, view.ASET),
    ],
  };
  ctx.steps?.push({
    kind: 'cd',
    pa: pa.value,
    ...(pa.value !== cdAddr ? { ipa: cdAddr } : {}),
    value: raw,
    input: ssidInput(
      cdMax === 0 ? 0 : fmtLeaf === undefined ? cdMax - 1 : Math.min(cdMax, fmtLeaf) - 1,
      0,
      fmtLeaf === undefined ? index : index & ((1 << fmtLeaf) - 1),
    ),
    note: view.V
      ? `CD ${index}: V=1, ASID ${view.ASID}, TTB0 ${hex(view.TTB0)}${view.EPD0 ? ', EPD0=1 (no walks through TTB0)' : ''}`
      : `CD ${index}: V=0`,
  });
  smmu.cfg.putCd(entry);
  return checkCd(ctx, ste, entry);
}

/** The last CD checked and its verdict (most translations in a row use one): no WeakMap lookup. */
let lastCd: CachedCd | undefined;
let lastVerdict: CdVerdict | undefined;

function checkCd(ctx: Ctx, ste: CachedSte, cd: CachedCd): Result<CachedCd> {
  const world = worldOf(ctx, ste.view);
  const p = ctx.smmu.platform;
  let v = cd === lastCd ? lastVerdict : cdVerdicts.get(cd);
  if (v?.p !== p || v.ste !== ste.view || v.world !== world) {
    const bad = cdIllegal(cd.view, p, cdCheckContext(ste.view, ctx.smmu.derived.e2h));
    cdVerdicts.set(cd, (v = { p, ste: ste.view, world, bad }));
  }
  lastCd = cd;
  lastVerdict = v;
  const bad = v.bad;
  if (bad) return configError(ctx, EVENT_ID.C_BAD_CD, {}, bad);
  return { ok: true, value: cd };
}

/** StreamWorld of a stage-1 stream: STRW (only used for Config=0b101 on a HYP SMMU). */
export function worldOf(ctx: Ctx, ste: SteView): 'NS-EL1' | 'EL2' | 'EL2-E2H' {
  if (ste.Config !== 5 || ste.STRW !== 2) return 'NS-EL1';
  return ctx.smmu.derived.e2h ? 'EL2-E2H' : 'EL2';
}
