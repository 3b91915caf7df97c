// The stream table as a structure (linear, or 2-level with its L1STDs) and the iommu domains, for
// the diagram model. The stream table is read as the SMMU sees it (its registers, §6.3.24–25) and
// only where a known device's StreamID points: a 2-level table of 2^32 StreamIDs has 2^24 L1STDs,
// and drawing costs what is on screen, so the rest is a count.
import { getNum, L1STD, type SmmuDerived } from '../engine/index.ts';
import type { KernelState } from '../kernel/index.ts';
import type { World } from '../scenario/index.ts';

export interface L1stdRow {
  readonly id: string;
  /** Index of the L1STD: StreamID >> SPLIT. */
  readonly index: number;
  readonly pa: bigint;
  readonly word: bigint;
  /** L1STD.Span: 0 = invalid; the level-2 array holds 2^(Span−1) STEs. */
  readonly span: number;
  readonly l2: bigint;
  /** The StreamIDs of known devices it covers. */
  readonly sids: readonly number[];
}

export interface StrtabNode {
  readonly id: 'strtab';
  readonly fmt: 'linear' | '2level';
  readonly base: bigint;
  /** Effective LOG2SIZE: StreamIDs are below 2^sidBits. */
  readonly sidBits: number;
  readonly split: number;
  /** 2-level: the L1STDs covering a known device's StreamID, by index. */
  readonly l1: readonly L1stdRow[];
  /** 2-level: how many L1STDs the table has (2^(LOG2SIZE − SPLIT)). */
  readonly l1Count: number;
}

export interface DomainNode {
  readonly id: string;
  readonly name: string;
  readonly type: 'dma' | 'identity' | 'blocked';
  readonly devices: readonly string[];
  /** The CD table it owns (RFCv2: one per domain), if any. */
  readonly cdTable: string | undefined;
  /** Bound processes (PASIDs in its CD table). */
  readonly bound: readonly string[];
}

export const l1stdId = (index: number): string => `l1std:${index}`;
export const domainId = (name: string): string => `dom:${name}`;

export function buildStrtab(d: SmmuDerived, w: World, sids: readonly number[]): StrtabNode {
  const base = { id: 'strtab' as const, fmt: d.strtabFmt, base: d.strtabBase, sidBits: d.sidBits };
  if (d.strtabFmt === 'linear') return { ...base, split: d.split, l1: [], l1Count: 0 };
  const byIndex = new Map<number, number[]>();
  for (const sid of sids) {
    const i = sid >>> d.split;
    byIndex.set(i, [...(byIndex.get(i) ?? []), sid]);
  }
  const l1 = [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, covered]): L1stdRow => {
      const pa = d.strtabBase + BigInt(index) * 8n;
      const word = w.mem.read64(pa) ?? 0n;
      const span = getNum([word], L1STD.Span);
      return {
        id: l1stdId(index),
        index,
        pa,
        word,
        span,
        l2: BigInt(getNum([word], L1STD.L2Ptr)) << 6n,
        sids: covered,
      };
    });
  return { ...base, split: d.split, l1, l1Count: 2 ** Math.max(0, d.sidBits - d.split) };
}

export function buildDomains(k: KernelState): DomainNode[] {
  return [...k.domains.values()].map((d) => ({
    id: domainId(d.name),
    name: d.name,
    type: d.type,
    devices: [...d.devices],
    cdTable: d.cdtable ? `cdt:${d.name}` : undefined,
    bound: [...d.contexts.keys()],
  }));
}
