// The Platform dialog (header button): every field of the scenario's platform.smmu and
// platform.cpu, shown with the value the scenario runs on. Edits are checked as they are made —
// an invalid combination says why, in the document validation's or the kernel's own words — and
// Apply writes them into the document: the scenario re-runs from boot, and Undo brings back the
// platform it had.
import { useId, useMemo, useRef, useState, type Ref } from 'react';
import {
  PLATFORM_FIELDS,
  platformValues,
  type PlatformField,
  type PlatformValue,
} from '../../scenario/index.ts';
import { useApp, useAppStore } from '../storeContext.ts';
import { Modal } from '../shell/Modal.tsx';
import {
  draftDoc,
  fieldKey,
  NO_EDITS,
  numberFrom,
  platformOf,
  problemOf,
  type Draft,
} from './platformDraft.ts';
import { FIELD_TEXT, GROUPS, optionText, type PlatformGroup } from './platformText.ts';
import './platform.css';

const groupOf = (f: PlatformField): PlatformGroup => FIELD_TEXT[fieldKey(f)]?.group ?? 'other';

export function PlatformDialog({ onClose }: { readonly onClose: () => void }) {
  const store = useAppStore();
  const doc = useApp((s) => s.doc);
  const [draft, setDraft] = useState<Draft>(NO_EDITS);
  const [applyError, setApplyError] = useState<string | null>(null);
  const uid = useId();
  const first = useRef<HTMLSelectElement>(null);

  const candidate = useMemo(() => draftDoc(doc, draft), [doc, draft]);
  const problem = useMemo(() => problemOf(candidate), [candidate]);
  // What each field shows: the edit, else what the candidate's platform parses to (defaults
  // filled in), else (it does not parse) what the scenario runs on now.
  const shown = useMemo(
    () => platformValues(platformOf(candidate) ?? platformOf(doc)!),
    [candidate, doc],
  );
  const valueOf = (f: PlatformField): PlatformValue =>
    draft.edits[fieldKey(f)] ?? shown[f.section][f.key] ?? '';

  const edit = (f: PlatformField, v: PlatformValue) => {
    setApplyError(null);
    setDraft((d) => ({ ...d, edits: { ...d.edits, [fieldKey(f)]: v } }));
  };
  const edited = draft.fromDefaults || Object.keys(draft.edits).length > 0;
  const apply = () => {
    const err = store.getState().setDoc(candidate, { cursor: store.getState().cursor });
    if (err) setApplyError(err);
    else onClose();
  };

  const titleId = `${uid}-title`;
  const problemId = `${uid}-problem`;
  const message = applyError ?? problem?.message;
  return (
    <Modal
      labelledBy={titleId}
      className="help-dialog platform-dialog"
      testId="platform-dialog"
      initial={first}
      onClose={onClose}
    >
      <div className="help-head">
        <h2 id={titleId}>Platform</h2>
        <button type="button" className="btn" onClick={onClose}>
          Close <span className="kbd-hint">(Esc)</span>
        </button>
      </div>
      <p className="platform-intro">
        The SMMU’s ID registers and sizes, and the CPU’s page tables, that this scenario runs on.
        Apply re-runs it from boot; Undo brings back the platform it had.
      </p>
      <form
        className="platform-form"
        aria-labelledby={titleId}
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem) apply();
        }}
      >
        <div className="platform-groups">
          {GROUPS.map((g) => {
            const fields = PLATFORM_FIELDS.filter((f) => groupOf(f) === g.id);
            if (!fields.length) return null;
            return (
              <fieldset key={g.id} className="platform-group">
                <legend>{g.title}</legend>
                {fields.map((f, i) => (
                  <Field
                    key={fieldKey(f)}
                    f={f}
                    id={`${uid}-${f.section}-${f.key}`}
                    value={valueOf(f)}
                    error={problem?.field === fieldKey(f) ? problem.message : undefined}
                    onChange={(v) => edit(f, v)}
                    inputRef={g.id === GROUPS[0]!.id && i === 0 ? first : undefined}
                  />
                ))}
              </fieldset>
            );
          })}
        </div>
        <div className="platform-foot">
          <p
            id={problemId}
            className={message ? 'platform-problem' : 'platform-ok'}
            role="status"
            aria-live="polite"
            data-testid="platform-problem"
          >
            {message ??
              (edited ? 'This platform boots: Apply re-runs the scenario on it.' : 'No changes.')}
          </p>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setApplyError(null);
              setDraft({ fromDefaults: true, edits: {} });
            }}
          >
            Defaults
          </button>
          <button
            type="submit"
            className="primary"
            disabled={!edited || problem !== null}
            aria-describedby={problemId}
          >
            Apply
          </button>
        </div>
      </form>
    </Modal>
  );
}

function Field({
  f,
  id,
  value,
  error,
  onChange,
  inputRef,
}: {
  readonly f: PlatformField;
  readonly id: string;
  readonly value: PlatformValue;
  readonly error: string | undefined;
  readonly onChange: (v: PlatformValue) => void;
  readonly inputRef?: Ref<HTMLSelectElement> | undefined;
}) {
  const key = fieldKey(f);
  const text = FIELD_TEXT[key];
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${errId} ${hintId}` : hintId,
    'data-testid': `platform-${key}`,
  } as const;
  const label = text?.label ?? f.key;
  const range =
    f.kind === 'int' && f.min !== undefined && f.max !== undefined ? ` · ${f.min}–${f.max}` : '';
  const hint = (
    <span id={hintId} className="field-hint">
      {text?.where ?? `platform.${key}`}
      {range}
    </span>
  );
  const message = error && (
    <span id={errId} className="field-error">
      {error}
    </span>
  );
  if (f.kind === 'bool')
    return (
      <div className={`pf-field pf-bool${error ? ' invalid' : ''}`}>
        <input
          {...common}
          type="checkbox"
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
        />
        <label htmlFor={id}>{label}</label>
        {hint}
        {message}
      </div>
    );
  return (
    <div className={`pf-field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {f.kind === 'choice' ? (
        <select
          {...common}
          ref={inputRef}
          value={String(value)}
          onChange={(e) =>
            onChange(f.options?.find((o) => String(o) === e.target.value) ?? e.target.value)
          }
        >
          {f.options?.map((o) => (
            <option key={String(o)} value={String(o)}>
              {optionText(key, o)}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type="text"
          inputMode={f.kind === 'int' ? 'numeric' : undefined}
          className="mono"
          value={String(value)}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => onChange(f.kind === 'int' ? numberFrom(e.target.value) : e.target.value)}
        />
      )}
      {hint}
      {message}
    </div>
  );
}
