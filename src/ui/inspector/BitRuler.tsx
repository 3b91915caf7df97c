// One word as a bit ruler: binary in rows of 32 bits, grouped in nibbles, each field shaded and
// bounded so its bits read as one block; the hovered field's bits are highlighted.
import { hex64 } from '../../engine/index.ts';
import type { InspectedField } from '../../diagram/index.ts';

interface Props {
  readonly index: number;
  readonly word: bigint;
  readonly width: 32 | 64;
  readonly fields: readonly InspectedField[];
  readonly changed: boolean;
  readonly hovered: string | null;
  readonly onHover: (name: string | null) => void;
  /** Registers show one word without the dw prefix. */
  readonly register: boolean;
}

interface Cell {
  readonly bit: number;
  readonly one: boolean;
  readonly field: InspectedField | undefined;
  /** Shading parity of the field (alternates so neighbours differ). */
  readonly parity: number;
}

function cells(word: bigint, width: number, fields: readonly InspectedField[]): Cell[] {
  const byBit = new Map<number, [InspectedField, number]>();
  const sorted = [...fields].sort((a, b) => a.field.lo - b.field.lo);
  sorted.forEach((fd, i) => {
    for (let b = fd.field.lo; b <= fd.field.hi; b++) byBit.set(b, [fd, i % 2]);
  });
  const out: Cell[] = [];
  for (let bit = width - 1; bit >= 0; bit--) {
    const hit = byBit.get(bit);
    out.push({
      bit,
      one: ((word >> BigInt(bit)) & 1n) === 1n,
      field: hit?.[0],
      parity: hit?.[1] ?? 0,
    });
  }
  return out;
}

const hex32 = (v: bigint): string => '0x' + (v & 0xffffffffn).toString(16).padStart(8, '0');

export function BitRuler({
  index,
  word,
  width,
  fields,
  changed,
  hovered,
  onHover,
  register,
}: Props) {
  const all = cells(word, width, fields);
  const rows = width === 64 ? [all.slice(0, 32), all.slice(32)] : [all];
  const label = register ? 'value' : `dw${index}`;
  return (
    <div className="insp-word" data-testid={`inspector-word-${index}`}>
      <div className="insp-word-head">
        <span className="insp-dw">{label}</span>
        <code className="insp-hex" data-testid={`inspector-word-${index}-hex`}>
          {width === 64 ? hex64(word) : hex32(word)}
        </code>
        {changed && <span className="insp-badge changed">changed</span>}
        {fields.length === 0 && <span className="insp-none">no modelled fields</span>}
      </div>
      {fields.length > 0 && (
        <div className="insp-ruler" aria-hidden="true" onMouseLeave={() => onHover(null)}>
          {rows.map((row) => (
            <div className="insp-row" key={row[0]!.bit}>
              <span className="insp-bitno">{row[0]!.bit}</span>
              {row.map((c) => {
                // A field's top bit starts a new block (except at the start of a row).
                const boundary =
                  c.field !== undefined && c.bit === c.field.field.hi && c.bit % 32 !== 31;
                const cls = [
                  'insp-bit',
                  c.field ? `p${c.parity}` : 'unk',
                  boundary ? 'edge' : '',
                  c.bit % 4 === 0 && c.bit % 32 !== 0 ? 'nib' : '',
                  c.field && c.field.name === hovered ? 'hl' : '',
                  c.one ? 'one' : '',
                ]
                  .filter(Boolean)
                  .join(' ');
                return (
                  <span
                    key={c.bit}
                    className={cls}
                    title={
                      c.field ? `${c.field.name} · bit ${c.bit}` : `bit ${c.bit} (not modelled)`
                    }
                    data-bit={c.bit}
                    data-field={c.field?.name}
                    onMouseEnter={() => onHover(c.field?.name ?? null)}
                  >
                    {c.one ? '1' : '0'}
                  </span>
                );
              })}
              <span className="insp-bitno">{row[row.length - 1]!.bit}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
