// The PASIDs tab: the kernel's process-management state at the cursor — the PASID allocator,
// the PASID records (rfc2017: the iommu_process list; mainline: each mm's PASID in
// mm->iommu_mm and its SVA domain), each domain's contexts (mainline: its SVA CDs), each
// device's bonds with their bind counts (stale ones included; under mainline, the bonds of a
// process that exited, whose PASID the mm holds until the driver unbinds), and the CPU and SMMU
// ASIDs. Labels follow the scenario's kernel profile (the store's doc.kernel).
import { assertNever } from '../../engine/index.ts';
import {
  asidOwner,
  bindCount,
  bondState,
  heldByExitedMm,
  type AsidOwner,
  type KernelState,
} from '../../kernel/index.ts';
import type { KernelProfile } from '../../scenario/index.ts';
import { useApp, useWorld } from '../storeContext.ts';
import { hexSid } from '../../diagram/index.ts';

/** What the panels need beyond the kernel state: the profile and the SMMU's stall setting. */
interface View {
  readonly k: KernelState;
  readonly profile: KernelProfile;
  /** SMMU_IDR0.STALL_MODEL says stalls are forced: an exited mm's CD keeps S=R=1. */
  readonly forcedStall: boolean;
}

export function PasidsTab() {
  const w = useWorld();
  const profile = useApp((s) => s.doc.kernel ?? 'rfc2017');
  const k = w.kernel;
  if (!k)
    return (
      <p className="muted pad" data-testid="pasids-none">
        This scenario drives the bare SMMU: there is no kernel, so no PASIDs or processes.
      </p>
    );
  const v: View = { k, profile, forcedStall: w.smmu.platform.stall === 'forced' };
  return (
    <div className="pasids">
      <Allocator v={v} />
      {profile === 'mainline' ? <MmPasids v={v} /> : <Processes k={k} />}
      <Domains v={v} />
      <Bonds v={v} />
      <Asids k={k} />
    </div>
  );
}

/** What the CD of an exited mm does (arm_smmu_mm_release: arm_smmu_make_sva_cd with no mm). */
const exitedCd = (pasid: number, forcedStall: boolean): string =>
  `CD ${pasid} stays valid with EPD0=1: every access faults${forcedStall ? ' (stalls are forced: S=R=1)' : ', aborted without an event (S=R=0)'}`;

function Allocator({ v: { k, profile } }: { v: View }) {
  const used = [...k.idr.used.entries()].sort((a, b) => a[0] - b[0]);
  const how =
    profile === 'rfc2017'
      ? 'cyclic (idr_alloc_cyclic)'
      : 'lowest free (global IDA, iommu_alloc_global_pasid)';
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
 * mainline: the PASID of each mm that has one (mm->iommu_mm->pasid, held from the first bind
 * until the mm is freed) and its SVA domain (one per mm on this SMMU, with its own ASID).
 */
function MmPasids({ v: { k, forcedStall } }: { v: View }) {
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
            ) : (
              <span className="muted">no SVA domain: the mm keeps the PASID until it is freed</span>
            )}
            {p.exited && (
              <div className="muted" data-testid={`mm-pasid-${p.pasid}-exited`}>
                The mm lives on (the SVA domain holds it) until the last unbind;{' '}
                {exitedCd(p.pasid, forcedStall)}.
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Domains({ v: { k, profile } }: { v: View }) {
  const mainline = profile === 'mainline';
  const what = mainline ? 'Domains and SVA CDs' : 'Domains and contexts';
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
                    {mainline ? (
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
                    {mainline ? 'attached' : 'bound'}: {c.devices.join(', ') || 'none'}
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

function Bonds({ v: { k, profile, forcedStall } }: { v: View }) {
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
                          title={`${d.name}'s driver bound ${proc} ${n} times (${profile === 'mainline' ? 'the SVA handle has' : 'the context holds'} ${n} ${profile === 'mainline' ? 'users' : 'refs'}): it unbinds once per bind, the last unbind tears the bond down`}
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
                            {exitedCd(b.pasid, forcedStall)}; the last unbind frees the mm and PASID{' '}
                            {b.pasid}
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
