// The kernel eras, oldest first: the registry the kernel, the scenario format, the CLI and the
// page read names, releases and behaviour from. Adding an era is one file beside these plus its
// line here and its goldens (ARCHITECTURE.md, "Recipe: add a kernel era").
import type { EraInfo, KernelEra } from './types.ts';
import { rfc2017 } from './rfc2017.ts';
import { v5_14 } from './v5.14.ts';
import { v5_18 } from './v5.18.ts';
import { v6_6 } from './v6.6.ts';
import { v6_7 } from './v6.7.ts';
import { v6_11 } from './v6.11.ts';
import { mainline } from './mainline.ts';

export type * from './types.ts';

/** Every era, in time order. */
export const ERAS: readonly KernelEra[] = [rfc2017, v5_14, v5_18, v6_6, v6_7, v6_11, mainline];

export const ERA_IDS: readonly string[] = ERAS.map((e) => e.id);

/** The era a document without `kernel` runs under: the seed series. */
export const DEFAULT_ERA = 'rfc2017';

/**
 * The era a version-1 document or link meant by "mainline": the model that carried that name
 * before eras existed — SVA domains with their own ASID, no HA/HD (docs/research/eras.md §5).
 */
export const V1_MAINLINE = 'v6.11';

/** The era a kernel field of a version-1 document or link means (its "mainline" is v6.11). */
export const fromV1Kernel = (id: string): string => (id === 'mainline' ? V1_MAINLINE : id);

/** Whether `id` names an era. */
export const isEraId = (id: unknown): boolean => typeof id === 'string' && ERA_IDS.includes(id);

/** The era of that id; an unknown id is a programming error (documents are validated first). */
export function eraOf(id: string): KernelEra {
  const e = ERAS.find((x) => x.id === id);
  if (!e) throw new Error(`unknown kernel era "${id}" (known: ${ERA_IDS.join(', ')})`);
  return e;
}

/** The list the CLI (`kernels --json`) and the page's selector show. */
export const eraInfos = (): EraInfo[] =>
  ERAS.map(({ id, from, to, title, summary }) => ({ id, from, to, title, summary }));
