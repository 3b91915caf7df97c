// The CD slots of a domain's CD table the diagram reads, linear or two-level (SMMUv3 §5.4.1,
// §3.4.3): only slots that can hold a valid CD, so drawing costs what the table holds.
import { CD_BYTES, cdLeafBits, l1cdCount, l1cdLeaf } from '../engine/index.ts';
import { cdTableS1Fmt, type CdTable } from '../kernel/index.ts';
import type { World } from '../scenario/index.ts';

/** Addresses of every CD slot that exists (2-level: only in the leaves the L1CDs point at). */
export function cdSlots(w: World, t: CdTable, l1: { index: number; pa: bigint; word: bigint }[]) {
  const out: [number, bigint][] = [];
  const leafBits = cdLeafBits(cdTableS1Fmt(t));
  if (leafBits === undefined) {
    // A linear table may hold 2^20 CDs (64 MB): only the pages ever written can hold a valid
    // one, so the drawing costs what the table holds, not its size. (CDs are 64-byte aligned
    // and never straddle a page.)
    const count = 2 ** t.s1cdmax;
    const perPage = Number(4096n / CD_BYTES);
    for (let i = 0; i < count;) {
      const pa = t.base + BigInt(i) * CD_BYTES;
      const inPage = Math.min(count - i, perPage - Number((pa & 0xfffn) / CD_BYTES));
      if (w.mem.hasPage(pa))
        for (let j = 0; j < inPage; j++) out.push([i + j, pa + BigInt(j) * CD_BYTES]);
      i += inPage;
    }
    return out;
  }
  for (let i = 0; i < l1cdCount(t.s1cdmax, leafBits); i++) {
    const pa = t.base + BigInt(i) * 8n;
    const word = w.mem.read64(pa) ?? 0n;
    const leaf = l1cdLeaf(word, leafBits);
    if (leaf === undefined) continue;
    l1.push({ index: i, pa, word });
    for (let j = 0; j < 2 ** leafBits; j++)
      out.push([(i << leafBits) + j, leaf + BigInt(j) * CD_BYTES]);
  }
  return out;
}
