// The walk's own verdict on one edited translation table descriptor: the engine's walk is run
// from the descriptor's level with a fetch that returns the new value, and stops at the next
// level's read. A fault before that read (invalid, reserved type at level 3, a block the granule
// does not allow, an address beyond the output size) is what the next walk through it raises.
import { walk, type GranuleShift, type WalkParams } from '../engine/index.ts';
import type { Selection } from './inspect.ts';
import type { TtEntry } from './whatIfInval.ts';

type Fetch = Parameters<typeof walk>[2];
const NEXT_LEVEL = 'the walk would read the next level';

export function walkVerdict(
  sel: Extract<Selection, { kind: 'memory' }>,
  e: TtEntry,
  desc: bigint,
  oaBits: number,
): { readonly event: string; readonly why: string } | undefined {
  const level = sel.level ?? e.level;
  const g: GranuleShift = e.g;
  const s = g - 3;
  const p: WalkParams = {
    stage: sel.stage ?? 1,
    g,
    // The start level resolves exactly one stride, as this level does inside the tree.
    inputSize: g + (4 - level) * s,
    startLevel: level,
    ttb: e.tablePa,
    oaBits,
    had: true,
    inputName: sel.stage === 2 ? 'IPA' : 'VA',
  };
  let reads = 0;
  const fetch: Fetch = (_addr, lvl) =>
    reads++ === 0
      ? { ok: true, value: desc, pa: sel.pa }
      : {
          ok: false,
          fault: { kind: 'F_WALK_EABT', stage: p.stage, level: lvl, class: 'IN', why: NEXT_LEVEL },
        };
  const r = walk(p, e.ia & ((1n << BigInt(p.inputSize)) - 1n), fetch, null);
  if (r.ok || r.fault.why === NEXT_LEVEL) return undefined;
  return { event: r.fault.kind, why: r.fault.why };
}
