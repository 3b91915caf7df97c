// The input address (or StreamID / SubstreamID) of a walk step, split into the bit fields that
// index each level; the field this step indexes with is highlighted, with its value.
import { hex } from '../../engine/index.ts';
import { groupHex } from '../timeline/describe.ts';
import { binary, type AddressSplit, type BitField } from '../../diagram/index.ts';

const LABEL: Readonly<Record<string, string>> = {
  upper: 'upper',
  offset: 'offset',
  L1STD: 'L1STD index',
  STE: 'STE index',
  L1CD: 'L1CD index',
  CD: 'CD index',
};

const label = (f: BitField): string => LABEL[f.name] ?? `${f.name} index`;
const range = (f: BitField): string => (f.hi === f.lo ? `[${f.hi}]` : `[${f.hi}:${f.lo}]`);

export function AddressBits({ split }: { split: AddressSplit }) {
  const what =
    split.input === 'SID'
      ? 'StreamID'
      : split.input === 'SSID'
        ? 'SubstreamID (PASID)'
        : split.input;
  const granule = split.granule ? ` · ${2 ** (split.granule - 10)} KB granule` : '';
  const cur = split.fields.find((f) => f.name === split.current);
  return (
    <section
      className="stp-bits"
      data-testid="addr-bits"
      data-input={split.input}
      aria-label={`${what} ${hex(split.value)} split into index fields${granule}`}
    >
      <p className="stp-bits-head">
        <span className="mono">
          {what} {groupHex(split.value)}
        </span>
        <span className="muted">{granule}</span>
        {cur && (
          <span className="stp-bits-now">
            {' '}
            — this step indexes with {split.input}
            {range(cur)} = {cur.value.toString()}
          </span>
        )}
      </p>
      <ol className="stp-fields">
        {split.fields.map((f) => {
          const width = f.hi - f.lo + 1;
          const current = f.name === split.current;
          return (
            <li
              key={f.name}
              data-testid={`addr-field-${f.name}`}
              data-current={current ? 'true' : 'false'}
              data-hi={f.hi}
              data-lo={f.lo}
              data-value={f.value.toString()}
              className={`stp-field r-${f.role} ${current ? 'current' : ''}`}
              title={f.role === 'upper' ? split.upperNote : undefined}
              aria-current={current ? 'true' : undefined}
            >
              <span className="stp-field-name">
                {label(f)} <span className="muted">{range(f)}</span>
              </span>
              <span className="stp-field-line">
                <code className="stp-field-bits">
                  {f.role === 'upper' ? hex(f.value) : binary(f.value, width)}
                </code>{' '}
                {f.role !== 'upper' && (
                  <span className="stp-field-val">
                    = {f.value.toString()}
                    {f.value > 9n ? ` (${hex(f.value)})` : ''}
                  </span>
                )}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
