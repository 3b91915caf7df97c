// The device driver's side of a bind: what it holds per (device, process) — the PASID, whose
// tables, and how many binds it has not unbound yet. Binding the same device to the same process
// twice is legal in both kernels and counted, not refused: RFCv2 iommu_process_bind_device finds
// the context of that domain and takes another ref (iommu_process_attach_locked →
// refcount_inc(&context->ref), process_attach(first=false)); mainline iommu_sva_bind_device
// finds the attach handle and takes another user (refcount_inc(&handle->users)). Each unbind
// drops one, so the driver unbinds once per bind and the last unbind tears the bond down.
import type { Bond, Device } from './state.ts';

/** How many binds the bond stands for. */
export const bindCount = (b: Bond): number => b.count ?? 1;

/** Records a bind: a new bond, or one more bind of a held one. */
export function holdBond(dev: Device, proc: string, pasid: number, tables: Bond['tables']): Bond {
  const held = dev.bonds.get(proc);
  if (held) {
    held.count = bindCount(held) + 1;
    return held;
  }
  const b: Bond = { pasid, tables };
  dev.bonds.set(proc, b);
  return b;
}

/** Records an unbind; returns the binds still held (0: the bond is gone). */
export function releaseBond(dev: Device, proc: string): number {
  const b = dev.bonds.get(proc);
  if (!b) return 0;
  const left = bindCount(b) - 1;
  if (left === 0) dev.bonds.delete(proc);
  else if (left === 1) delete b.count;
  else b.count = left;
  return left;
}
