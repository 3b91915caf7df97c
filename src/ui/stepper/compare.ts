// Two moments compared: the words of STEs, CDs, level-1 descriptors and page-table entries that
// differ between the worlds (classified by the kernel frame that holds them), and the TLB,
// configuration cache and ATC entries one has and the other not. Pure: no React.
import { hex, type AtcEntry, type CachedConfig, type TlbEntry } from '../../engine/index.ts';
import { blockAt, type FrameBlock, type FrameUse } from '../../kernel/index.ts';
import type { World } from '../../scenario/index.ts';
import { atcKey, cfgKey, tlbKey } from '../panels/cacheDiff.ts';
import { hexSid, sizeLabel } from '../panels/format.ts';

export type StructureGroup = 'Stream table' | 'CD tables' | 'Page tables' | 'Memory';

export interface WordChange {
  readonly pa: bigint;
  /** 0n when the word was zero (or the frame was not allocated). */
  readonly before: bigint;
  readonly after: bigint;
  readonly group: StructureGroup;
  /** "STE 0x100 dw1", "CD 3 dw0", "L1CD[0]", "entry [254]". */
  readonly what: string;
  /** The frame's label (kernel allocator), or "no kernel frame". */
  readonly owner: string;
}

export interface CacheChange {
  readonly cache: 'TLB' | 'Config cache' | 'ATC';
  readonly change: 'added' | 'removed';
  readonly text: string;
}

export interface Comparison {
  readonly words: readonly WordChange[];
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

const firstOf = (label: string, re: RegExp): number => {
  const m = re.exec(label);
  return m ? Number(m[1]) : 0;
};

/** Names the word at `pa` inside its frame block. */
export function structureAt(b: FrameBlock, pa: bigint): string {
  const off = pa - b.pa;
  const dw = Number((off % 64n) / 8n);
  const l1 = b.label.startsWith('L1 ');
  if (b.use === 'strtab') {
    if (l1) return `L1STD[${off / 8n}]`;
    const sid = firstOf(b.label, /StreamIDs (0x[0-9a-f]+)/) + Number(off / 64n);
    return `STE 0x${sid.toString(16)} dw${dw}`;
  }
  if (b.use === 'cdtable') {
    if (l1) return `L1CD[${off / 8n}]`;
    return `CD ${firstOf(b.label, /CDs (\d+)/) + Number(off / 64n)} dw${dw}`;
  }
  return `entry [${off / 8n}]`;
}

function wordsOf(w: World): Map<bigint, bigint> {
  return new Map(w.mem.nonZeroWords());
}

/** What differs from `a` to `b` (a is the earlier moment when the user picks them in order). */
export function compareWorlds(a: World, b: World): Comparison {
  const wa = wordsOf(a);
  const wb = wordsOf(b);
  const pas = new Set([...wa.keys(), ...wb.keys()]);
  const words: WordChange[] = [];
  let otherWords = 0;
  for (const pa of [...pas].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))) {
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
    words.push({
      pa,
      before,
      after,
      group,
      what: block ? structureAt(block, pa) : hex(pa),
      owner: block?.label ?? 'no kernel frame',
    });
  }
  return { words, otherWords, caches: cacheChanges(a, b) };
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
