// The Caches tab: TLB, configuration cache and ATC contents at the cursor, each entry marked
// new / changed / removed against the world before the op. Entries open their source structure
// (leaf descriptor, STE, CD, L1 descriptor) in the inspector. An entry whose source words changed
// without the invalidation that would drop it is marked stale, with the op that made it so.
import type { KeyboardEvent, ReactNode } from 'react';
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
  type CacheEntryOf,
  type CacheKind,
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
      <CacheSection
        cache="tlb"
        label="TLB"
        sub={(live) => `${live}/${world.smmu.tlb.capacity} entries, least recently used first`}
        rows={tlb}
        rowKey={tlbKey}
        stale={stale}
        columns={tlbColumns}
        open={(e) => ({
          kind: 'memory',
          struct: e.stage === 's2' ? 's2-leaf' : 's1-leaf',
          pa: e.leafPa,
          title: `Leaf descriptor of TLB entry ${hex(e.ia)}`,
          stage: e.stage === 's2' ? 2 : 1,
        })}
        openTitle="Inspect the leaf descriptor this entry was filled from"
        onSelect={select}
      />
      <CacheSection
        cache="cfg"
        label="Configuration cache"
        sub={(live) => `${live}/${world.smmu.cfg.capacity}`}
        rows={cfg}
        rowKey={cfgKey}
        stale={stale}
        columns={cfgColumns}
        open={(e) => ({
          kind: 'memory',
          struct: e.kind,
          pa: e.pa,
          title: `${CFG_LABEL[e.kind]} ${cfgWhat(e)}`,
        })}
        openTitle="Inspect the structure in memory"
        onSelect={select}
      />
      <CacheSection
        cache="atc"
        label="ATC (device TLBs)"
        sub={(live) => `${live}/${world.smmu.atc.capacity}`}
        rows={atc}
        rowKey={atcKey}
        stale={stale}
        columns={atcColumns(devName)}
        order={(a, b) => a.sid - b.sid}
      />
    </div>
  );
}

/** One column of a cache table; the first column's cell also carries the row's marks. */
interface Column<T> {
  readonly head: string;
  readonly headTitle?: string;
  readonly mono?: boolean;
  readonly title?: (e: T) => string;
  readonly cell: (e: T) => ReactNode;
}

const ARIA: Readonly<Record<CacheKind, string>> = {
  tlb: 'TLB',
  cfg: 'Configuration cache',
  atc: 'ATC',
};

/** One cache as a table: a heading with its occupancy, then one row per entry, marked new /
 *  changed / removed / stale; rows open their source structure when `open` is given. */
function CacheSection<K extends CacheKind, T extends CacheEntryOf[K] = CacheEntryOf[K]>({
  cache,
  label,
  sub,
  rows,
  rowKey,
  stale,
  columns,
  open,
  openTitle,
  onSelect,
  order,
}: {
  cache: K;
  label: string;
  sub: (live: number) => string;
  rows: Diffed<T>[];
  rowKey: (e: T) => string;
  stale: StaleMarks;
  columns: readonly Column<T>[];
  open?: (e: T) => Selection;
  openTitle?: string;
  onSelect?: (s: Selection) => void;
  /** Display order; test ids keep counting in the cache's own order. */
  order?: (a: T, b: T) => number;
}) {
  const live = rows.filter((r) => r.status !== 'removed').length;
  const testIds = ids(rows, cache);
  const shown = rows.map((r, i) => [r, testIds[i]!] as const);
  if (order) shown.sort((a, b) => order(a[0].entry, b[0].entry));
  return (
    <section className={`cache ${cache}`} aria-label={ARIA[cache]} data-testid={`cache-${cache}`}>
      <h4>
        {label} <span className="muted">{sub(live)}</span>
      </h4>
      {rows.length === 0 ? (
        <p className="muted">Empty.</p>
      ) : (
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.head} scope="col" title={c.headTitle}>
                  {c.head}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map(([{ entry: e, status }, id]) => {
              const st = status !== 'removed' ? stale.get(cache, e) : undefined;
              const opener = open && onSelect ? activate(() => onSelect(open(e))) : {};
              return (
                <tr
                  key={`${rowKey(e)}|${status}`}
                  className={`row ${status}${st ? ' stale' : ''}`}
                  data-testid={id}
                  title={open ? openTitle : undefined}
                  {...opener}
                >
                  {columns.map((c, i) => (
                    <td key={c.head} className={c.mono ? 'mono' : undefined} title={c.title?.(e)}>
                      {c.cell(e)}
                      {i === 0 && (
                        <>
                          {' '}
                          <Mark s={status} />
                          <StaleMark s={st} />
                        </>
                      )}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

const tlbColumns: readonly Column<TlbEntry>[] = [
  {
    head: 'Stage',
    title: (e) => e.world,
    cell: (e) => (
      <>
        {e.stage.toUpperCase()}
        {e.world !== 'NS-EL1' && <span className="muted"> {e.world}</span>}
      </>
    ),
  },
  { head: 'VMID', cell: (e) => e.vmid },
  { head: 'ASID', cell: (e) => (e.asid < 0 ? 'global' : e.asid) },
  {
    head: 'ASET',
    headTitle: 'ASET: 0 = shared with the CPUs, 1 = SMMU-private',
    title: (e) => (e.aset ? 'SMMU-private' : 'shared with the CPUs'),
    cell: (e) => (e.aset ? 1 : 0),
  },
  { head: 'IA → OA', mono: true, cell: (e) => `${hex(e.ia)} → ${hex(e.oa)}` },
  { head: 'Size', cell: (e) => sizeLabel(e.sizeShift) },
  {
    head: 'Perms',
    mono: true,
    cell: (e) => (e.s1 ? s1PermsLabel(e.s1) : e.s2 ? s2PermsLabel(e.s2) : '—'),
  },
  {
    head: 'Filled by',
    headTitle: 'StreamID / SubstreamID of the walk that filled it',
    mono: true,
    cell: (e) => `${hexSid(e.sid)}${e.ssid !== undefined ? `/${e.ssid}` : ''}`,
  },
];

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

const cfgColumns: readonly Column<CachedConfig>[] = [
  { head: 'Kind', cell: (e) => CFG_LABEL[e.kind] },
  { head: 'Stream', mono: true, cell: cfgWhat },
  { head: 'PA', mono: true, cell: (e) => hex(e.pa) },
];

const atcColumns = (devName: (sid: number) => string): readonly Column<AtcEntry>[] => [
  { head: 'Device', cell: (e) => devName(e.sid) },
  { head: 'PASID', cell: (e) => e.ssid ?? '—' },
  { head: 'IA → PA', mono: true, cell: (e) => `${hex(e.ia)} → ${hex(e.pa)}` },
  { head: 'Size', cell: (e) => sizeLabel(e.sizeShift) },
  {
    head: 'Perm',
    mono: true,
    cell: (e) =>
      `${e.read ? 'R' : '-'}${e.write ? 'W' : '-'}${e.exec ? 'X' : '-'}${e.priv ? ' P' : ''}`,
  },
];
