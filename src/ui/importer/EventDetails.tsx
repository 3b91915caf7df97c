// One event of a pasted log, opened: what it means, the inferred configuration (or why the model
// cannot raise it), the caveats, the kernel's own print and where it disagrees, and the four raw
// dwords with the bits of each field the record type defines (spec names, SPEC §7.3).
import { eventMeaning, hex, hex64 } from '../../engine/index.ts';
import { fieldViews, type EventGroup, type Plan } from '../../logs/index.ts';

const fmt = (n: number, digits = 3): string =>
  n.toLocaleString('en', { maximumFractionDigits: digits });

export function span(g: EventGroup): string {
  if (g.from === undefined || g.to === undefined) return '';
  const s = g.to - g.from;
  return s > 0
    ? `${fmt(s)} s (${fmt(g.from, 6)}–${fmt(g.to, 6)})${g.rate ? `, ${fmt(g.rate, 1)} per second` : ''}`
    : `at ${fmt(g.from, 6)} s`;
}

export function EventDetails({ g, plan }: { g: EventGroup; plan: Plan }) {
  const e = g.first;
  const r = e.record;
  const fields = fieldViews(r.id, e.raw, e.missing ?? []);
  return (
    <div className="imp-details">
      <p>
        <strong>{r.name}</strong>: {eventMeaning(r.id)}.
      </p>
      {g.count > 1 && (
        <p>
          {g.count.toLocaleString('en')} records on lines {g.firstLine}–{g.lastLine}
          {span(g) ? ` over ${span(g)}` : ''}
          {g.addresses > 1 ? `; ${g.addresses} addresses on the same page` : ''}.
        </p>
      )}
      {plan.ok ? (
        <ul className="imp-explain" aria-label="What configuration raises it">
          {plan.explain.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      ) : (
        <p className="imp-cannot">The model cannot raise it: {plan.why}.</p>
      )}
      {e.notes.length > 0 && (
        <ul className="imp-notes" aria-label="Caveats">
          {e.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {e.kernel && (
        <p className="imp-muted">
          The kernel printed it (line {e.kernel.event.line}) as {e.kernel.event.name}, client{' '}
          <span className="mono">{e.kernel.event.client}</span>
          {e.crossCheck.length === 0
            ? '; its print agrees with the dwords.'
            : `; it disagrees with the dwords on ${e.crossCheck
                .map((c) => `${c.field} (dwords ${c.ours}, print ${c.kernel})`)
                .join(', ')}.`}
        </p>
      )}
      <table className="imp-fields mono" aria-label="Raw dwords and fields">
        <thead>
          <tr>
            <th scope="col">Dword</th>
            <th scope="col">Field</th>
            <th scope="col">Bits</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {[0, 1, 2, 3].map((dw) => {
            const own = fields.filter((f) => f.dw === dw);
            const missing = e.missing?.includes(dw) ?? false;
            return [
              <tr key={`dw${dw}`} className="imp-dword">
                <th scope="row">dw{dw}</th>
                <td colSpan={3}>{missing ? 'missing from the log' : hex64(e.raw[dw] ?? 0n)}</td>
              </tr>,
              ...own.map((f) => (
                <tr key={f.name} data-testid={`import-field-${f.name}`}>
                  <td />
                  <td>{f.name}</td>
                  <td title={`record bits [${f.recordHi}:${f.recordLo}]`}>
                    [{f.hi === f.lo ? f.hi : `${f.hi}:${f.lo}`}]
                  </td>
                  <td data-testid={`import-field-${f.name}-value`}>
                    {f.missing ? '—' : hex(f.value)}
                  </td>
                </tr>
              )),
            ];
          })}
        </tbody>
      </table>
    </div>
  );
}
