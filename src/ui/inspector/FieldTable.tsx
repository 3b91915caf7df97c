// Every field of the inspected word(s): spec name, bit range, value in hex and decimal, the
// value's meaning, what the field does and where the spec defines it. Hovering a row highlights
// its bits in the rulers above.
import { useState } from 'react';
import { hex } from '../../engine/index.ts';
import { bitRange, type InspectedField } from '../../diagram/index.ts';
import { GlossTerm } from '../learn/index.ts';

interface Props {
  readonly fields: readonly InspectedField[];
  readonly register: boolean;
  readonly hovered: string | null;
  readonly onHover: (name: string | null) => void;
  /** Fields a what-if edit may change, and how to ask for one. */
  readonly editable?: ReadonlySet<string>;
  readonly onEdit?: (name: string) => void;
}

export function FieldTable({ fields, register, hovered, onHover, editable, onEdit }: Props) {
  const [hideZero, setHideZero] = useState(false);
  const shown = hideZero ? fields.filter((f) => f.value !== 0n || f.was !== undefined) : fields;
  return (
    <div className="insp-fields">
      <label className="insp-filter">
        <input
          type="checkbox"
          checked={hideZero}
          onChange={(e) => setHideZero(e.currentTarget.checked)}
        />
        Hide zero fields ({fields.length - fields.filter((f) => f.value !== 0n).length})
      </label>
      <table aria-label="Fields" data-testid="inspector-fields">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Value and meaning</th>
          </tr>
        </thead>
        <tbody onMouseLeave={() => onHover(null)}>
          {shown.map((f) => (
            <tr
              key={f.name}
              data-testid={`inspector-field-${f.name}`}
              className={f.name === hovered ? 'hl' : undefined}
              onMouseEnter={() => onHover(f.name)}
            >
              <th scope="row">
                <span className="insp-fname">
                  <GlossTerm term={f.name} />
                </span>
                <span className="insp-bits">{bitRange(f.field, register)}</span>
                {onEdit && editable?.has(f.name) && (
                  <button
                    type="button"
                    className="insp-edit"
                    aria-label={`What if: edit ${f.name}`}
                    title={`What if ${f.name} were…`}
                    onClick={() => onEdit(f.name)}
                  >
                    Edit
                  </button>
                )}
              </th>
              <td>
                <span className="insp-val">
                  <code data-testid={`inspector-field-${f.name}-value`}>{hex(f.value)}</code>
                  <span className="insp-dec"> ({f.value.toString()})</span>
                  {f.meaning && <span className="insp-enum"> {f.meaning}</span>}
                  {f.was !== undefined && (
                    <span className="insp-badge changed" title="value before this op">
                      was {hex(f.was)}
                    </span>
                  )}
                </span>
                {f.doc && (
                  <span className="insp-doc">
                    {f.doc.meaning} <span className="insp-sec">{f.doc.section}</span>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
