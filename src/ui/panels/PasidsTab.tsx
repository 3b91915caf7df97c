// The PASIDs tab: the kernel's process-management state at the cursor — the PASID allocator,
// the iommu_process list, each domain's contexts with their ref counts, each device's bonds
// (stale ones included), and the CPU and SMMU ASIDs.
import type { KernelState } from '../../kernel/index.ts';
import { useWorld } from '../storeContext.ts';
import { hexSid } from './format.ts';

export function PasidsTab() {
  const k = useWorld().kernel;
  if (!k)
    return (
      <p className="muted pad" data-testid="pasids-none">
        This scenario drives the bare SMMU: there is no kernel, so no PASIDs or processes.
      </p>
    );
  return (
    <div className="pasids">
      <Allocator k={k} />
      <Processes k={k} />
      <Domains k={k} />
      <Bonds k={k} />
      <Asids k={k} />
    </div>
  );
}

function Allocator({ k }: { k: KernelState }) {
  const used = [...k.idr.used.entries()].sort((a, b) => a[0] - b[0]);
  const how = k.profile === 'rfc2017' ? 'cyclic (idr_alloc_cyclic)' : 'lowest free (IDA)';
  return (
    <section
      tabIndex={0}
      className="card grow"
      aria-label="PASID allocator"
      data-testid="pasid-allocator"
    >
      <h4>PASID allocator</h4>
      <p className="muted">
        {how}; next search from <span className="mono">{k.idr.cursor}</span>
      </p>
      {used.length === 0 && <p className="muted">No PASID in use.</p>}
      <ul>
        {used.map(([pasid, owner]) => (
          <li key={pasid} data-testid={`pasid-${pasid}`}>
            <span className="pill">PASID {pasid}</span>{' '}
            {owner.kind === 'process' ? (
              <>
                <span className="tag shared">shared</span> process <strong>{owner.proc}</strong>
              </>
            ) : (
              <>
                <span className="tag private">private</span> <strong>{owner.dev}</strong> ↔{' '}
                <strong>{owner.proc}</strong>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Processes({ k }: { k: KernelState }) {
  const list = [...k.iommuProcesses.values()].sort((a, b) => a.pasid - b.pasid);
  return (
    <section
      tabIndex={0}
      className="card"
      aria-label="iommu_process list"
      data-testid="iommu-processes"
    >
      <h4>iommu_process</h4>
      {list.length === 0 && <p className="muted">None bound.</p>}
      <ul>
        {list.map((p) => (
          <li key={p.pasid} data-testid={`iommu-process-${p.pasid}`}>
            <span className="pill">PASID {p.pasid}</span> <strong>{p.proc}</strong>{' '}
            <span className="muted">pid {p.pid}</span> → {p.domains.join(', ') || 'no domain'}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Domains({ k }: { k: KernelState }) {
  return (
    <section
      tabIndex={0}
      className="card wide"
      aria-label="Domains and contexts"
      data-testid="domains"
    >
      <h4>Domains and contexts</h4>
      <ul>
        {[...k.domains.values()].map((d) => (
          <li key={d.name} data-testid={`domain-${d.name}`}>
            <strong>{d.name}</strong> <span className="muted">{d.type}</span> · devices{' '}
            {d.devices.join(', ') || 'none'}
            {d.pgtable && <span className="muted"> · io-pgtable ASID {d.pgtable.asid}</span>}
            {d.cdtable && (
              <span className="muted">
                {' '}
                · CD table {d.cdtable.fmt}, S1CDMax {d.cdtable.s1cdmax}
              </span>
            )}
            {d.contexts.size > 0 && (
              <ul className="sub">
                {[...d.contexts.entries()].map(([proc, c]) => (
                  <li key={proc} data-testid={`context-${d.name}-${proc}`}>
                    <span className="pill">PASID {c.pasid}</span> <strong>{proc}</strong> · ref{' '}
                    <span className="mono">{c.ref}</span>
                    {c.asid !== undefined && <> · ASID {c.asid}</>} · bound:{' '}
                    {c.devices.join(', ') || 'none'}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A bond is stale when the PASID the driver holds no longer belongs to that bond's owner. */
function stale(k: KernelState, dev: string, proc: string, pasid: number, tables: string): boolean {
  const owner = k.idr.used.get(pasid);
  if (!owner) return true;
  if (tables === 'private')
    return !(owner.kind === 'private' && owner.dev === dev && owner.proc === proc);
  return !(owner.kind === 'process' && owner.proc === proc) || !k.processes.has(proc);
}

function Bonds({ k }: { k: KernelState }) {
  const devices = [...k.devices.values()];
  return (
    <section tabIndex={0} className="card grow" aria-label="Device bonds" data-testid="bonds">
      <h4>Devices and bonds</h4>
      <ul>
        {devices.map((d) => (
          <li key={d.name} data-testid={`device-${d.name}`}>
            <strong>{d.name}</strong> <span className="muted">SID {hexSid(d.sid)}</span>
            {d.bonds.size === 0 ? (
              <span className="muted"> · no bonds</span>
            ) : (
              <ul className="sub">
                {[...d.bonds.entries()].map(([proc, b]) => {
                  const old = stale(k, d.name, proc, b.pasid, b.tables);
                  return (
                    <li
                      key={proc}
                      data-testid={`bond-${d.name}-${proc}`}
                      className={old ? 'stale' : undefined}
                    >
                      <span className="pill">PASID {b.pasid}</span> {proc}{' '}
                      <span className={`tag ${b.tables}`}>{b.tables}</span>
                      {old && <span className="tag stale">stale: PASID no longer this bond’s</span>}
                    </li>
                  );
                })}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function asidOwner(k: KernelState, asid: number): string {
  for (const d of k.domains.values()) {
    if (d.pgtable?.asid === asid) return `domain ${d.name} io-pgtable`;
    for (const [proc, c] of d.contexts) if (c.asid === asid) return `SVA ${d.name} ↔ ${proc}`;
  }
  for (const p of k.privates.values())
    if (p.pgtable.asid === asid) return `${p.dev} ↔ ${p.proc} private`;
  for (const p of k.processes.values())
    if (p.mm.asid === asid) return `CPU ASID of ${p.name} (shared)`;
  return 'reserved';
}

function Asids({ k }: { k: KernelState }) {
  const procs = [...k.processes.values()];
  const smmu = [...k.driver.asids.used].sort((a, b) => a - b);
  return (
    <section tabIndex={0} className="card" aria-label="ASIDs" data-testid="asids">
      <h4>ASIDs</h4>
      <div className="muted">CPU (mm context)</div>
      <ul>
        {procs.map((p) => (
          <li key={p.name} data-testid={`cpu-asid-${p.name}`}>
            <span className="pill">ASID {p.mm.asid}</span> {p.name}{' '}
            <span className="muted">pid {p.pid}</span>
            {p.mm.asidPinned && <span className="tag pinned">pinned</span>}
          </li>
        ))}
      </ul>
      <div className="muted">SMMU (driver allocator)</div>
      <ul>
        {smmu.map((a) => (
          <li key={a} data-testid={`smmu-asid-${a}`}>
            <span className="pill">ASID {a}</span> {asidOwner(k, a)}
          </li>
        ))}
      </ul>
    </section>
  );
}
