// Where the CD tables are, for the readers outside the kernel (the diagram, the invariants, the
// PASIDs tab): a domain's table shared by its masters (RFCv2 … v6.6) or each master's own (v6.7+),
// and which table a device's STE points at.
import { eraOf } from './eras/index.ts';
import type { CdTable, Device, KernelState } from './state.ts';

export interface CdTableInfo {
  /** Stable id: `cdt:<domain>` for a domain's table, `cdt:dev:<device>` for a master's. */
  readonly id: string;
  readonly table: CdTable;
  readonly owner: { readonly kind: 'domain' | 'master'; readonly name: string };
  /** The devices whose STE points at the table now. */
  readonly devices: readonly string[];
  /** Their RID domain (for a master's table: the master's domain). */
  readonly domain: string | undefined;
}

/** The CD table `dev`'s STE points at, or undefined when its STE uses none. */
export function steTableOf(k: KernelState, dev: Device): CdTable | undefined {
  const d = dev.domain ? k.domains.get(dev.domain) : undefined;
  if (!d) return undefined;
  if (eraOf(k.era).config.cdTables === 'domain') return d.type === 'dma' ? d.cdtable : undefined;
  // v6.11+: an IDENTITY/BLOCKED RID with SubstreamIDs in use keeps a CD-table STE (S1DSS).
  return d.type === 'dma' || dev.bonds.size > 0 ? dev.cdtable : undefined;
}

/** ATS is on for the device: its STE translates through a CD table with EATS set. */
export const atsEnabled = (k: KernelState, dev: Device): boolean =>
  dev.ats && steTableOf(k, dev) !== undefined;

/** Every CD table the kernel has allocated, domains' first (in domain order), then masters'. */
export function cdTablesOf(k: KernelState): CdTableInfo[] {
  const out: CdTableInfo[] = [];
  const users = (t: CdTable): string[] =>
    [...k.devices.values()].filter((dev) => steTableOf(k, dev) === t).map((dev) => dev.name);
  for (const d of k.domains.values())
    if (d.cdtable)
      out.push({
        id: `cdt:${d.name}`,
        table: d.cdtable,
        owner: { kind: 'domain', name: d.name },
        devices: users(d.cdtable),
        domain: d.name,
      });
  for (const dev of k.devices.values())
    if (dev.cdtable)
      out.push({
        id: `cdt:dev:${dev.name}`,
        table: dev.cdtable,
        owner: { kind: 'master', name: dev.name },
        devices: users(dev.cdtable),
        domain: dev.domain,
      });
  return out;
}
