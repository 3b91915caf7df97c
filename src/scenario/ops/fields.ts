// The zod types op documents are made of: names, 64-bit strings, protections, accesses. Each
// op's schema (its definition file) is built from these, so one kind of field is checked, and
// its error worded, the same way in every op.
import { z } from '../zod.ts';
import { parseU64 } from '../../engine/index.ts';

/** "0x7fff_dead_b000", "0b1010" or "4096": a 64-bit value written as a string. */
export const u64 = z
  .string({ error: 'must be a string holding a number, e.g. "0x1000"' })
  .refine((s) => parseU64(s) !== undefined, {
    error: 'must be a 64-bit number written as "0x…", "0b…" or decimal digits',
  });

export const name = z
  .string({ error: 'must be a name (text)' })
  .regex(/^[A-Za-z0-9_.:+-]{1,40}$/, { error: 'must be 1–40 letters, digits or _ . : + -' });
export const int = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be ≥ ${min}` })
    .max(max, { error: `must be ≤ ${max}` });
export const prot = z
  .string({ error: 'must be a protection string' })
  .regex(/^r?w?x?$/, { error: 'must be some of "r", "w", "x" in that order, e.g. "rw"' })
  .refine((s) => s.length > 0, { error: 'must not be empty' });
export const access = z.enum(['r', 'w', 'x'], { error: 'must be "r", "w" or "x"' });
export const granule = z.enum(['4K', '16K', '64K'], { error: 'must be "4K", "16K" or "64K"' });
export const bool = z.boolean({ error: 'must be true or false' });

/** A control character (C0 or DEL): labels are shown as text, one line. */
export const hasControl = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
};

/** What a VMA maps, as /proc/PID/maps names it: a path, [heap], [stack], [vdso] (a label). */
export const vmaName = z
  .string({ error: 'must be text' })
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' })
  .refine((s) => !hasControl(s), { error: 'must be printable text (no control characters)' });

/** A range of a process's address space (munmap, mprotect, pin, unpin, reclaim, mmap). */
export const vmaRange = { proc: name, addr: u64, size: u64 };
