// Beside a nested device's physical STE: the guest STE (vSTE) the host built it from, and each
// field's owner — the guest (copied from the vSTE) or the host (forced: Config, V, EATS, MEV, the
// stage-2 fields and VMID). diagram/inspectNested.ts sorts the fields; this only draws them.
import { hex } from '../../engine/index.ts';
import { bitRange, type NestedInspect } from '../../diagram/index.ts';

export function NestedSteView({ n }: { readonly n: NestedInspect }) {
  // Fields nobody set are noise here: the full list is in the table above.
  const shown = n.fields.filter((f) => f.value !== 0n || f.guest !== 0n);
  const guestCount = shown.filter((f) => f.owner === 'guest').length;
  return (
    <section className="insp-fields insp-nested" aria-label="Guest STE" data-testid="nested-ste">
      <h4 className="insp-nested-h">
        Built from a guest STE: {n.dev} in VM {n.vm} (vSMMU {n.vsmmu}, {n.kind})
      </h4>
      <p className="insp-nested-words">
        vSTE <code data-testid="nested-guest-dw0">{hex(n.guest[0])}</code>{' '}
        <code data-testid="nested-guest-dw1">{hex(n.guest[1])}</code> · {guestCount} of{' '}
        {shown.length} fields set here are the guest&apos;s
      </p>
      <table aria-label="Fields by owner">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Physical</th>
            <th scope="col">Guest</th>
            <th scope="col">Owner</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((f) => (
            <tr key={f.name} data-testid={`nested-field-${f.name}`} data-owner={f.owner}>
              <th scope="row">
                <span className="insp-fname">{f.name}</span>
                <span className="insp-bits">{bitRange(f.field, false)}</span>
              </th>
              <td>
                <code>{hex(f.value)}</code>
              </td>
              <td>
                <code>{f.field.dw < 2 ? hex(f.guest) : '—'}</code>
              </td>
              <td className={`insp-owner-${f.owner}`}>
                {f.owner === 'guest' ? 'guest' : 'host forces'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
