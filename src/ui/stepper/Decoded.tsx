// A structure's words decoded by field (spec name, bits, value, meaning, one-line doc). The
// non-zero fields show by default; "all fields" lists the rest.
import { useId, useState } from 'react';
import { hex, hex64 } from '../../engine/index.ts';
import { shownByDefault, type Decoded } from '../../diagram/index.ts';

export function DecodedWords({
  d,
  testid,
  showAll = false,
  caption,
}: {
  d: Decoded;
  testid: string;
  showAll?: boolean;
  caption?: string;
}) {
  const [all, setAll] = useState(showAll);
  const id = useId();
  const shown = all ? d.fields : d.fields.filter(shownByDefault);
  const hidden = d.fields.length - d.fields.filter(shownByDefault).length;
  return (
    <section className="stp-decoded" data-testid={testid} aria-labelledby={id}>
      <h4 id={id}>
        {caption ?? d.title} <span className="muted">{d.section}</span>
      </h4>
      <p className="stp-words" data-testid={`${testid}-words`}>
        {d.words.map((w, i) => (
          <code key={i} data-testid={`${testid}-dw${i}`} title={`dword ${i}`}>
            {d.words.length > 1 ? `dw${i} ` : ''}
            {hex64(w)}
          </code>
        ))}
      </p>
      <table className="stp-ftable">
        <thead className="sr-only">
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Value</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((f) => (
            <tr key={f.name} data-testid={`${testid}-field-${f.name}`}>
              <th scope="row">
                {f.name} <span className="muted">{f.bits}</span>
              </th>
              <td className="mono">{hex(f.value)}</td>
              <td>
                {f.meaning && <strong>{f.meaning}. </strong>}
                <span className="muted">{f.doc?.meaning}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {hidden > 0 && !showAll && (
        <button type="button" className="stp-link" onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? 'Only non-zero fields' : `All ${d.fields.length} fields (${hidden} zero)`}
        </button>
      )}
    </section>
  );
}
