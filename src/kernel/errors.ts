// Kernel errors are Linux errno names; an op that fails returns one and changes nothing.

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
  | 'SIGSEGV';

export class KernelError extends Error {
  readonly errno: Errno;
  constructor(errno: Errno, message: string) {
    super(message);
    this.errno = errno;
  }
}

/** Throws a KernelError: used only in an op's check phase, before anything is changed. */
export function fail(errno: Errno, message: string): never {
  throw new KernelError(errno, message);
}
