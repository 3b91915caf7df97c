// The Caches tab: TLB, configuration cache and ATC contents at the cursor, each entry marked
// new / changed / removed against the world before the op. Entries open their source structure
// (leaf descriptor, STE, CD, L1 descriptor) in the inspector. An entry whose source words changed
// without the invalidation that would drop it is marked stale, with the op that made it so.
import type { KeyboardEvent } from 'react';
import { hex, type AtcEntry, type CachedConfig, type TlbEntry } from '../../engine/index.ts';
import { deviceBySid } from '../../kernel/index.ts';
import { staleAt, type Selection } from '../../state/index.ts';
import { usePrevWorld, useSelect } from '../inspector/useWorlds.ts';
import { useApp, useWorld } from '../storeContext.ts';
import {
  atcKey,
  atcSame,
  cfgKey,
  cfgSame,
  diffEntries,
  hexSid,
  sizeLabel,
  tlbKey,
  tlbSame,
  type Diffed,
  type DiffStatus,
  type StaleEntry,
  type StaleMarks,
} from '../../diagram/index.ts';
import { s1PermsLabel, s2PermsLabel } from './format.ts';

const MARK: Readonly<Record<DiffStatus, string>> = {
  new: 'new',
  changed: 'changed',
  removed: 'removed',
  same: '',
};

function Mark({ s }: { s: DiffStatus }) {
  return s === 'same' ? null : <span className={`mark ${s}`}>{MARK[s]}</span>;
}

/** "stale since op #k": the op whose write took a source word away (diagram/stale.ts). */
function StaleMark({ s }: { s: StaleEntry | undefined }) {
  if (!s) return null;
  const since = s.since === undefined ? '' : ` since op #${s.since}`;
  const words = s.words
    .map((w) => `${hex(w.pa)}: ${hex(w.was)} → ${w.now === undefined ? 'not RAM' : hex(w.now)}`)
    .join('; ');
  return (
    <span
      className="mark stale"
      data-testid="stale-mark"
      title={`Stale${since}: memory no longer holds what this entry was built from (${words}), and no invalidation dropped it`}
    >
      stale{since}
    </span>
  );
}
const staleClass = (s: StaleEntry | undefined): string => (s ? ' stale' : '');

/** A table row that opens something: clickable, and Enter/Space when focused. */
function activate(fn: () => void) {
  return {
    tabIndex: 0,
    onClick: fn,
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        fn();
      }
    },
  };
}

/** Row test ids count live entries and removed ones separately. */
function ids<T>(rows: readonly Diffed<T>[], prefix: string): string[] {
  let live = 0;
  let gone = 0;
  return rows.map((r) =>
    r.status === 'removed' ? `${prefix}-removed-${gone++}` : `${prefix}-entry-${live++}`,
  );
}

export function CachesTab() {
  const world = useWorld();
  const prev = usePrevWorld();
  const select = useSelect();
  const stale = staleAt(
    useApp((s) => s.timeline),
    useApp((s) => s.cursor.op),
  );
  const tlb = diffEntries(world.smmu.tlb.entries(), prev?.smmu.tlb.entries(), tlbKey, tlbSame);
  const cfg = diffEntries(world.smmu.cfg.entries(), prev?.smmu.cfg.entries(), cfgKey, cfgSame);
  const atc = diffEntries(world.smmu.atc.entries(), prev?.smmu.atc.entries(), atcKey, atcSame);
  const devName = (sid: number) =>
    (world.kernel && deviceBySid(world.kernel, sid)?.name) ?? `SID ${hexSid(sid)}`;
  return (
    <div className="caches">
      <TlbTable rows={tlb} cap={world.smmu.tlb.capacity} onSelect={select} stale={stale} />
      <CfgTable rows={cfg} cap={world.smmu.cfg.capacity} onSelect={select} stale={stale} />
      <AtcTable rows={atc} cap={world.smmu.atc.capacity} devName={devName} stale={stale} />
    </div>
  );
}

function TlbTable({
  rows,
  cap,
  onSelect,
  stale,
}: {
  rows: Diffed<TlbEntry>[];
  cap: number;
  onSelect: (s: Selection) => void;
  stale: StaleMarks;
}) {
  const live = rows.filter((r) => r.status !== 'removed').length;
  const testIds = ids(rows, 'tlb');
  return (
    <section className="cache tlb" aria-label="TLB" data-testid="cache-tlb">
      <h4>
        TLB{' '}
        <span className="muted">
          {live}/{cap} entries, least recently used first
        </span>
      </h4>
      {rows.length === 0 ? (
        <p className="muted">Empty.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">VMID</th>
              <th scope="col">ASID</th>
              <th scope="col" title="ASET: 0 = shared with the CPUs, 1 = SMMU-private">
                ASET
              </th>
              <th scope="col">IA → OA</th>
              <th scope="col">Size</th>
              <th scope="col">Perms</th>
              <th scope="col" title="StreamID / SubstreamID of the walk that filled it">
                Filled by
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ entry: e, status }, i) => (
              <tr
                key={`${tlbKey(e)}|${status}`}
                className={`row ${status}${staleClass(status !== 'removed' ? stale.get('tlb', e) : undefined)}`}
                data-testid={testIds[i]}
                {...activate(() =>
                  onSelect({
                    kind: 'memory',
                    struct: e.stage === 's2' ? 's2-leaf' : 's1-leaf',
                    pa: e.leafPa,
                    title: `Leaf descriptor of TLB entry ${hex(e.ia)}`,
                    stage: e.stage === 's2' ? 2 : 1,
                  }),
                )}
                title="Inspect the leaf descriptor this entry was filled from"
              >
                <td title={e.world}>
                  {e.stage.toUpperCase()}
                  {e.world !== 'NS-EL1' && <span className="muted"> {e.world}</span>}
                  <Mark s={status} />
                  {status !== 'removed' && <StaleMark s={stale.get('tlb', e)} />}
                </td>
                <td>{e.vmid}</td>
                <td>{e.asid < 0 ? 'global' : e.asid}</td>
                <td title={e.aset ? 'SMMU-private' : 'shared with the CPUs'}>{e.aset ? 1 : 0}</td>
                <td className="mono">
                  {hex(e.ia)} → {hex(e.oa)}
                </td>
                <td>{sizeLabel(e.sizeShift)}</td>
                <td className="mono">
                  {e.s1 ? s1PermsLabel(e.s1) : e.s2 ? s2PermsLabel(e.s2) : '—'}
                </td>
                <td className="mono">
                  {hexSid(e.sid)}
                  {e.ssid !== undefined ? `/${e.ssid}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const CFG_LABEL = { ste: 'STE', cd: 'CD', l1std: 'L1STD', l1cd: 'L1CD' } as const;

function cfgWhat(e: CachedConfig): string {
  switch (e.kind) {
    case 'ste':
      return `SID ${hexSid(e.sid)}`;
    case 'cd':
      return `SID ${hexSid(e.sid)} SSID ${e.ssid}`;
    case 'l1cd':
      return `SID ${hexSid(e.sid)} L1 index ${e.index}`;
    case 'l1std':
      return `L1 index ${e.index}`;
  }
}

function CfgTable({
  rows,
  cap,
  onSelect,
  stale,
}: {
  rows: Diffed<CachedConfig>[];
  cap: number;
  onSelect: (s: Selection) => void;
  stale: StaleMarks;
}) {
  const live = rows.filter((r) => r.status !== 'removed').length;
  const testIds = ids(rows, 'cfg');
  return (
    <section className="cache cfg" aria-label="Configuration cache" data-testid="cache-cfg">
      <h4>
        Configuration cache{' '}
        <span className="muted">
          {live}/{cap}
        </span>
      </h4>
      {rows.length === 0 ? (
        <p className="muted">Empty.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Stream</th>
              <th scope="col">PA</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ entry: e, status }, i) => (
              <tr
                key={`${cfgKey(e)}|${status}`}
                className={`row ${status}${staleClass(status !== 'removed' ? stale.get('cfg', e) : undefined)}`}
                data-testid={testIds[i]}
                {...activate(() =>
                  onSelect({
                    kind: 'memory',
                    struct: e.kind,
                    pa: e.pa,
                    title: `${CFG_LABEL[e.kind]} ${cfgWhat(e)}`,
                  }),
                )}
                title="Inspect the structure in memory"
              >
                <td>
                  {CFG_LABEL[e.kind]} <Mark s={status} />
                  {status !== 'removed' && <StaleMark s={stale.get('cfg', e)} />}
                </td>
                <td className="mono">{cfgWhat(e)}</td>
                <td className="mono">{hex(e.pa)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AtcTable({
  rows,
  cap,
  devName,
  stale,
}: {
  rows: Diffed<AtcEntry>[];
  cap: number;
  devName: (sid: number) => string;
  stale: StaleMarks;
}) {
  const live = rows.filter((r) => r.status !== 'removed').length;
  const testIds = ids(rows, 'atc');
  const order = rows
    .map((r, i) => [r, testIds[i]!] as const)
    .sort((a, b) => a[0].entry.sid - b[0].entry.sid);
  return (
    <section className="cache atc" aria-label="ATC" data-testid="cache-atc">
      <h4>
        ATC (device TLBs){' '}
        <span className="muted">
          {live}/{cap}
        </span>
      </h4>
      {rows.length === 0 ? (
        <p className="muted">Empty.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">PASID</th>
              <th scope="col">IA → PA</th>
              <th scope="col">Size</th>
              <th scope="col">Perm</th>
            </tr>
          </thead>
          <tbody>
            {order.map(([{ entry: e, status }, id]) => (
              <tr
                key={`${atcKey(e)}|${status}`}
                className={`row ${status}${staleClass(status !== 'removed' ? stale.get('atc', e) : undefined)}`}
                data-testid={id}
              >
                <td>
                  {devName(e.sid)} <Mark s={status} />
                  {status !== 'removed' && <StaleMark s={stale.get('atc', e)} />}
                </td>
                <td>{e.ssid ?? '—'}</td>
                <td className="mono">
                  {hex(e.ia)} → {hex(e.pa)}
                </td>
                <td>{sizeLabel(e.sizeShift)}</td>
                <td className="mono">
                  {e.read ? 'R' : '-'}
                  {e.write ? 'W' : '-'}
                  {e.exec ? 'X' : '-'}
                  {e.priv ? ' P' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
