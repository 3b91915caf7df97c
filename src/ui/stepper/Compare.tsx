// Compare two moments: the STE, CD, L1 and page-table words that differ between the world after
// op A and after op B (−1 = boot), by the frame that holds them, and the cache entries added and
// removed. Changing a moment recomputes; "A ⇄ B" swaps them.
import { useMemo, useState } from 'react';
import { hex64 } from '../../engine/index.ts';
import { worldAt } from '../../state/index.ts';
import { useApp } from '../storeContext.ts';
import { opSummary } from '../timeline/describe.ts';
import { compareWorlds, type StructureGroup } from './compare.ts';

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

export function Compare({ initial }: { initial: { a: number; b: number } }) {
  const timeline = useApp((s) => s.timeline);
  const max = timeline.length - 1;
  const [a, setA] = useState(Math.min(initial.a, max));
  const [b, setB] = useState(Math.min(initial.b, max));
  const diff = useMemo(
    () => compareWorlds(worldAt(timeline, Math.min(a, max)), worldAt(timeline, Math.min(b, max))),
    [timeline, a, b, max],
  );
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
          {diff.words.length} structure word{diff.words.length === 1 ? '' : 's'} and{' '}
          {diff.caches.length} cache entr{diff.caches.length === 1 ? 'y' : 'ies'} differ
          {diff.otherWords ? `; ${diff.otherWords} other words (queues, pages, buffers)` : ''}
        </span>
      </div>
      <div className="stp-compare-body">
        <div data-testid="compare-words">
          {GROUPS.map((g) => {
            const ws = diff.words.filter((w) => w.group === g);
            if (!ws.length) return null;
            return (
              <table
                key={g}
                className="stp-ctable"
                data-testid={`compare-group-${g.split(' ')[0]!.toLowerCase()}`}
              >
                <caption>
                  {g} <span className="muted">({ws.length})</span>
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Word</th>
                    <th scope="col">In</th>
                    <th scope="col">A</th>
                    <th scope="col">B</th>
                  </tr>
                </thead>
                <tbody>
                  {ws.map((w) => (
                    <tr
                      key={`${w.pa}`}
                      data-testid="compare-word"
                      data-pa={`0x${w.pa.toString(16)}`}
                    >
                      <th scope="row">{w.what}</th>
                      <td className="muted">{w.owner}</td>
                      <td className="mono">{hex64(w.before)}</td>
                      <td className="mono">{hex64(w.after)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            );
          })}
          {diff.words.length === 0 && (
            <p className="muted">No STE, CD or page-table word differs.</p>
          )}
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
