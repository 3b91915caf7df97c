// "What if…" (issue 14): change one field of the inspected structure or register at the cursor.
// The plan (diagram/whatIf.ts) says which ops the edit is, the invalidation a driver would send
// after it, and — before anything is applied — which spec rules the new value breaks and what
// the SMMU will do. Applying inserts the ops after the op at the cursor (one undoable step) and
// moves the cursor to the last of them.
import { useEffect, useMemo, useRef, useState } from 'react';
import { hex, parseU64 } from '../../engine/index.ts';
import { editableFields, planEdit, type Selection } from '../../diagram/index.ts';
import { opSummary, remapAnnotations, type OpDoc } from '../../scenario/index.ts';
import { modelAt } from '../../state/index.ts';
import { useApp, useAppStore, useWorld } from '../storeContext.ts';

interface Props {
  readonly sel: Selection;
  /** The field a row's Edit button asked for (the parent remounts the form for each ask). */
  readonly field: string;
  readonly onClose: () => void;
}

export function WhatIf({ sel, field, onClose }: Props) {
  const store = useAppStore();
  const world = useWorld();
  const timeline = useApp((s) => s.timeline);
  const op = useApp((s) => s.cursor.op);
  const fields = useMemo(() => editableFields(sel, world), [sel, world]);
  const [name, setName] = useState(field);
  const current = fields.find((f) => f.name === name);
  const [text, setText] = useState(current ? hex(current.value) : '');
  const [inval, setInval] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  const value = parseU64(text.trim());
  const plan = useMemo(() => {
    if (value === undefined || !current) return null;
    return planEdit(sel, world, name, value, modelAt(timeline, op));
  }, [sel, world, name, value, current, timeline, op]);

  if (fields.length === 0) return null;
  const ok = plan && !('error' in plan) ? plan : null;
  const ops: OpDoc[] = ok ? [...ok.writes, ...(inval ? ok.invalidation.ops : [])] : [];
  const at = op + 1;

  const apply = () => {
    if (!ok || ops.length === 0) return;
    const s = store.getState();
    const all = [...s.doc.ops];
    all.splice(at, 0, ...ops);
    const doc = remapAnnotations({ ...s.doc, ops: all }, (j) => (j >= at ? j + ops.length : j));
    const err = s.setDoc(doc, { cursor: { op: at + ops.length - 1, step: 0 } });
    setError(err);
    if (err) return;
    s.select(sel);
    onClose();
  };

  return (
    <section className="insp-whatif" aria-label="What if" data-testid="whatif">
      <h4>What if…</h4>
      <div className="insp-whatif-row">
        <label>
          Field{' '}
          <select
            value={name}
            onChange={(e) => {
              const f = fields.find((x) => x.name === e.currentTarget.value);
              setName(e.currentTarget.value);
              setText(f ? hex(f.value) : '');
            }}
          >
            {fields.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          New value{' '}
          <input
            ref={input}
            className="insp-whatif-val"
            value={text}
            spellCheck={false}
            onChange={(e) => setText(e.currentTarget.value)}
          />
        </label>
      </div>
      {current && (
        <p className="insp-whatif-now">
          now {hex(current.value)} ({current.value.toString()}),{' '}
          {current.field.hi - current.field.lo + 1} bits
        </p>
      )}
      {value === undefined && <p className="insp-whatif-err">Not a number: write 25 or 0x19.</p>}
      {plan && 'error' in plan && <p className="insp-whatif-err">{plan.error}</p>}
      {ok && (
        <>
          <div data-testid="whatif-warnings" aria-live="polite">
            {ok.warnings.length === 0 ? (
              <p className="insp-whatif-fine">
                No rule of the spec is broken for this SMMU&apos;s ID registers.
              </p>
            ) : (
              <ul className="insp-whatif-warn">
                {ok.warnings.map((w, i) => (
                  <li key={i}>
                    <strong>Warning:</strong> {w.text} <span className="insp-sec">{w.section}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <label className="insp-whatif-inval">
            <input
              type="checkbox"
              checked={inval && ok.invalidation.ops.length > 0}
              disabled={ok.invalidation.ops.length === 0}
              onChange={(e) => setInval(e.currentTarget.checked)}
            />{' '}
            Also queue the invalidation a driver would send: {ok.invalidation.text}
          </label>
          {(!inval || ok.invalidation.ops.length === 0) && sel.kind === 'memory' && (
            <p className="insp-dim">
              Without it, a copy the SMMU has cached (configuration cache, TLB, ATC) stays in use
              until it is evicted: watch the stale entry in the Caches tab.
            </p>
          )}
          <p className="insp-dim">
            {ops.length === 0
              ? 'The value is unchanged: nothing to insert.'
              : `Inserts after ${op < 0 ? 'boot' : `op ${op + 1}`}:`}
          </p>
          <ol className="insp-whatif-ops" start={at + 1} data-testid="whatif-ops">
            {ops.map((o, i) => (
              <li key={i}>
                <code>{opSummary(o)}</code>
              </li>
            ))}
          </ol>
        </>
      )}
      {error && (
        <p className="insp-whatif-err" role="alert">
          The edit was not applied: {error}
        </p>
      )}
      <div className="insp-whatif-buttons">
        <button type="button" onClick={apply} disabled={!ok || ops.length === 0}>
          Apply edit
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </section>
  );
}
