// Stage-2 translation of an IPA (§3.4, §5.2 S2* fields): for stage-2-only streams (Config=0b110)
// and, under nesting (0b111), for every CD-table fetch, every stage-1 descriptor fetch and the
// final IPA. Faults carry S2=1 and the CLASS of what was being translated.
import { hex, ones } from './bits.ts';
import { paSizeBits } from './cd.ts';
import type { CachedSte } from './configCache.ts';
import { tlbConflict, translationFault, type Ctx, type Result } from './context.ts';
import { s2StartLevel, s2tgShift } from './granule.ts';
import { afSet, checkS2, s2Dirty, s2PermsOf, withAf } from './permissions.ts';
import { changedSources, walkSources } from './stale.ts';
import { tlbTag, type S2Perms, type TlbEntry } from './tlb.ts';
import { alignStartTable, walk, type StageFault, type WalkParams } from './walk.ts';

export interface S2Out {
  readonly pa: bigint;
  readonly sizeShift: number;
  readonly perms: S2Perms;
}

/** Translates an IPA for a purpose; `write` marks an HTTU update of a stage-1 descriptor. */
export type S2Translator = (
  ipa: bigint,
  purpose: 'CD' | 'TT' | 'IN',
  write?: boolean,
) => Result<S2Out>;

export function s2Params(
  ste: CachedSte,
  oas: number,
  nested: 'CD' | 'TT' | 'IN' | undefined,
): WalkParams {
  const v = ste.view;
  // The STE passed steIllegal(), so the granule and start level are valid.
  const g = s2tgShift(v.S2TG)!;
  const inputSize = 64 - v.S2T0SZ;
  const startLevel = s2StartLevel(g, v.S2SL0)!;
  return {
    stage: 2,
    g,
    inputSize,
    startLevel,
    ttb: alignStartTable(v.S2TTB, g, startLevel, inputSize),
    oaBits: Math.min(paSizeBits(v.S2PS), oas),
    had: true,
    inputName: 'IPA',
    nested,
  };
}

export function makeS2(ctx: Ctx, ste: CachedSte, nestedUnderS1: boolean): S2Translator {
  const smmu = ctx.smmu;
  // Only for the trace: a hit on an entry whose descriptors memory no longer holds.
  const stale = (src: TlbEntry['src']) => {
    const changed = ctx.steps ? changedSources(src, smmu.mem) : [];
    return changed.length ? { stale: changed } : {};
  };
  const v = ste.view;
  const tag = tlbTag('s2', 'NS-EL1', v.S2VMID, 0, false);
  const hd = v.S2HD && v.S2HA;
  return (ipa, purpose, httuWrite = false) => {
    // Stage-1 structure fetches are data reads; the final IPA carries the transaction's access.
    const write = purpose === 'IN' ? ctx.write : httuWrite;
    const instr = purpose === 'IN' ? ctx.instr : false;
    const nested = nestedUnderS1 ? purpose : undefined;
    const p = s2Params(ste, smmu.platform.oas, nested);
    const fail = (f: Omit<StageFault, 'stage' | 'class' | 'ipa'>): Result<S2Out> =>
      translationFault(
        ctx,
        {
          ...f,
          stage: 2,
          class: purpose,
          ipa: ipa,
          ...(purpose === 'TT' && f.kind === 'F_PERMISSION' ? { ttrnw: !httuWrite } : {}),
        },
        undefined,
        v,
      );
    if (ipa >= 1n << BigInt(p.inputSize)) {
      ctx.steps?.push({
        kind: 'decision',
        stage: 2,
        ...(nested ? { nested } : {}),
        note: `IPA ${hex(ipa)} is outside the ${p.inputSize}-bit stage-2 input range (S2T0SZ=${v.S2T0SZ})`,
      });
      return fail({
        kind: 'F_TRANSLATION',
        level: p.startLevel,
        why: `IPA ${hex(ipa)} beyond the stage-2 input size`,
      });
    }
    const hit = smmu.tlb.lookup([tag], ipa);
    const other = hit && smmu.tlb.conflict([tag], ipa, hit);
    if (hit && other) return tlbConflict(ctx, hit, other, ipa);
    if (hit?.s2) {
      const verdict = checkS2(hit.s2, write, instr, hd);
      const pa = hit.oa | (ipa & ones(hit.sizeShift));
      // An ATS Translation Request completes with the permissions granted (§3.9.1.2): no
      // stage-2 permission fault for the final IPA; the caller intersects the permissions.
      const atsGrant = ctx.ats && purpose === 'IN' && !verdict.ok && !verdict.dirty;
      if (verdict.ok || atsGrant) {
        // A stage-2-only stream's translation is this lookup: report the TLB hit (§3.17).
        if (!nestedUnderS1) {
          ctx.tlb = 'hit';
          ctx.src = hit.src;
        }
        ctx.steps?.push({
          kind: 'tlb-hit',
          stage: 2,
          ...(nested ? { nested } : {}),
          tlb: hit,
          ...stale(hit.src),
          note: `TLB hit (stage 2, VMID ${v.S2VMID}): IPA ${hex(ipa)} → PA ${hex(pa)}`,
        });
        return { ok: true, value: { pa, sizeShift: hit.sizeShift, perms: hit.s2 } };
      }
      if (!verdict.dirty) {
        ctx.steps?.push({
          kind: 'tlb-hit',
          stage: 2,
          ...(nested ? { nested } : {}),
          tlb: hit,
          ...stale(hit.src),
          note: `TLB hit (stage 2): cached permissions deny the access — ${verdict.why}`,
        });
        return fail({ kind: 'F_PERMISSION', why: verdict.why });
      }
    }
    const steps = ctx.steps;
    const path: bigint[] = [];
    const r = walk(
      p,
      ipa,
      (addr) => {
        const w = smmu.mem.read64(addr);
        if (w === undefined)
          return {
            ok: false,
            fault: {
              kind: 'F_WALK_EABT',
              stage: 2,
              class: purpose,
              ipa,
              fetchAddr: addr,
              why: `external abort reading a stage-2 descriptor at ${hex(addr)}`,
            },
          };
        return { ok: true, value: w, pa: addr };
      },
      steps,
      undefined,
      path,
    );
    if (!r.ok) {
      if (r.fault.kind === 'F_WALK_EABT') return translationFault(ctx, r.fault, undefined, v);
      return fail({
        kind: r.fault.kind,
        ...(r.fault.level !== undefined ? { level: r.fault.level } : {}),
        why: r.fault.why,
      });
    }
    const leaf = r.leaf;
    let desc = leaf.desc;
    const perms = s2PermsOf(desc);
    const verdict = checkS2(perms, write, instr, hd);
    if (!afSet(desc)) {
      if (!v.S2HA && !v.S2AFFD)
        return fail({
          kind: 'F_ACCESS',
          level: leaf.level,
          why: 'stage-2 AF=0 and neither S2HA nor S2AFFD',
        });
    }
    if (!verdict.ok && !verdict.dirty && !(ctx.ats && purpose === 'IN'))
      return fail({ kind: 'F_PERMISSION', level: leaf.level, why: verdict.why });
    let updated = desc;
    if (!afSet(desc) && v.S2HA) updated = withAf(updated);
    if (!verdict.ok && verdict.dirty) updated = s2Dirty(updated);
    if (updated !== desc) {
      smmu.mem.write64(leaf.descPa, updated);
      steps?.push({
        kind: 'httu',
        stage: 2,
        level: leaf.level,
        pa: leaf.descPa,
        old: desc,
        value: [updated],
        ...(nested ? { nested } : {}),
        note: `hardware update of the stage-2 descriptor: ${afSet(desc) ? '' : 'AF set'}${!afSet(desc) && updated !== withAf(desc) ? ', ' : ''}${updated !== withAf(desc) ? 'S2AP[1] set (dirty)' : ''}`,
      });
      desc = updated;
    }
    // Entries whose AF is 0 are never cached (§3.13.1); AFFD caches them as AF=1.
    const perms2 = s2PermsOf(desc);
    const src = walkSources(path, desc, 2);
    if (!nestedUnderS1) ctx.src = src;
    smmu.tlb.insert({
      stage: 's2',
      tag,
      vmid: v.S2VMID,
      asid: -1,
      aset: false,
      world: 'NS-EL1',
      ia: ipa & ~ones(leaf.sizeShift),
      sizeShift: leaf.sizeShift,
      oa: leaf.oa & ~ones(leaf.sizeShift),
      s2: perms2,
      leafPa: leaf.descPa,
      src,
      sid: ctx.txn.sid,
      ssid: ctx.txn.ssid,
    });
    return { ok: true, value: { pa: leaf.oa, sizeShift: leaf.sizeShift, perms: perms2 } };
  };
}
