// The Eras tab: the op at the cursor under the scenario's era and under the compare era (header),
// side by side — return value, errno, commands, events, the DMA outcome, the STE and CD words field
// by field, and which caches differ (src/scenario/eraDiff.ts). Self-contained: it reads the store
// and nothing else of the page.
import { useMemo, useState } from 'react';
import { DEFAULT_ERA } from '../../kernel/index.ts';
import { compareAt, type ListPair, type OpComparison, type Pair } from '../../scenario/index.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import './eras.css';

export function ErasTab() {
  const store = useAppStore();
  const kernel = useApp((s) => s.doc.kernel ?? DEFAULT_ERA);
  const era = useApp((s) => s.compareEra);
  const compare = useApp((s) => s.compare);
  const timeline = useApp((s) => s.timeline);
  const op = useApp((s) => s.cursor.op);
  const other = compare && 'timeline' in compare ? compare.timeline : null;
  const c = useMemo<OpComparison | null>(
    () => (other && op >= 0 && op < timeline.length ? compareAt(timeline, other, op) : null),
    [timeline, other, op],
  );
  if (!era || !compare)
    return (
      <div className="eras-tab" data-testid="eras-tab">
        <p>
          Choose an era under <b>Compare</b> in the header: the scenario then runs under both, the
          timeline marks (≠) the ops whose results differ, and this tab shows the op at the cursor
          under both eras side by side.
        </p>
      </div>
    );
  if ('error' in compare)
    return (
      <div className="eras-tab" data-testid="eras-tab">
        <p role="alert">
          The scenario does not run under {era}: {compare.error}
        </p>
      </div>
    );
  const kinds = compare.kinds;
  const differing = kinds.flatMap((k, i) => (k === 'differs' ? [i] : []));
  const next = differing.find((i) => i > op);
  const prev = [...differing].reverse().find((i) => i < op);
  const go = (i: number | undefined) => i !== undefined && store.getState().setCursor(i);
  return (
    <div className="eras-tab" data-testid="eras-tab">
      <p className="eras-head">
        <span data-testid="eras-count">
          {differing.length} of {kinds.length} ops differ between <b>{kernel}</b> and <b>{era}</b>
        </span>{' '}
        <button type="button" disabled={prev === undefined} onClick={() => go(prev)}>
          ← Previous difference
        </button>{' '}
        <button
          type="button"
          data-testid="eras-next"
          disabled={next === undefined}
          onClick={() => go(next)}
        >
          Next difference →
        </button>
      </p>
      {c === null ? <p>Select an op in the timeline.</p> : <OpSides c={c} a={kernel} b={era} />}
    </div>
  );
}

const KIND_TEXT = {
  same: 'the same results',
  address: 'the same results but for physical addresses (the eras allocate frames differently)',
  differs: 'different results',
} as const;

/**
 * One comparison side by side, columns headed `a` and `b` (also Share's compare with a link,
 * which names its two moments in `what`).
 */
export function OpSides({
  c,
  a,
  b,
  what,
}: {
  c: OpComparison;
  a: string;
  b: string;
  what?: string;
}) {
  return (
    <>
      <p data-testid="eras-op-kind" data-kind={c.kind}>
        {what ?? `Op ${c.index}`}: {KIND_TEXT[c.kind]}.
      </p>
      <table data-testid="eras-result">
        <thead>
          <tr>
            <th scope="col">result</th>
            <th scope="col">{a}</th>
            <th scope="col">{b}</th>
          </tr>
        </thead>
        <tbody>
          {c.result.map((p) => (
            <PairRow key={p.label} p={p} testid={`eras-result-${p.label.replace(/\s+/g, '-')}`} />
          ))}
        </tbody>
      </table>
      {[c.commands, c.events, c.pageRequests].map((l) =>
        l.a.length || l.b.length ? <Lists key={l.label} l={l} a={a} b={b} /> : null,
      )}
      {c.structures.map((s) => (
        <Structure key={s.title} title={s.title} fields={s.fields} a={a} b={b} />
      ))}
      <h4>Caches after the op</h4>
      <ul data-testid="eras-caches">
        {c.caches.map((l) => (
          <li key={l.label} data-testid={`eras-cache-${l.label}`} data-differs={l.differs}>
            {l.label}: {l.differs ? 'differ' : 'the same'} ({l.a.length} / {l.b.length} entries)
            {l.differs && <CacheDelta l={l} a={a} b={b} />}
          </li>
        ))}
      </ul>
    </>
  );
}

function PairRow({ p, testid }: { p: Pair; testid?: string }) {
  return (
    <tr className={p.differs ? 'differs' : undefined} data-testid={testid} data-differs={p.differs}>
      <th scope="row">
        {p.label}
        {p.address ? ' (address)' : ''}
      </th>
      <td className="mono">{p.a}</td>
      <td className="mono">{p.b}</td>
    </tr>
  );
}

function Lists({ l, a, b }: { l: ListPair; a: string; b: string }) {
  return (
    <section data-testid={`eras-${l.label.replace(/\s+/g, '-')}`} data-differs={l.differs}>
      <h4>
        {l.label}
        {l.differs ? ' — differ' : ''}
      </h4>
      <table>
        <thead>
          <tr>
            <th scope="col">{a}</th>
            <th scope="col">{b}</th>
          </tr>
        </thead>
        <tbody>
          <tr className={l.differs ? 'differs' : undefined}>
            <td className="mono">{l.a.join('\n') || '—'}</td>
            <td className="mono">{l.b.join('\n') || '—'}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

/** An STE or CD: the fields that differ, and all of them on request. */
function Structure({
  title,
  fields,
  a,
  b,
}: {
  title: string;
  fields: readonly Pair[];
  a: string;
  b: string;
}) {
  const [all, setAll] = useState(false);
  const differing = fields.filter((f) => f.differs);
  const shown = all ? fields : differing;
  return (
    <section data-testid={`eras-structure-${title}`}>
      <h4>
        {title}
        {differing.length ? ` — ${differing.length} field(s) differ` : ' — the same'}{' '}
        <button type="button" onClick={() => setAll(!all)} aria-pressed={all}>
          {all ? 'Differing fields only' : `All ${fields.length} fields`}
        </button>
      </h4>
      {shown.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">field</th>
              <th scope="col">{a}</th>
              <th scope="col">{b}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((f) => (
              <PairRow key={f.label} p={f} testid={`eras-field-${f.label}`} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function CacheDelta({ l, a, b }: { l: ListPair; a: string; b: string }) {
  const onlyA = l.a.filter((x) => !l.b.includes(x));
  const onlyB = l.b.filter((x) => !l.a.includes(x));
  return (
    <details>
      <summary>
        {onlyA.length} only under {a}, {onlyB.length} only under {b}
      </summary>
      <ul className="mono">
        {onlyA.map((x) => (
          <li key={`a${x}`}>
            {a}: {x}
          </li>
        ))}
        {onlyB.map((x) => (
          <li key={`b${x}`}>
            {b}: {x}
          </li>
        ))}
      </ul>
    </details>
  );
}
