// Kernel questions about nested devices, for the page: which guest STE a physical STE came
// from, and which of its bits the guest owns and which the host forced (vste.ts).
import type { KernelState } from '../state.ts';
import { guestOwnedBits, type PhysicalKind } from './vste.ts';

export interface NestedSte {
  readonly dev: string;
  readonly vsmmu: string;
  readonly vm: string;
  /** The guest's STE as handed over (dwords 0–1). */
  readonly guest: readonly [bigint, bigint];
  readonly kind: PhysicalKind;
  /** Per physical STE word: bits that came from the guest's vSTE. */
  readonly guestBits: readonly bigint[];
  /** Per physical STE word: bits the host set whatever the guest asked (Config, MEV, EATS, S2). */
  readonly hostBits: readonly bigint[];
}

const ALL = (1n << 64n) - 1n;

/** The nested attach behind a StreamID's STE, if its device is attached to a nested domain. */
export function nestedSteOf(k: KernelState, sid: number): NestedSte | undefined {
  for (const dev of k.devices.values()) {
    if (dev.sid !== sid || !dev.nested) continue;
    const n = dev.nested;
    const guestBits = guestOwnedBits(n.kind);
    return {
      dev: dev.name,
      vsmmu: n.vsmmu,
      vm: k.vsmmus.get(n.vsmmu)?.vm ?? '',
      guest: n.guest,
      kind: n.kind,
      guestBits,
      hostBits: guestBits.map((g) => ALL & ~g),
    };
  }
  return undefined;
}
