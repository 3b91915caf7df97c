// Stage-1 TTB selection (§3.4.1; Arm ARM D8.1.6): which of a CD's two translation tables a VA
// goes through, the range check that may fault it first, and the walk parameters of that table.
// Prepared once per cached CD (a WeakMap keyed by its view), so a translation allocates nothing.
import { POW2, hex, ones } from './bits.ts';
import { paSizeBits, tg0Granule, tg1Granule, type CdView } from './cd.ts';
import { startLevel, type GranuleShift } from './granule.ts';
import { alignStartTable, type WalkParams } from './walk.ts';

interface TtbChoice {
  readonly which: 0 | 1;
  readonly g: GranuleShift;
  readonly inputSize: number;
  readonly ttb: bigint;
  readonly epd: boolean;
  readonly had: boolean;
}

/** A TTB choice for one CD, prepared once: the range check as a mask, and the walk set-up. */
export interface TtbPlan extends TtbChoice {
  readonly top: number;
  readonly tbi: boolean;
  /** VA bits [top:inputSize] must equal `rangeWant` (all zeros, or all ones for TTB1). */
  readonly rangeMask: bigint;
  readonly rangeWant: bigint;
  /** Stage-1 walk parameters for this TTB, made on first use (they depend on the OAS). */
  params?: WalkParams;
}

const ttbPlans = new WeakMap<CdView, (TtbPlan | undefined)[]>();

/** The last CD's plans (most translations in a row go through one CD): no WeakMap lookup. */
let lastCd: CdView | undefined;
let lastPlans: (TtbPlan | undefined)[] = [];

function ttbPlan(c: CdView, which: 0 | 1, singleRange: boolean): TtbPlan {
  let plans = c === lastCd ? lastPlans : ttbPlans.get(c);
  if (!plans) ttbPlans.set(c, (plans = []));
  lastCd = c;
  lastPlans = plans;
  const slot = which + (singleRange ? 2 : 0);
  let plan = plans[slot];
  if (!plan) {
    const tbi = which === 0 ? c.TBI0 : c.TBI1;
    const inputSize = 64 - (which === 0 ? c.T0SZ : c.T1SZ);
    const top = tbi ? 55 : 63;
    const rangeMask = top < inputSize ? 0n : ones(top + 1) & ~ones(inputSize);
    plan = plans[slot] = {
      which,
      g: which === 0 ? tg0Granule(c.TG0) : tg1Granule(c.TG1),
      inputSize,
      ttb: which === 0 ? c.TTB0 : c.TTB1,
      epd: singleRange ? false : which === 0 ? c.EPD0 : c.EPD1,
      had: which === 0 ? c.HAD0 : c.HAD1,
      top,
      tbi,
      rangeMask,
      rangeWant: which === 1 ? rangeMask : 0n,
    };
  }
  return plan;
}

/** TTB0/TTB1 by VA[55] and the range checks with TBI (§3.4.1; Arm ARM D8.1.6). */
export function selectTtb(c: CdView, va: bigint, singleRange: boolean): TtbPlan | string {
  const n = Number(va);
  if (n < 2 ** 53) {
    // The common case without BigInt arithmetic: VA[55] = 0 (TTB0), and the range check is
    // "no bit at or above inputSize" (bits above 52 are zero).
    const plan = ttbPlan(c, 0, singleRange);
    if (plan.rangeMask === 0n || plan.inputSize >= 53 || n < POW2[plan.inputSize]!) return plan;
  }
  const which: 0 | 1 = singleRange ? 0 : ((va >> 55n) & 1n) === 1n ? 1 : 0;
  const plan = ttbPlan(c, which, singleRange);
  if ((va & plan.rangeMask) !== plan.rangeWant) {
    return `VA ${hex(va)} is outside the TTB${which} range: bits [${plan.top}:${plan.inputSize}] must all be ${which}${plan.tbi ? ' (top byte ignored)' : ''}`;
  }
  return plan;
}

/**
 * The stage-1 walk parameters of a TTB plan (start level, aligned table, output size). `hadOk`
 * is SMMU_IDR3.HAD: without it CD.HAD0/HAD1 are IGNORED (§5.4 HAD0).
 */
export function s1Params(plan: TtbPlan, c: CdView, oas: number, hadOk: boolean): WalkParams {
  const oaBits = Math.min(paSizeBits(c.IPS), oas);
  const had = plan.had && hadOk;
  if (plan.params?.oaBits !== oaBits || plan.params.had !== had) {
    const level0 = startLevel(plan.g, plan.inputSize);
    plan.params = {
      stage: 1,
      g: plan.g,
      inputSize: plan.inputSize,
      startLevel: level0,
      ttb: alignStartTable(plan.ttb, plan.g, level0, plan.inputSize),
      oaBits,
      had,
      inputName: 'VA',
    };
  }
  return plan.params;
}
