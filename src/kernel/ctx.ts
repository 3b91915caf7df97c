// What every kernel function works on: the kernel's data, the SMMU it drives, physical memory,
// and the op's log (the dmesg-like lines the page and the CLI show).
import type { PhysMem, Smmu } from '../engine/index.ts';
import { allocFrames, type FrameUse } from './frames.ts';
import { fail } from './errors.ts';
import type { KernelState } from './state.ts';

export interface KCtx {
  readonly k: KernelState;
  readonly smmu: Smmu;
  readonly mem: PhysMem;
  readonly notes: string[];
  /** Activity number of each note (PhysMem.clock), parallel to `notes`. */
  readonly marks?: number[];
  /** Stalled accesses the fault handler found nothing to fix for, this op (iopf.ts unresolved). */
  spurious?: Map<string, number>;
  /** Event records the host relayed to a guest's vEVENTQ during the op (iommufd/relay.ts). */
  readonly vevents?: VEvent[];
}

/** One record in a guest's vEVENTQ: the event as the guest sees it (its vSID in dword 0). */
export interface VEvent {
  readonly name: string;
  readonly vsmmu: string;
  readonly vsid: number;
  readonly raw: readonly bigint[];
}

export const log = (c: KCtx, line: string): void => {
  c.notes.push(line);
  c.marks?.push(c.mem.tick());
};

/** Allocates zeroed frames (GFP_ZERO), or fails the op with -ENOMEM. Commit phase only. */
export function allocZeroed(c: KCtx, bytes: bigint, use: FrameUse, label: string): bigint {
  const pa = allocFrames(c.k.frames, bytes, use, label);
  if (pa === undefined) fail('-ENOMEM', `out of memory allocating ${label}`);
  c.mem.zero(pa, bytes < 0x1000n ? 0x1000n : bytes);
  return pa;
}
