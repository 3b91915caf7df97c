// The diagram's toolbar (Fit, zoom, chain or whole diagram, what the lens focuses on) and the
// overview: an outline of everything in the world, how much of each kind the chain shows, and a
// button to unfold the rest.
import {
  GROUPS,
  lensModel,
  type Chain,
  type DiagramModel,
  type LensFocus,
  type ViewState,
} from '../../diagram/index.ts';
import { Legend } from './Legend.tsx';
import type { Lens } from './useLens.ts';

interface BarProps {
  readonly lens: Lens;
  readonly onFit: () => void;
  readonly onZoom: (factor: number) => void;
  /** The scenario has VMs: the legend explains the guest's and stage 2's marks. */
  readonly vms?: boolean;
}

export function focusName(f: LensFocus, model: DiagramModel): string {
  switch (f.kind) {
    case 'op':
      return 'the op at the cursor';
    case 'device':
      return `device ${model.streams.find((s) => s.sid === f.sid)?.dev ?? f.sid}`;
    case 'cd': {
      const [, table, ssid] = f.id.split(':');
      return `CD ${ssid ?? ''} of ${table ?? ''}`;
    }
    case 'process':
      return `process ${f.name}`;
    case 'domain':
      return `domain ${f.name}`;
  }
}

export function LensBar({ lens, onFit, onZoom, vms = false }: BarProps) {
  const all = lens.mode === 'all';
  return (
    <div className="dg-toolbar" role="toolbar" aria-label="Diagram view">
      <button
        type="button"
        onClick={onFit}
        aria-label={all ? 'Fit diagram to view' : 'Fit the chain in focus'}
        title="Fit (0)"
      >
        Fit
      </button>
      <button type="button" onClick={() => onZoom(1.25)} aria-label="Zoom in" title="Zoom in (+)">
        +
      </button>
      <button type="button" onClick={() => onZoom(0.8)} aria-label="Zoom out" title="Zoom out (−)">
        −
      </button>
      <button
        type="button"
        aria-pressed={all}
        onClick={() => lens.setMode(all ? 'lens' : 'all')}
        title={
          all
            ? 'Show the chain in focus, the rest folded'
            : 'Show every structure (the whole diagram)'
        }
      >
        {all ? 'Whole diagram' : 'Chain'}
      </button>
      {!all && <span className="dg-detail">{lens.detail}</span>}
      <Legend vms={vms} />
    </div>
  );
}

interface OverviewProps {
  readonly model: DiagramModel;
  readonly chain: Chain;
  readonly lens: Lens;
  readonly view: ViewState;
  readonly onFold: (group: string) => void;
}

/** Where the rest is: per kind, how many there are and how many the chain shows. */
export function Overview({ model, chain, lens, view, onFold }: OverviewProps) {
  const everything = chain.ids.size === 0;
  const on = (ids: readonly string[]) =>
    everything ? ids.length : ids.filter((id) => chain.ids.has(id)).length;
  // A VM's guest tables and stage 2 count among the tables the lens draws (lensVm.ts).
  const lm = lensModel(model);
  const kinds: [string, string, string[]][] = [
    ['streams', GROUPS.streams, lm.streams.map((s) => s.id)],
    ['CD tables', GROUPS.cdts, lm.cdTables.map((t) => t.id)],
    ['page-table trees', GROUPS.trees, lm.trees.map((t) => t.id)],
    ['processes', GROUPS.procs, lm.processes.map((p) => p.id)],
    ['domains', GROUPS.domains, lm.domains.map((d) => d.id)],
  ];
  if (lm.vms.length) kinds.push(['VMs', GROUPS.vms, lm.vms.map((v) => v.id)]);
  return (
    <nav className="dg-overview" aria-label="Overview">
      <span className="dg-ov-focus">
        Focus: {focusName(lens.focus, model)}
        {lens.focus.kind !== 'op' && (
          <button type="button" onClick={() => lens.setFocus({ kind: 'op' })}>
            back to the op
          </button>
        )}
      </span>
      {kinds.map(([name, group, ids]) => {
        const shown = on(ids);
        const rest = ids.length - shown;
        return (
          <button
            key={group}
            type="button"
            className="dg-ov-kind"
            disabled={rest === 0}
            aria-pressed={view.open.has(group)}
            onClick={() => onFold(group)}
            title={rest ? `Show the ${rest} ${name} off the chain` : undefined}
          >
            {name} {shown}/{ids.length}
          </button>
        );
      })}
    </nav>
  );
}
