// Kernel errors are Linux errno names; an op that fails returns one and changes nothing.
// (The runner enforces "nothing": scenario/atomic.ts undoes an op that fails after its check
// phase, e.g. on -ENOMEM half-way through.)
import type { KernelState } from './state.ts';

export type Errno =
  | '-EINVAL'
  | '-ENODEV'
  | '-ENOSPC'
  | '-ENOMEM'
  | '-EBUSY'
  | '-EEXIST'
  | '-ESRCH'
  | '-EFAULT'
  | '-EOVERFLOW'
  | '-ERANGE'
  | '-ENOENT'
  | '-EOPNOTSUPP'
  | '-E2BIG'
  | 'SIGSEGV';

/**
 * What the caller of the failed kernel function does with the failure, outside the kernel: run
 * after the op has been undone, returns the log line. The one user: a device driver whose late
 * unbind gets -ESRCH forgets the PASID it held anyway (see index.ts, `unbind`).
 */
export type Aftermath = (k: KernelState) => string;

export class KernelError extends Error {
  readonly errno: Errno;
  readonly aftermath: Aftermath | undefined;
  constructor(errno: Errno, message: string, aftermath?: Aftermath) {
    super(message);
    this.errno = errno;
    this.aftermath = aftermath;
  }
}

/**
 * Throws a KernelError. Used in an op's check phase, before anything is changed; the one
 * failure of a commit phase is running out of frames (ctx.ts allocZeroed), which the runner
 * undoes.
 */
export function fail(errno: Errno, message: string): never {
  throw new KernelError(errno, message);
}
