// Compare two moments: the STEs, CDs, L1 descriptors and page-table entries that differ between
// the world after op A and after op B (−1 = boot), each with the named fields that changed
// (the raw words one click away), by the frame that holds them; and the cache entries added and
// removed. Changing a moment recomputes; "A ⇄ B" swaps them.
import { useMemo, useState } from 'react';
import { hex, hex64 } from '../../engine/index.ts';
import { worldAt } from '../../state/index.ts';
import { useApp } from '../storeContext.ts';
import { opSummary } from '../timeline/describe.ts';
import {
  compareWorlds,
  plural,
  type FieldChange,
  type StructureChange,
  type StructureGroup,
} from '../../diagram/index.ts';

const GROUPS: readonly StructureGroup[] = ['Stream table', 'CD tables', 'Page tables', 'Memory'];

function MomentInput({
  id,
  label,
  value,
  max,
  onChange,
  testid,
}: {
  id: string;
  label: string;
  value: number;
  max: number;
  onChange: (v: number) => void;
  testid: string;
}) {
  const ops = useApp((s) => s.doc.ops);
  const op = ops[value];
  return (
    <span className="stp-moment">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        min={-1}
        max={max}
        value={value}
        data-testid={testid}
        onChange={(e) => {
          const v = Number(e.currentTarget.value);
          if (Number.isInteger(v)) onChange(Math.max(-1, Math.min(v, max)));
        }}
      />
      <span className="muted" data-testid={`${testid}-what`}>
        {value < 0 ? 'after boot' : op ? `after ${opSummary(op)}` : ''}
      </span>
    </span>
  );
}

/** One side of a field change: an address field as the address, else the value in hex. */
function side(v: bigint | undefined, meaning: string | undefined): string {
  if (v === undefined) return '—';
  return meaning?.startsWith('address ') ? meaning.slice('address '.length) : hex(v);
}

/** The meaning of both values when the field has named values ("invalid → valid"). */
function meanings(f: FieldChange): string | undefined {
  const named = (m: string | undefined) => (m && !m.startsWith('address ') ? m : undefined);
  const a = named(f.beforeMeaning);
  const b = named(f.afterMeaning);
  return a || b ? `${a ?? '?'} → ${b ?? '?'}` : undefined;
}

function Structure({ c }: { c: StructureChange }) {
  return (
    <li className="stp-cstruct" data-testid="compare-struct" data-pa={`0x${c.pa.toString(16)}`}>
      <div className="stp-cstruct-head">
        <strong>{c.what}</strong> <span className="muted">{c.owner}</span>{' '}
        <span className="mono muted">{hex(c.pa)}</span>
      </div>
      {c.fields.length > 0 && (
        <ul className="stp-cfields" aria-label={`Fields of ${c.what} that differ`}>
          {c.fields.map((f) => {
            const m = meanings(f);
            return (
              <li key={f.name} data-testid="compare-field" data-field={f.name} title={f.bits}>
                <span className="stp-cfield-name">{f.name}</span>{' '}
                <span className="mono">
                  {side(f.before, f.beforeMeaning)} → {side(f.after, f.afterMeaning)}
                </span>
                {m && <span className="muted"> ({m})</span>}
              </li>
            );
          })}
        </ul>
      )}
      <details className="stp-cwords">
        <summary>
          {plural(c.words.length, 'word')}
          {c.fields.length === 0 ? ' (no field table for this memory)' : ''}
        </summary>
        <ul>
          {c.words.map((w) => (
            <li key={`${w.pa}`} className="mono" data-testid="compare-word">
              dw{w.dw} {hex64(w.before)} → {hex64(w.after)}
            </li>
          ))}
        </ul>
      </details>
    </li>
  );
}

export function Compare({ initial }: { initial: { a: number; b: number } }) {
  const timeline = useApp((s) => s.timeline);
  const max = timeline.length - 1;
  const [a, setA] = useState(Math.min(initial.a, max));
  const [b, setB] = useState(Math.min(initial.b, max));
  const diff = useMemo(
    () => compareWorlds(worldAt(timeline, Math.min(a, max)), worldAt(timeline, Math.min(b, max))),
    [timeline, a, b, max],
  );
  const n = diff.structures.length;
  const caches = diff.caches.length;
  const summary =
    `${plural(n, 'structure')} (${plural(diff.wordCount, 'word')}) and ` +
    `${plural(caches, 'cache entry', 'cache entries')} differ` +
    (diff.otherWords ? `; ${diff.otherWords} other words (queues, pages, buffers)` : '');
  return (
    <section className="stp-compare" data-testid="compare" aria-label="Compare two moments">
      <div className="stp-compare-pick">
        <MomentInput
          id="stp-cmp-a"
          label="A: op"
          value={a}
          max={max}
          onChange={setA}
          testid="compare-a"
        />
        <button
          type="button"
          className="btn"
          onClick={() => {
            setA(b);
            setB(a);
          }}
          aria-label="Swap A and B"
          data-testid="compare-swap"
        >
          A ⇄ B
        </button>
        <MomentInput
          id="stp-cmp-b"
          label="B: op"
          value={b}
          max={max}
          onChange={setB}
          testid="compare-b"
        />
        <span className="muted" data-testid="compare-summary" role="status">
          {summary}
        </span>
      </div>
      <div className="stp-compare-body">
        <div data-testid="compare-words">
          {GROUPS.map((g) => {
            const cs = diff.structures.filter((c) => c.group === g);
            if (!cs.length) return null;
            return (
              <section
                key={g}
                className="stp-cgroup"
                data-testid={`compare-group-${g.split(' ')[0]!.toLowerCase()}`}
                aria-label={g}
              >
                <h4>
                  {g} <span className="muted">({cs.length})</span>
                </h4>
                <ul>
                  {cs.map((c) => (
                    <Structure key={`${c.pa}`} c={c} />
                  ))}
                </ul>
              </section>
            );
          })}
          {n === 0 && <p className="muted">No STE, CD or page-table word differs.</p>}
        </div>
        <div data-testid="compare-caches">
          <h4>Caches</h4>
          {diff.caches.length === 0 ? (
            <p className="muted">Same TLB, configuration cache and ATC entries.</p>
          ) : (
            <ul>
              {diff.caches.map((c, i) => (
                <li key={i} data-testid="compare-cache" className={c.change}>
                  <span className={`mark ${c.change === 'added' ? 'new' : 'removed'}`}>
                    {c.change === 'added' ? 'in B only' : 'in A only'}
                  </span>{' '}
                  <strong>{c.cache}</strong> <span className="mono">{c.text}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}
