// Broadcast TLB maintenance (§3.17, IDR0.BTM, CR2.PTM): a CPU's TLBI ...IS instruction reaches
// the SMMU TLB when the SMMU supports BTM and software left CR2.PTM=0. Entries with ASET=1 are
// private to the SMMU: VA- and ASID-scoped broadcasts need not remove them (§5.4 ASET).
import type { Smmu } from './smmu.ts';
import { overlaps } from './tlb.ts';

export type CpuTlbi =
  | {
      readonly op: 'TLBI VAE1IS';
      readonly asid: number;
      readonly va: bigint;
      readonly pages: number;
      /** The CPU's page size (log2): one TLBI per page of that size. Default 12 (4 KB). */
      readonly pageShift?: number;
    }
  | { readonly op: 'TLBI ASIDE1IS'; readonly asid: number }
  | { readonly op: 'TLBI VMALLE1IS' };

/** Applies a CPU broadcast invalidation from the host (VMID 0); returns entries removed. */
export function broadcastTlbi(smmu: Smmu, t: CpuTlbi): number {
  const snooped = smmu.platform.btm && !smmu.derived.ptm;
  let n = 0;
  if (snooped) {
    n = smmu.tlb.invalidate((e) => {
      if (e.world !== 'NS-EL1' || e.stage === 's2' || e.vmid !== 0) return false;
      if (t.op === 'TLBI VMALLE1IS') return true;
      if (e.aset) return false;
      if (t.op === 'TLBI ASIDE1IS') return e.asid === t.asid;
      const span = BigInt(t.pages) << BigInt(t.pageShift ?? 12);
      return (e.asid === t.asid || e.asid < 0) && overlaps(e, t.va, span);
    });
  }
  smmu.log.broadcasts.push({ op: t.op, invalidated: n, snooped, ...smmu.mem.stamp() });
  return n;
}
