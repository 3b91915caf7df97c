// The PASIDs tab: the kernel's process-management state at the cursor — the PASID allocator,
// the PASID records (RFCv2: the iommu_process list; upstream: each mm's PASID, with its shared
// CD's pinned CPU ASID or its SVA domain), each domain's contexts (its shared or SVA CDs), each
// device's bonds with their bind counts (stale ones included; upstream, the bonds of a process
// that exited, whose PASID the mm holds until the driver unbinds), and the CPU and SMMU ASIDs.
// Labels come from the kernel era the scenario runs under (src/kernel/eras).
import { assertNever } from '../../engine/index.ts';
import {
  asidOwner,
  bindCount,
  bondState,
  eraOf,
  heldByExitedMm,
  type AsidOwner,
  type EraLabels,
  type KernelState,
} from '../../kernel/index.ts';
import { useWorld } from '../storeContext.ts';
import { hexSid } from '../../diagram/index.ts';

/** What the panels need beyond the kernel state: the era's labels and the SMMU's stall setting. */
interface View {
  readonly k: KernelState;
  readonly labels: EraLabels;
  /** SMMU_IDR0.STALL_MODEL says stalls are forced: an exited mm's CD keeps S=R=1. */
  readonly forcedStall: boolean;
}

export function PasidsTab() {
  const w = useWorld();
  const k = w.kernel;
  if (!k)
    return (
      <p className="muted pad" data-testid="pasids-none">
        This scenario drives the bare SMMU: there is no kernel, so no PASIDs or processes.
      </p>
    );
  const v: View = {
    k,
    labels: eraOf(k.era).labels,
    forcedStall: w.smmu.platform.stall === 'forced',
  };
  return (
    <div className="pasids">
      <Allocator v={v} />
      {v.labels.record === 'mm' ? <MmPasids v={v} /> : <Processes k={k} />}
      <Domains v={v} />
      <Bonds v={v} />
      <Asids k={k} />
    </div>
  );
}

function Allocator({ v: { k, labels } }: { v: View }) {
  const used = [...k.idr.used.entries()].sort((a, b) => a[0] - b[0]);
  const how = labels.allocator;
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
                {heldByExitedMm(k, pasid) && (
                  <span className="tag">exited: held by its mm until unbind</span>
                )}
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

/**
 * Upstream: the PASID of each mm that has one and what carries it — the shared CD with the
 * pinned CPU ASID (v5.14–v6.7) or the SVA domain with its own ASID (v6.11+).
 */
function MmPasids({ v: { k, forcedStall, labels } }: { v: View }) {
  const list = [...k.iommuProcesses.values()].sort((a, b) => a.pasid - b.pasid);
  return (
    <section
      tabIndex={0}
      className="card"
      aria-label="mm PASIDs and SVA domains"
      data-testid="mm-pasids"
    >
      <h4>mm PASIDs (mm→iommu_mm) · SVA domains</h4>
      {list.length === 0 && <p className="muted">No mm has a PASID.</p>}
      <ul>
        {list.map((p) => (
          <li key={p.pasid} data-testid={`mm-pasid-${p.pasid}`}>
            <span className="pill">PASID {p.pasid}</span> <strong>{p.proc}</strong>{' '}
            <span className="muted">pid {p.pid}</span>
            {p.exited && <span className="tag">exited</span>} ·{' '}
            {p.sva ? (
              <>
                SVA domain ASID {p.sva.asid},{' '}
                {`${p.sva.users} device${p.sva.users === 1 ? '' : 's'} attached`}
                {p.domains.length > 0 && <> · CD in {p.domains.join(', ')}</>}
              </>
            ) : p.cpuAsid !== undefined ? (
              <>
                shared CD with CPU ASID {p.cpuAsid} (pinned)
                {p.domains.length > 0 && <> · CD in {p.domains.join(', ')}</>}
              </>
            ) : (
              <span className="muted">nothing bound: the mm keeps the PASID until it is freed</span>
            )}
            {p.exited && (
              <div className="muted" data-testid={`mm-pasid-${p.pasid}-exited`}>
                The mm lives on (its bonds hold it) until the last unbind;{' '}
                {labels.exitedCd(p.pasid, forcedStall)}.
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Domains({ v: { k, labels } }: { v: View }) {
  const upstream = labels.record === 'mm';
  const what = labels.domains;
  return (
    <section tabIndex={0} className="card wide" aria-label={what} data-testid="domains">
      <h4>{what}</h4>
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
                    <span className="pill">PASID {c.pasid}</span> <strong>{proc}</strong>
                    {upstream ? (
                      <>
                        {heldByExitedMm(k, c.pasid) && <span className="tag">exited, EPD0=1</span>}
                      </>
                    ) : (
                      <>
                        {' '}
                        · ref <span className="mono">{c.ref}</span>
                      </>
                    )}
                    {c.asid !== undefined && <> · ASID {c.asid}</>} ·{' '}
                    {upstream ? 'attached' : 'bound'}: {c.devices.join(', ') || 'none'}
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

function Bonds({ v: { k, labels, forcedStall } }: { v: View }) {
  const devices = [...k.devices.values()];
  return (
    <section tabIndex={0} className="card grow" aria-label="Device bonds" data-testid="bonds">
      <h4>Devices and bonds</h4>
      <ul>
        {devices.map((d) => (
          <li key={d.name} data-testid={`device-${d.name}`}>
            <strong>{d.name}</strong> <span className="muted">SID {hexSid(d.sid)}</span>
            {d.cdtable && (
              <span className="muted">
                {' '}
                · own CD table {d.cdtable.fmt}, S1CDMax {d.cdtable.s1cdmax}
              </span>
            )}
            {d.bonds.size === 0 ? (
              <span className="muted"> · no bonds</span>
            ) : (
              <ul className="sub">
                {[...d.bonds.entries()].map(([proc, b]) => {
                  const state = bondState(k, d.name, proc, b);
                  const n = bindCount(b);
                  return (
                    <li
                      key={proc}
                      data-testid={`bond-${d.name}-${proc}`}
                      className={state === 'live' ? undefined : state}
                    >
                      <span className="pill">PASID {b.pasid}</span> {proc}{' '}
                      <span className={`tag ${b.tables}`}>{b.tables}</span>
                      {n > 1 && (
                        <span
                          className="tag"
                          data-testid={`bond-${d.name}-${proc}-count`}
                          title={`${d.name}'s driver bound ${proc} ${n} times (${labels.bindCount(n)}): it unbinds once per bind, the last unbind tears the bond down`}
                        >
                          {n} binds
                        </span>
                      )}
                      {state === 'stale' && (
                        <span className="tag stale">stale: PASID no longer this bond’s</span>
                      )}
                      {state === 'exited' && (
                        <>
                          <span className="tag">exited: PASID held until unbind</span>
                          <div className="muted" data-testid={`bond-${d.name}-${proc}-exited`}>
                            {labels.exitedCd(b.pasid, forcedStall)}; the last unbind frees the mm
                            and PASID {b.pasid}
                          </div>
                        </>
                      )}
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

/** Who holds an SMMU ASID, in the panel's words. */
function asidLabel(o: AsidOwner): string {
  switch (o.kind) {
    case 'sva-domain':
      return `SVA domain of ${o.proc}'s mm${o.exited ? ' (exited)' : ''}`;
    case 'io-pgtable':
      return `domain ${o.domain} io-pgtable`;
    case 'context':
      return `SVA ${o.domain} ↔ ${o.proc}`;
    case 'private':
      return `${o.dev} ↔ ${o.proc} private`;
    case 'cpu':
      return `CPU ASID of ${o.proc} (shared)`;
    case 'none':
      return 'reserved';
    default:
      return assertNever(o, 'ASID owner');
  }
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
            <span className="pill">ASID {a}</span> {asidLabel(asidOwner(k, a))}
          </li>
        ))}
      </ul>
    </section>
  );
}
