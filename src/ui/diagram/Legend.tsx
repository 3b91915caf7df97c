// The key to the diagram's colours (who owns a tree, what the op changed) and a one-line summary
// of the op at the cursor, with what it removed (removed things are no longer drawn).
import { memo } from 'react';
import { plural, type Changes } from '../../diagram/index.ts';

const OWNERS = [
  ['io-global', 'global', "Global io-pgtable: a domain's CD 0, used by every attached stream"],
  ['io-private', 'private', 'Private io-pgtable: one device, one PASID'],
  ['shared', 'SVA', "Shared with the CPU (SVA): the process's own page tables"],
  ['cpu', 'CPU', 'CPU-only page tables (an mm no device walks)'],
] as const;

const VM_OWNERS = [
  ['guest', 'guest', "A guest's own CD table and page tables, at its IPAs (nested stage 1)"],
  ['stage2', 'stage 2', "A VM's stage-2 tables: where each guest IPA is in host memory"],
] as const;

/** `vms`: the world has a VM, so its two tones are keyed too. */
export const Legend = memo(function Legend({ vms = false }: { readonly vms?: boolean }) {
  return (
    <ul className="dg-legend" aria-label="Legend">
      {[...OWNERS, ...(vms ? VM_OWNERS : [])].map(([k, label, title]) => (
        <li key={k} title={title}>
          <span className={`dg-swatch dg-tone-${k}`} aria-hidden="true" />
          {label}
        </li>
      ))}
      {(['new', 'changed', 'removed'] as const).map((k) => (
        <li key={k}>
          <span className={`dg-swatch-box is-${k}`} aria-hidden="true" />
          {k}
        </li>
      ))}
    </ul>
  );
});

export const ChangeSummary = memo(function ChangeSummary({
  op,
  name,
  changes,
}: {
  readonly op: number;
  readonly name: string | undefined;
  readonly changes: Changes;
}) {
  if (op < 0 || !name) return null;
  let fresh = 0;
  let changed = 0;
  for (const k of changes.byId.values()) {
    if (k === 'new') fresh++;
    else if (k === 'changed') changed++;
  }
  const shown = changes.removed.slice(0, 5);
  return (
    <div className="dg-summary" data-testid="diagram-changes" aria-live="polite">
      <strong>
        op #{op}: {name}
      </strong>{' '}
      — {plural(changes.words, 'memory word')} changed
      {fresh > 0 && <span className="dg-count is-new">{fresh} new</span>}
      {changed > 0 && <span className="dg-count is-changed">{changed} changed</span>}
      {changes.removed.length > 0 && (
        <span className="dg-count is-removed">
          removed: {shown.map((r) => r.label).join(', ')}
          {changes.removed.length > shown.length
            ? ` +${changes.removed.length - shown.length}`
            : ''}
        </span>
      )}
    </div>
  );
});
