// The kernel eras as the header's selector and the help show them: names, releases and what each
// changed, all read from the eras themselves (src/kernel/eras). The details, their sources and
// what the model infers are in each op's kernel notes (the timeline's ▸ toggles).
import { ERAS, eraOf, isEraId, type KernelEra } from '../../kernel/index.ts';

export interface KernelProfileInfo {
  readonly id: string;
  /** The option's text in the selector: id and releases. */
  readonly label: string;
  /** What the era models. */
  readonly summary: string;
  /** What it changed, one line each: "change — release, commit/function". */
  readonly changes: readonly string[];
}

const span = (e: KernelEra): string => `${e.from}–${e.to ?? ''}`;

export const KERNEL_PROFILES: readonly KernelProfileInfo[] = ERAS.map((e) => ({
  id: e.id,
  label: `${e.id} · ${e.title} · ${span(e)}`,
  summary: e.summary,
  changes: e.changes.map((c) => `${c.what} — ${c.where}`),
}));

export const KERNEL_NOTES_HINT =
  'The details, their sources and what the model infers are in the kernel notes of each op (the ▸ beside it in the timeline).';

export const profileInfo = (id: string): KernelProfileInfo =>
  KERNEL_PROFILES.find((p) => p.id === (isEraId(id) ? eraOf(id).id : id)) ?? KERNEL_PROFILES[0]!;
