// Two moments compared: the STEs, CDs, level-1 descriptors and page-table entries whose words
// differ between the worlds, each with the named fields that changed (CD.V, CD.ASID, STE.Config,
// a PTE's OutputAddress…), classified by the kernel frame that holds them; and the TLB,
// configuration cache and ATC entries one has and the other not. Pure: no React.
import { hex, type AtcEntry, type CachedConfig, type TlbEntry } from '../../engine/index.ts';
import { blockAt, type FrameUse } from '../../kernel/index.ts';
import type { World } from '../../scenario/index.ts';
import { atcKey, cfgKey, tlbKey } from '../cacheDiff.ts';
import { hexSid, sizeLabel } from '../format.ts';
import { fieldChanges, locate, type FieldChange, type Located } from './compareFields.ts';

export type StructureGroup = 'Stream table' | 'CD tables' | 'Page tables' | 'Memory';

export interface WordChange {
  /** Which dword of its structure. */
  readonly dw: number;
  readonly pa: bigint;
  /** 0n when the word was zero (or the frame was not allocated). */
  readonly before: bigint;
  readonly after: bigint;
}

/** One structure with at least one word that differs. */
export interface StructureChange {
  /** The structure's first byte. */
  readonly pa: bigint;
  readonly group: StructureGroup;
  /** "STE 0x100", "CD 3", "L1CD[0]", "L3 entry [2]"; a bare address without a kernel. */
  readonly what: string;
  /** The frame's label (kernel allocator), or "no kernel frame". */
  readonly owner: string;
  readonly words: readonly WordChange[];
  /** The named fields that differ; empty when the structure has no field table here. */
  readonly fields: readonly FieldChange[];
}

export interface CacheChange {
  readonly cache: 'TLB' | 'Config cache' | 'ATC';
  readonly change: 'added' | 'removed';
  readonly text: string;
}

export interface Comparison {
  readonly structures: readonly StructureChange[];
  /** Structure words that differ, over all structures. */
  readonly wordCount: number;
  /** Words that changed in other frames (queues, user pages, DMA buffers). */
  readonly otherWords: number;
  readonly caches: readonly CacheChange[];
}

const GROUP: Partial<Record<FrameUse, StructureGroup>> = {
  strtab: 'Stream table',
  cdtable: 'CD tables',
  pgtable: 'Page tables',
  iopgtable: 'Page tables',
};

const byAddress = (x: bigint, y: bigint): number => (x < y ? -1 : x > y ? 1 : 0);

/** What differs from `a` to `b` (a is the earlier moment when the user picks them in order). */
export function compareWorlds(a: World, b: World): Comparison {
  const wa = new Map(a.mem.nonZeroWords());
  const wb = new Map(b.mem.nonZeroWords());
  const found = new Map<bigint, { loc: Located; group: StructureGroup; owner: string }>();
  const changed = new Map<bigint, WordChange[]>();
  let otherWords = 0;
  let wordCount = 0;
  for (const pa of [...new Set([...wa.keys(), ...wb.keys()])].sort(byAddress)) {
    const before = wa.get(pa) ?? 0n;
    const after = wb.get(pa) ?? 0n;
    if (before === after) continue;
    const block =
      (b.kernel && blockAt(b.kernel.frames, pa)) || (a.kernel && blockAt(a.kernel.frames, pa));
    const group: StructureGroup | undefined = block ? GROUP[block.use] : 'Memory';
    if (!group || (group === 'Memory' && a.kernel)) {
      otherWords++;
      continue;
    }
    const loc: Located = block ? locate(block, pa) : { base: pa, what: hex(pa), dwords: 1 };
    if (!found.has(loc.base))
      found.set(loc.base, { loc, group, owner: block?.label ?? 'no kernel frame' });
    const list = changed.get(loc.base) ?? [];
    list.push({ dw: Number((pa - loc.base) / 8n), pa, before, after });
    changed.set(loc.base, list);
    wordCount++;
  }
  const structures = [...found.values()].map(({ loc, group, owner }): StructureChange => {
    // Both moments' words of the whole structure: a field may span words, and a descriptor's
    // layout depends on its type bits.
    const read = (w: Map<bigint, bigint>) =>
      Array.from({ length: loc.dwords }, (_, i) => w.get(loc.base + BigInt(i) * 8n) ?? 0n);
    return {
      pa: loc.base,
      group,
      what: loc.what,
      owner,
      words: changed.get(loc.base)!,
      fields: fieldChanges(loc, read(wa), read(wb)),
    };
  });
  return { structures, wordCount, otherWords, caches: cacheChanges(a, b) };
}

const tlbText = (e: TlbEntry): string =>
  `${e.stage}${e.vmid ? ` VMID ${e.vmid}` : ''}${e.asid >= 0 ? ` ASID ${e.asid}` : ' global'} ${hex(e.ia)} (${sizeLabel(e.sizeShift)}) → ${hex(e.oa)}`;
const cfgText = (e: CachedConfig): string =>
  e.kind === 'cd'
    ? `CD ${e.ssid} of StreamID ${hexSid(e.sid)} (at ${hex(e.pa)})`
    : e.kind === 'ste'
      ? `STE of StreamID ${hexSid(e.sid)} (at ${hex(e.pa)})`
      : e.kind === 'l1cd'
        ? `L1CD[${e.index}] of StreamID ${hexSid(e.sid)} (at ${hex(e.pa)})`
        : `L1STD[${e.index}] (at ${hex(e.pa)})`;
const atcText = (e: AtcEntry): string =>
  `StreamID ${hexSid(e.sid)}${e.ssid !== undefined ? ` PASID ${e.ssid}` : ''} ${hex(e.ia)} → ${hex(e.pa)}`;

function diffSet<T>(
  cache: CacheChange['cache'],
  a: readonly T[],
  b: readonly T[],
  key: (e: T) => string,
  text: (e: T) => string,
): CacheChange[] {
  const ka = new Set(a.map(key));
  const kb = new Set(b.map(key));
  return [
    ...b
      .filter((e) => !ka.has(key(e)))
      .map((e) => ({ cache, change: 'added' as const, text: text(e) })),
    ...a
      .filter((e) => !kb.has(key(e)))
      .map((e) => ({ cache, change: 'removed' as const, text: text(e) })),
  ];
}

export function cacheChanges(a: World, b: World): CacheChange[] {
  return [
    ...diffSet('TLB', a.smmu.tlb.entries(), b.smmu.tlb.entries(), tlbKey, tlbText),
    ...diffSet('Config cache', a.smmu.cfg.entries(), b.smmu.cfg.entries(), cfgKey, cfgText),
    ...diffSet('ATC', a.smmu.atc.entries(), b.smmu.atc.entries(), atcKey, atcText),
  ];
}
