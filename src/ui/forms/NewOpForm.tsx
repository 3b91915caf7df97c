// "Add an op": pick an op, fill its fields (defaults come from the world after the last op),
// submit with Enter or the button. The store validates; an error naming a field
// (`ops[7].size: must be a multiple of 0x1000`) is shown at that field.
import { useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { OpName } from '../../scenario/index.ts';
import { worldAt } from '../../state/index.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import { opSummary, recordResult } from '../timeline/describe.ts';
import {
  buildOp,
  fieldError,
  OP_SPECS,
  resolve,
  specOf,
  type FieldSpec,
  type FormCtx,
  type Value,
  type Values,
} from './opSpecs.ts';
import './forms.css';
import { NEW_OP_KIND_ID } from './ids.ts';

/** The op picker's groups, in order. */
const GROUPS = [
  ['kernel', 'Kernel'],
  ['hardware', 'Advanced (hardware)'],
] as const;

export { NEW_OP_KIND_ID };

interface Errors {
  readonly field: string | undefined;
  readonly message: string;
}

export function NewOpForm({ onClose }: { readonly onClose?: () => void } = {}) {
  const store = useAppStore();
  const timeline = useApp((s) => s.timeline);
  const [op, setOp] = useState<OpName>('device');
  const [typed, setTyped] = useState<Values>({});
  const [error, setError] = useState<Errors | null>(null);
  const [status, setStatus] = useState('');
  const formRef = useRef<HTMLFormElement>(null);
  const uid = useId();

  const ctx: FormCtx = useMemo(
    () => ({ kernel: worldAt(timeline, timeline.length - 1).kernel }),
    [timeline],
  );
  const spec = specOf(op);
  const { values, fields } = resolve(spec, ctx, typed);
  const idOf = (key: string) => `${uid}-${key}`;

  const pick = (next: OpName) => {
    setOp(next);
    setTyped({});
    setError(null);
  };
  const edit = (key: string, v: Value) => {
    setTyped((t) => ({ ...t, [key]: v }));
    if (error?.field === key) setError(null);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const index = store.getState().doc.ops.length;
    const doc = buildOp(spec, fields, values);
    const err = store.getState().appendOp(doc);
    if (err) {
      const fe = fieldError(err, index);
      const shown =
        fe.field && fields.some((f) => f.key === fe.field) ? fe : { ...fe, field: undefined };
      setError(shown.field ? shown : { field: undefined, message: err });
      setStatus('');
      const el = shown.field ? document.getElementById(idOf(shown.field)) : null;
      el?.focus();
      return;
    }
    setError(null);
    setTyped({});
    const rec = store.getState().timeline.records[index];
    setStatus(rec ? `Added op ${index}: ${opSummary(doc)} — ${recordResult(rec).text}` : '');
  };

  // Enter submits from a select or a checkbox too (text inputs submit natively).
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    const t = e.target as HTMLElement;
    if (
      e.key === 'Enter' &&
      !e.shiftKey &&
      !e.ctrlKey &&
      !e.altKey &&
      (t instanceof HTMLSelectElement || (t instanceof HTMLInputElement && t.type === 'checkbox'))
    ) {
      e.preventDefault();
      formRef.current?.requestSubmit();
    }
  };

  const headingId = `${uid}-heading`;
  const formError = error && !error.field ? error.message : null;

  return (
    <form
      ref={formRef}
      className="new-op"
      aria-labelledby={headingId}
      onSubmit={submit}
      onKeyDown={onKeyDown}
      noValidate
    >
      <div className="new-op-head">
        <h2 id={headingId} className="new-op-title">
          Add an op
        </h2>
        {onClose && (
          <button
            type="button"
            className="btn new-op-close"
            onClick={onClose}
            aria-label="Close “Add an op”"
            title="Close (Esc)"
          >
            ✕
          </button>
        )}
      </div>
      <div className="new-op-kind">
        <label htmlFor={NEW_OP_KIND_ID}>Op</label>
        <select
          id={NEW_OP_KIND_ID}
          value={op}
          onChange={(e) => pick(e.target.value as OpName)}
          aria-describedby={`${uid}-help`}
        >
          {GROUPS.map(([group, label]) => (
            <optgroup key={group} label={label}>
              {OP_SPECS.filter((s) => s.group === group).map((s) => (
                <option key={s.op} value={s.op}>
                  {s.op}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <p id={`${uid}-help`} className="new-op-help">
        {spec.help}
      </p>
      <div className="new-op-fields">
        {fields
          .filter((f) => f.kind !== 'bool')
          .map((f) => (
            <Field
              key={`${op}-${f.key}`}
              f={f}
              id={idOf(f.key)}
              value={values[f.key] ?? ''}
              ctx={ctx}
              values={values}
              error={error?.field === f.key ? error.message : undefined}
              onChange={(v) => edit(f.key, v)}
            />
          ))}
        {fields.some((f) => f.kind === 'bool') && (
          <div className="new-op-flags">
            {fields
              .filter((f) => f.kind === 'bool')
              .map((f) => (
                <Field
                  key={`${op}-${f.key}`}
                  f={f}
                  id={idOf(f.key)}
                  value={values[f.key] ?? false}
                  ctx={ctx}
                  values={values}
                  error={error?.field === f.key ? error.message : undefined}
                  onChange={(v) => edit(f.key, v)}
                />
              ))}
          </div>
        )}
      </div>
      {formError && (
        <p className="new-op-error" role="alert">
          {formError}
        </p>
      )}
      <div className="new-op-actions">
        <button type="submit" className="primary">
          Add {op}
        </button>
      </div>
      <p className="sr-only" role="status" aria-live="polite">
        {status}
      </p>
    </form>
  );
}

function Field({
  f,
  id,
  value,
  ctx,
  values,
  error,
  onChange,
}: {
  f: FieldSpec;
  id: string;
  value: Value;
  ctx: FormCtx;
  values: Values;
  error: string | undefined;
  onChange: (v: Value) => void;
}) {
  const errId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [error ? errId : '', f.hint ? hintId : ''].filter(Boolean).join(' ');
  const common = {
    id,
    name: f.key,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  } as const;
  const message = error && (
    <span id={errId} className="field-error">
      {error}
    </span>
  );

  if (f.kind === 'bool')
    return (
      <div className={`field field-bool${error ? ' invalid' : ''}`}>
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
        />
        <label htmlFor={id}>{f.label}</label>
        {message}
      </div>
    );

  const label = (
    <label htmlFor={id}>
      {f.label}
      {f.optional && <span className="opt"> (optional)</span>}
    </label>
  );
  const hint = f.hint && (
    <span id={hintId} className="field-hint">
      {f.hint}
    </span>
  );

  if (f.kind === 'select') {
    const choices = f.choices?.(ctx, values) ?? [];
    return (
      <div className={`field${error ? ' invalid' : ''}`}>
        {label}
        <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)}>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
        {hint}
        {message}
      </div>
    );
  }

  const suggestions = f.kind === 'name' ? (f.choices?.(ctx, values) ?? []) : [];
  const listId = `${id}-list`;
  return (
    <div className={`field${f.wide ? ' wide' : ''}${error ? ' invalid' : ''}`}>
      {label}
      <input
        {...common}
        type="text"
        className={
          f.kind === 'u64' || f.kind === 'u64list' || f.kind === 'number' ? 'mono' : undefined
        }
        value={String(value)}
        onChange={(e) => onChange(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        list={suggestions.length ? listId : undefined}
      />
      {suggestions.length > 0 && (
        <datalist id={listId}>
          {suggestions.map((c) => (
            <option key={c.value} value={c.value} />
          ))}
        </datalist>
      )}
      {hint}
      {message}
    </div>
  );
}
