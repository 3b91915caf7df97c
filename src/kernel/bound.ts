// How much memory an op can take: an upper bound on the frames a kernel op allocates, so the
// runner knows when an op cannot run out of memory half-way and needs no savepoint
// (scenario/atomic.ts). The only failure of a commit phase is allocZeroed's -ENOMEM (ctx.ts);
// everything else fails in the check phase, before anything changes.
//
// The allocator (frames.ts) takes a block of 2^order frames from the free list of that order, or
// from the never-used region above `next`, after an alignment gap smaller than the block. So an
// op whose blocks add up to B bytes moves `next` by less than 2B, and an op cannot fail on memory
// while `end - next` is at least 2B: free-list hits do not touch `next`, and nothing else fails.
import { assertNever, type SmmuPlatform } from '../engine/index.ts';
import { cdTableBytes } from './smmu/cdtable.ts';
import type { KernelOp } from './ops.ts';
import type { KernelState } from './state.ts';

/** The largest table, root, leaf page or CD leaf any op allocates one of: 64 KB. */
const T = 0x1_0000n;
/** Small allocations round up to a 4 KB frame; this covers a few of them. */
export const BOUND_SLACK = 0x10_0000n;

/** Blocks for `size` bytes of pages or a buffer (≤ 2 × size once rounded to a power of two), plus
 * the tables that map them (at most one 8-byte descriptor per 4 KB page, per level: size / 128). */
const mapped = (size: bigint): bigint => 2n * size + size / 128n + 4n * T;

/**
 * An upper bound on the bytes of frame blocks `op` allocates, from the op and the state it runs
 * in. Ops that only free, clear or rewrite existing entries allocate nothing; a device access
 * allocates only through the I/O page-fault handler, which answers -ENOMEM with INVALID instead
 * of failing the op (iopf.ts), so `dma` needs no bound either.
 */
export function allocBound(k: KernelState, p: SmmuPlatform, op: KernelOp): bigint {
  switch (op.op) {
    case 'device': // a level-2 stream table (16 KB)
    case 'process': // the pgd
      return T;
    case 'attach': {
      // arm_smmu_domain_finalise_s1: the io-pgtable root, the CD table (and leaf 0).
      return T + cdTableBytes(p.cd2l, k.devices.get(op.dev)?.ssidBits ?? p.ssidBits);
    }
    case 'map':
      return op.pa === undefined ? mapped(op.size) : mapped(op.size) - 2n * op.size;
    case 'unmap': // splitting a block: one table per level below it
      return 4n * T;
    case 'mmap':
      return op.populate ? mapped(op.size) : 0n;
    case 'pin':
      return mapped(op.size);
    case 'touch': // a page and the tables down to it
      return 4n * T;
    case 'bind': // a private io-pgtable root, a new CD leaf
      return 4n * T;
    case 'vm': {
      // Guest RAM (a block, or the RAM claimed up to pa + size) and its stage-2 tables.
      if (op.pa === undefined) return mapped(op.size);
      const claimed = op.pa + op.size > k.frames.next ? op.pa + op.size - k.frames.next : 0n;
      return claimed + mapped(op.size) - 2n * op.size;
    }
    case 'vsmmu':
    case 'vdevice':
    case 'gwrite64':
    case 'nest': // the device's STE slot exists since its probe
    case 'ginv':
    case 'domain': // the io-pgtable comes with the first attach
    case 'munmap':
    case 'mprotect':
    case 'unpin':
    case 'reclaim':
    case 'unbind':
    case 'exit':
    case 'dma':
      return 0n;
    default:
      return assertNever(op, 'kernel op');
  }
}

/**
 * Can `op` run out of frames after it has started changing things? False when the never-used
 * region holds twice the op's bound (see above); then a failure is a check-phase one.
 */
export function mayRunOutOfMemory(k: KernelState, p: SmmuPlatform, op: KernelOp): boolean {
  return k.frames.end - k.frames.next < 2n * allocBound(k, p, op) + BOUND_SLACK;
}
