// The inspector's nested-STE view: for an STE the host built from a guest's STE (iommufd nesting,
// arm_smmu_make_nested_domain_ste in arm-smmu-v3-iommufd.c), the guest STE it came from and, per
// field, who owns it — the guest (bits inside STRTAB_STE_0/1_NESTING_ALLOWED, which the host
// copies) or the host (Config, V, EATS, MEV, the stage-2 fields and VMID). The kernel names the
// bits (kernel/iommufd/query.ts nestedSteOf); this only sorts the STE's fields by them.
import { getField, STE, type Field } from '../engine/index.ts';
import { nestedSteOf, steAddress } from '../kernel/index.ts';
import type { World } from '../scenario/index.ts';
import type { Selection } from './inspect.ts';

export interface NestedField {
  readonly name: string;
  readonly field: Field;
  /** In the physical STE. */
  readonly value: bigint;
  /** In the guest's STE (0 for dwords 2–7, which the guest does not hand over). */
  readonly guest: bigint;
  readonly owner: 'guest' | 'host';
}

export interface NestedInspect {
  readonly dev: string;
  readonly vsmmu: string;
  readonly vm: string;
  /** The physical STE's kind: the guest's abort, bypass (stage 2 only) or stage 1 (nested). */
  readonly kind: string;
  readonly guest: readonly [bigint, bigint];
  readonly fields: readonly NestedField[];
}

const mask = (fd: Field): bigint => ((1n << BigInt(fd.hi - fd.lo + 1)) - 1n) << BigInt(fd.lo);

/** The nested view of a selected STE, or undefined when it is not a nested device's STE. */
export function nestedInspect(sel: Selection, world: World): NestedInspect | undefined {
  const k = world.kernel;
  if (!k || sel.kind !== 'memory' || sel.struct !== 'ste') return undefined;
  const dev = [...k.devices.values()].find((d) => d.nested && steAddress(k, d.sid) === sel.pa);
  const n = dev && nestedSteOf(k, dev.sid);
  const words = n && world.mem.readWords(sel.pa, 8);
  if (!n || !words) return undefined;
  const fields = Object.entries(STE).map(([name, field]): NestedField => {
    // Any guest-owned bit makes it the guest's: S1ContextPtr is [55:6] in the spec, and the kernel
    // lets the guest set [51:6] of it (STRTAB_STE_0_S1CTXPTR_MASK).
    const owned = ((n.guestBits[field.dw] ?? 0n) & mask(field)) !== 0n;
    return {
      name,
      field,
      value: getField(words, field),
      guest: field.dw < 2 ? getField(n.guest, field) : 0n,
      owner: owned ? 'guest' : 'host',
    };
  });
  return { dev: n.dev, vsmmu: n.vsmmu, vm: n.vm, kind: n.kind, guest: n.guest, fields };
}
