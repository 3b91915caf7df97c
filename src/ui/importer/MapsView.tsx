// The maps importer's view: each mapping with what the model makes of it, a name for the
// process, and "Create process", which appends the process and its mmaps to the scenario (one
// Undo away) so the user can bind it and send DMA at its addresses.
import { useMemo, useState } from 'react';
import { granuleFromName, hex } from '../../engine/index.ts';
import { mapsToOps, programName, type MapsOk } from '../../logs/index.ts';
import type { ScenarioDoc } from '../../scenario/index.ts';

const NAME = /^[A-Za-z0-9_.:+-]{1,40}$/;

/** A name no process of the document has yet. */
function freeName(doc: ScenarioDoc, want: string): string {
  const taken = new Set(doc.ops.flatMap((o) => (o.op === 'process' ? [o.name] : [])));
  if (!taken.has(want)) return want;
  for (let i = 2; ; i++) {
    const n = `${want.slice(0, 36)}-${i}`;
    if (!taken.has(n)) return n;
  }
}

interface Props {
  readonly maps: MapsOk;
  readonly doc: ScenarioDoc;
  readonly onCreate: (ops: ReturnType<typeof mapsToOps>['ops']) => string | null;
}

export function MapsView({ maps, doc, onCreate }: Props) {
  const [name, setName] = useState(() => freeName(doc, programName(maps.vmas)));
  const [error, setError] = useState('');
  const cpu = doc.platform?.cpu;
  const m = useMemo(
    () =>
      mapsToOps(maps.vmas, {
        name: NAME.test(name) ? name : 'proc',
        vaBits: cpu?.vaBits ?? 48,
        pageSize: 1n << BigInt(granuleFromName(cpu?.granule ?? '4K') ?? 12),
      }),
    [maps.vmas, name, cpu],
  );
  const created = m.vmas.filter((v) => v.mapped).length;
  const valid = NAME.test(name);
  return (
    <div className="imp-maps">
      <p className="imp-summary" data-testid="import-summary">
        {maps.vmas.length} mappings: {created} become VMAs of a new process
        {created < maps.vmas.length ? `, ${maps.vmas.length - created} cannot (said below)` : ''}.
        File-backed and shared mappings become private anonymous memory: the model has no files or
        page cache.
      </p>
      <div className="imp-row">
        <label htmlFor="imp-proc">Process name</label>
        <input
          id="imp-proc"
          className="mono"
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={!valid}
          data-testid="import-proc-name"
        />
        <button
          type="button"
          className="btn primary"
          disabled={!valid || created === 0}
          onClick={() => setError(onCreate(m.ops) ?? '')}
          data-testid="import-create-process"
        >
          Create process
        </button>
      </div>
      {!valid && <p className="imp-warn">A name is 1–40 letters, digits or _ . : + -.</p>}
      {error && (
        <p className="imp-warn" role="alert">
          {error}
        </p>
      )}
      <table className="imp-table" aria-label="Mappings">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Range</th>
            <th scope="col">Size</th>
            <th scope="col">Perms</th>
            <th scope="col">What</th>
            <th scope="col">In the model</th>
          </tr>
        </thead>
        <tbody>
          {m.vmas.map((v) => (
            <tr key={v.vma.line} className={v.mapped ? '' : 'imp-skip'}>
              <td>{v.vma.line}</td>
              <td className="mono imp-nowrap">
                {v.vma.start}–{v.vma.end}
              </td>
              <td className="mono">{hex(BigInt(v.vma.end) - BigInt(v.vma.start))}</td>
              <td className="mono">
                {v.vma.perms.read ? 'r' : '-'}
                {v.vma.perms.write ? 'w' : '-'}
                {v.vma.perms.exec ? 'x' : '-'}
                {v.vma.perms.shared ? 's' : 'p'}
              </td>
              <td className="mono imp-path">{v.label}</td>
              <td>
                {v.mapped ? `mmap${v.note ? `; ${v.note}` : ''}` : `not created: ${v.note ?? ''}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {maps.warnings.length > 0 && (
        <ul className="imp-skipped">
          {maps.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
