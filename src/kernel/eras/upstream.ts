// What the upstream eras share, assembled from the two families of kernel code: the shared-CD
// eras (v5.14 … v6.7, kernel/sharedcd.ts) and the SVA-domain eras (v6.11+, kernel/sva.ts). An
// era file picks a family and says how its release differs (docs/research/eras.md).
import type { Errno } from '../errors.ts';
import { IOPGTABLE_MAIR } from '../iopgtable.ts';
import {
  bindSharedCd,
  cpuAsidFreeSharedCd,
  releaseSharedCd,
  unbindSharedCd,
  type SharedCdParams,
} from '../sharedcd.ts';
import { invalidateSharedCd, type SharedCdInvParams } from '../sharedcdInv.ts';
import { sharedMmCd } from '../smmu/cd.ts';
import { bindSva, unbindSva, type SvaParams } from '../sva.ts';
import { invalidateSva, releaseSva } from '../svaNotifier.ts';
import type { EraConfig, EraLabels, EraOps } from './types.ts';

/** The EraConfig fields every upstream release shares. */
export const UPSTREAM = {
  arm64: 'v5.10+',
  iopgtableMair: IOPGTABLE_MAIR.today,
  smmuAsids: 'lowest',
  privatePasids: 'lowest',
  btm: false,
  domainOrder: 'newest-first',
  svaCdReplicated: false,
} as const satisfies Partial<EraConfig>;

const stale = (dev: string, proc: string, pasid: number): string =>
  `${dev}'s driver still holds PASID ${pasid} of the ${proc} that exited (its mm keeps the PASID until the driver unbinds): it unbinds it first`;

/** Labels of the shared-CD eras. `quietClearsSR`: never, before v6.8 (b41932f54458). */
export function sharedCdLabels(name: string): EraLabels {
  return {
    name,
    allocator: 'lowest free (ioasid / global IDA: the mm’s PASID)',
    record: 'mm',
    bindCount: (n) => `the bond holds ${n} refs`,
    domains: 'Domains and shared CDs',
    exitedCd: (pasid) =>
      `CD ${pasid} stays valid with EPD0=1 (quiet_cd; S and R unchanged): every access faults`,
  };
}

export function svaLabels(name: string): EraLabels {
  return {
    name,
    allocator: 'lowest free (global IDA, iommu_alloc_global_pasid)',
    record: 'mm',
    bindCount: (n) => `the SVA handle has ${n} users`,
    domains: 'Domains and SVA CDs',
    exitedCd: (pasid, forcedStall) =>
      `CD ${pasid} stays valid with EPD0=1: every access faults${forcedStall ? ' (stalls are forced: S=R=1)' : ', aborted without an event (S=R=0)'}`,
  };
}

/** The shared-CD family with one release's parameters. */
export function sharedCdOps(
  p: SharedCdParams &
    SharedCdInvParams & { readonly noPasidErrno: Errno; readonly stallNeedsHandle: boolean },
): EraOps {
  return {
    bind: (c, dev, proc) => bindSharedCd(c, dev, proc, p),
    unbind: (c, dev, proc, bond) => unbindSharedCd(c, dev, proc, bond, p),
    release: (c, proc) => releaseSharedCd(c, proc, p),
    cpuAsidFree: cpuAsidFreeSharedCd,
    invalidate: (c, proc, start, end) => invalidateSharedCd(c, proc, start, end, p),
    sharedCd: (c, mm, asid, stall) =>
      sharedMmCd(c, mm, asid, stall, { aset: false, ha: false, hd: false }),
    iopf: { pri: 'denied', stallNeedsHandle: p.stallNeedsHandle },
    staleBond: stale,
    noPasidErrno: p.noPasidErrno,
  };
}

/** The SVA-domain family with one release's parameters; `httu`: HA/HD in SVA CDs (v7.2). */
export function svaOps(
  p: SvaParams & { readonly httu: boolean; readonly noPasidErrno: Errno },
): EraOps {
  return {
    bind: (c, dev, proc) => bindSva(c, dev, proc, p),
    unbind: unbindSva,
    release: releaseSva,
    cpuAsidFree: () => true,
    invalidate: invalidateSva,
    sharedCd: (c, mm, asid, stall) =>
      sharedMmCd(c, mm, asid, stall, {
        aset: true,
        ha: p.httu && c.smmu.platform.httu !== 'none',
        hd: p.httu && c.smmu.platform.httu === 'af+dirty',
      }),
    iopf: { pri: 'denied', stallNeedsHandle: true },
    staleBond: stale,
    noPasidErrno: p.noPasidErrno,
  };
}
