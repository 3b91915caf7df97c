// Ops as the runner sees them: defaults filled in, numbers as bigints. The kernel owns the ops it
// runs and the words they speak (kernel/ops.ts, kernel/vocab.ts); they are re-exported here.
// The hardware-level ops are the runner's own (run.ts carries them out on the engine).
import type { SmmuPlatform } from '../engine/index.ts';
import type { CpuPlatform, DmaAccess, KernelOp, KernelProfile } from '../kernel/index.ts';

export {
  DEFAULT_CPU,
  permsOf,
  permsString,
  type CpuPlatform,
  type MapTarget,
  type Perms,
} from '../kernel/index.ts';

/** A device access by StreamID alone: no kernel involved. */
export type DmaBySid = DmaAccess & { readonly dev: undefined; readonly sid: number };

export type HardwareOp =
  | { readonly op: 'write64'; readonly pa: bigint; readonly value: bigint }
  | { readonly op: 'reg'; readonly name: string; readonly value: bigint }
  | {
      readonly op: 'cmd';
      readonly name: string;
      readonly fields: Readonly<Record<string, bigint>>;
    }
  | DmaBySid;

export type Op = KernelOp | HardwareOp;

/** Whether the kernel runs this op (false: the bare hardware does, run.ts). */
export const isKernelOp = (op: Op): op is KernelOp =>
  !(
    op.op === 'write64' ||
    op.op === 'reg' ||
    op.op === 'cmd' ||
    (op.op === 'dma' && op.dev === undefined)
  );

export interface Platform {
  readonly smmu: SmmuPlatform;
  readonly cpu: CpuPlatform;
}

export interface Scenario {
  readonly title: string | undefined;
  readonly kernel: KernelProfile;
  readonly platform: Platform;
  readonly ops: readonly Op[];
  readonly cursor: { readonly op: number; readonly step: number } | undefined;
}
