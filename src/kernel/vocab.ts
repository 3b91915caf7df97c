// The words the kernel's ops speak: which Linux it models (the era), the CPU it runs on, access
// kinds and protections. The kernel owns them; the scenario layer re-exports them for documents.
import type { GranuleShift } from '../engine/index.ts';

/** The device's access kind is the hardware's (engine/transaction.ts): r, w, or x. */
export type { Access } from '../engine/index.ts';

/**
 * The Linux modelled: a kernel era's id (src/kernel/eras: "rfc2017", "v5.14", …, "mainline").
 * Which ids exist is the era table's business (eras/index.ts ERA_IDS, isEraId).
 */
export type KernelProfile = string;

export interface Perms {
  readonly r: boolean;
  readonly w: boolean;
  readonly x: boolean;
}

export interface CpuPlatform {
  readonly granule: GranuleShift;
  readonly vaBits: number;
  readonly asidBits: 8 | 16;
}

export const DEFAULT_CPU: CpuPlatform = { granule: 12, vaBits: 48, asidBits: 16 };

export const permsOf = (s: string): Perms => ({
  r: s.includes('r'),
  w: s.includes('w'),
  x: s.includes('x'),
});
export const permsString = (p: Perms): string =>
  `${p.r ? 'r' : ''}${p.w ? 'w' : ''}${p.x ? 'x' : ''}` || '-';
