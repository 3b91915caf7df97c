// Lookups every era's bind and unbind share: the process to bind, the device's domain, what an
// exited mm still holds, and whether the driver can enable SVA. (Whose a PASID or a bond is:
// query.ts.)
import { CPU_PA_BITS } from './arm64.ts';
import { log, type KCtx } from './ctx.ts';
import { eraOf } from './eras/index.ts';
import { fail } from './errors.ts';
import type { Device, Domain, IommuProcess, Process } from './state.ts';

/**
 * The task to bind. RFCv2 iommu_process_bind_device fails with -EINVAL for a task without a pid
 * or an mm (linux-sva §3.7 RFCv2 rows; iommu-process.c, linux-facts §4) — not -ESRCH.
 */
export function bindTask(c: KCtx, name: string): Process {
  return (
    c.k.processes.get(name) ??
    fail('-EINVAL', `no task named ${name}: the bind needs a task with a pid and an mm`)
  );
}

/** Binding a process anew while the driver still holds the PASID of its exited namesake. */
export function staleBond(c: KCtx, dev: string, proc: string, pasid: number): never {
  fail('-EEXIST', eraOf(c.k.era).ops.staleBond(dev, proc, pasid));
}

/**
 * Upstream eras: an exited mm that still holds its PASID (bonds or an SVA domain keep it). The
 * model names processes, so a new process of that name binds after the old mm is gone.
 */
export function refuseGhost(c: KCtx, procName: string): void {
  const ghost = [...c.k.iommuProcesses.values()].find((p) => p.proc === procName && p.exited);
  if (ghost)
    fail(
      '-EEXIST',
      `the ${procName} that exited still has PASID ${ghost.pasid} (its mm lives until every driver unbinds it); the model names processes, so a new ${procName} binds after that`,
    );
}

/** The device's domain, which must be a DMA domain able to hold PASIDs. */
export function bindableDomain(c: KCtx, dev: Device): Domain {
  if (!dev.domain) fail('-EINVAL', `${dev.name} is not attached to a domain`);
  const d = c.k.domains.get(dev.domain)!;
  if (d.type !== 'dma')
    fail('-EINVAL', `${dev.name} is in ${d.type} domain ${d.name}, which has no CD table`);
  return d;
}

/** dev->iommu->max_pasids: 2^ssid_bits, 0 for a device without PASIDs. */
export const maxPasids = (dev: Device): number => (dev.ssidBits > 0 ? 2 ** dev.ssidBits : 0);

/** The devices of `names` with ATS on, in that order, each once. */
export function atsDevices(c: KCtx, names: readonly string[]): Device[] {
  const out: Device[] = [];
  for (const n of names) {
    const dev = c.k.devices.get(n);
    if (dev?.ats && !out.includes(dev)) out.push(dev);
  }
  return out;
}

/** __mmdrop → mm_pasid_drop: the mm is gone, and its PASID with it. */
export function dropMm(c: KCtx, ip: IommuProcess): void {
  c.k.idr.used.delete(ip.pasid);
  c.k.iommuProcesses.delete(ip.pasid);
  log(
    c,
    `mm_pasid_drop: ${ip.proc}'s mm is freed: PASID ${ip.pasid} back to the allocator (iommu_free_global_pasid / ioasid_put)`,
  );
}

/**
 * Why the SMMU would not get ARM_SMMU_FEAT_SVA at probe (arm-smmu-v3-sva.c
 * arm_smmu_sva_supported, v5.11+): its output size must cover the CPU's physical addresses and its
 * ASIDs must be as wide as the CPU's. (Coherency, LPA2 and the page sizes are not modelled.)
 */
export function svaUnsupported(c: KCtx): string | undefined {
  const p = c.smmu.platform;
  if (p.oas < CPU_PA_BITS)
    return `its ${p.oas}-bit OAS is below the CPU's ${CPU_PA_BITS}-bit PARange`;
  if (p.asidBits < c.k.cpu.asidBits)
    return `its ${p.asidBits}-bit ASIDs are narrower than the CPU's ${c.k.cpu.asidBits}-bit ones`;
  return undefined;
}

/**
 * The driver's iommu_dev_enable_feature(dev, IOMMU_DEV_FEAT_SVA) before it binds (v5.11 … v6.14;
 * the model's bind includes it): arm_smmu_master_sva_supported needs the SMMU's
 * ARM_SMMU_FEAT_SVA and SubstreamIDs on the master; without either the enable fails with the
 * era's errno (-ENODEV through arm_smmu_dev_has_feature until v6.5, -EINVAL after).
 */
export function enableSvaFeature(c: KCtx, dev: Device): void {
  const errno = eraOf(c.k.era).ops.noPasidErrno;
  const why = svaUnsupported(c);
  if (why)
    fail(
      errno,
      `${dev.name}'s driver cannot enable IOMMU_DEV_FEAT_SVA: the SMMU has no ARM_SMMU_FEAT_SVA (${why}; arm_smmu_master_sva_supported)`,
    );
  if (dev.ssidBits === 0)
    fail(
      errno,
      `${dev.name} has no SubstreamIDs: its driver cannot enable IOMMU_DEV_FEAT_SVA (arm_smmu_master_sva_supported needs ssid_bits)`,
    );
}
