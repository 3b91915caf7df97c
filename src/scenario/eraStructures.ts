// The STEs and CDs the SMMU reads, as the era comparison sees them (eraDiff.ts): each device's STE
// and its valid CDs read through the STE, field by field, with physical addresses set apart — two
// eras that allocate tables differently put the same structure at different addresses.
import { hex, type CdView, type SteView } from '../engine/index.ts';
import { readCd, readSte } from './invariants/read.ts';
import type { World } from './world.ts';

/** Fields that hold physical addresses (allocation-dependent). */
export const ADDRESS_FIELDS = new Set(['S1ContextPtr', 'S2TTB', 'TTB0', 'TTB1']);

/** A field's value as the side-by-side view prints it. */
export function fieldText(v: unknown): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'bigint') return hex(v);
  return String(v);
}

/**
 * The STE of `sid` and its valid CDs at `indices` (CD 0 and the PASIDs in use), read through the
 * STE as the SMMU would; the STE as a view, or why it cannot be read.
 */
export function structuresOf(
  w: World,
  sid: number,
  indices: readonly number[],
): { ste: SteView | string; cds: Map<number, CdView> } {
  const s = readSte(w, sid);
  const cds = new Map<number, CdView>();
  if (typeof s === 'string') return { ste: s, cds };
  if (!s.view.V || (s.view.Config !== 5 && s.view.Config !== 7)) return { ste: s.view, cds };
  const count = s.view.S1CDMax === 0 ? 1 : 2 ** s.view.S1CDMax;
  for (const i of indices) {
    if (i >= count) continue;
    const cd = readCd(w.mem, s.view, i);
    if (typeof cd !== 'string' && cd.view.V) cds.set(i, cd.view);
  }
  return { ste: s.view, cds };
}

/** CD 0 and every PASID either kernel has allocated (and the op's own). */
export function cdIndices(a: World, b: World, own: number | undefined): number[] {
  const out = new Set<number>([0]);
  for (const w of [a, b]) for (const p of w.kernel?.idr.used.keys() ?? []) out.add(p);
  if (own !== undefined) out.add(own);
  return [...out].sort((x, y) => x - y);
}

/** Each structure the SMMU reads — the STE of every device, its CD 0 and CDs of the PASIDs in use. */
export function structureMap(w: World): Map<string, string> {
  const indices = cdIndices(w, w, undefined);
  const keyOf = (v: object | string): string =>
    typeof v === 'string'
      ? v
      : Object.entries(v)
          .filter(([k]) => !ADDRESS_FIELDS.has(k))
          .map(([k, x]) => `${k}=${fieldText(x)}`)
          .join(',');
  const out = new Map<string, string>();
  for (const d of w.kernel?.devices.values() ?? []) {
    const s = structuresOf(w, d.sid, indices);
    out.set(`STE ${d.name}`, keyOf(s.ste));
    for (const [i, cd] of s.cds) out.set(`CD ${i} ${d.name}`, keyOf(cd));
  }
  return out;
}

/** What changed from `before` to `after`: the structures and the words they hold now. */
export function changes(before: Map<string, string>, after: Map<string, string>): string {
  const out: string[] = [];
  for (const [k, v] of after) if (before.get(k) !== v) out.push(`${k}=${v}`);
  for (const k of before.keys()) if (!after.has(k)) out.push(`${k} gone`);
  return out.sort().join('\n');
}
