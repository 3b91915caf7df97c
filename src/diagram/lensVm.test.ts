// The lens on golden V1 (an accelerator assigned to a guest). Op 12: accel (SID 0x300) reads
// guest VA 0x7fff_dead_b123 under guest PASID 1. Derived by hand from the golden's ops: the guest
// STE's S1ContextPtr is IPA 0x8000, CD 1 sits at IPA 0x8040; the guest's tables are at IPAs
// 0x1_0000 → 0x1_1000 → 0x1_2000 → 0x1_3000 and the leaf maps the page at IPA 0x2_0000; the
// VM's RAM is one block from IPA 0, so every IPA x is read at ram.pa + x, and the stage-2 tree
// (4 KB, 4 levels) reads one descriptor per level for each of the 6 IPAs the walk needs (the CD,
// the 4 guest tables, the output): L0, L1, L2 shared, 6 distinct L3 entries — 9 in all.
import { describe, expect, it } from 'vitest';
import { goldenTimeline } from '../scenario/run.testkit.ts';
import { chainOf } from './chain.ts';
import { layoutLens } from './lens.ts';
import { EMPTY_VIEW, type Box } from './layoutTypes.ts';
import { lensModel } from './lensVm.ts';
import { modelAt } from './testkit.ts';

const t = goldenTimeline('v1-vm-nested.json');
const ramPa = t.records[1]!.ram![0]!.pa;
const m = modelAt(t, 12);
const chain = chainOf(m, { kind: 'op' }, { record: t.records[12], changed: [] });
const pte = (pa: bigint) => `pte:${pa.toString(16)}`;

describe('the lens on a nested dma', () => {
  it('the chain: STE, the guest CD at PA(IPA 0x8040), each guest level, stage 2, VM', () => {
    expect(chain.ids.has('ste:768')).toBe(true);
    expect(chain.ids.has('vcd:guest:768:1')).toBe(true);
    expect(lensModel(m).cdTables.find((x) => x.id === 'vcdt:guest:768')?.rows[0]?.pa).toBe(
      ramPa + 0x8040n,
    );
    // Guest VA 0x7fff_dead_b123: indexes 255, 511, 245, 219 (VA[47:39], [38:30], [29:21], [20:12]).
    const va = 0x7fff_dead_b123n;
    const tables = [0x1_0000n, 0x1_1000n, 0x1_2000n, 0x1_3000n];
    tables.forEach((ipa, l) => {
      const i = (va >> BigInt(39 - 9 * l)) & 0x1ffn;
      expect(chain.ids.has(pte(ramPa + ipa + i * 8n)), `guest L${l}`).toBe(true);
    });
    expect(chain.ids.has('s2:guest')).toBe(true);
    const s2 = lensModel(m).trees.find((x) => x.id === 's2:guest')!;
    const s2Entries = s2.tables.flatMap((x) => x.entries).filter((e) => chain.ids.has(pte(e.pa)));
    expect(s2Entries).toHaveLength(9);
    expect(chain.ids.has('vm:guest')).toBe(true);
  });

  it('one frame: where stage 2 puts the output IPA 0x2_0000, not the guest tables', () => {
    expect(chain.frames).toEqual([{ tree: 's2:guest', pa: ramPa + 0x2_0000n, size: 0x1000n }]);
  });

  it('at scale 1 the chain fits the 985 × 357 pane of 1280 × 720, four columns, the VM as an owner card', () => {
    const l = layoutLens(m, EMPTY_VIEW, chain, { detail: 'cards', avail: 985 });
    const at = (id: string): Box => l.boxes.find((b) => b.id === id)!;
    expect(l.chain!.width + 32).toBeLessThanOrEqual(985);
    expect(l.chain!.height + 32).toBeLessThanOrEqual(357);
    // Stage 1 (guest CD table, guest tree) in one column, stage 2 beside it, then frame and VM.
    expect(at('vtree:guest:10000').x).toBe(at('vcdt:guest:768').x);
    expect(at('s2:guest').x).toBeGreaterThan(at('vtree:guest:10000').x);
    expect(at('vm:guest').x).toBeGreaterThan(at('s2:guest').x);
    expect(l.edges.some((e) => e.id === 'ste:768->s2:guest')).toBe(true);
    expect(l.edges.some((e) => e.id === 'ste:768->vcdt:guest:768')).toBe(true);
  });
});
