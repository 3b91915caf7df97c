// Adding a note at the cursor's moment, on the current selection if there is one. The text is
// checked by the same schema as a document's (at most 800 characters, not empty); the refusal is
// shown in place and the document is left as it was.
import { useState } from 'react';
import {
  loadValidation,
  MAX_TEXT,
  TARGET_STRUCTS,
  validationLoaded,
  type StopDoc,
  type TargetDoc,
  type TourDoc,
} from '../../scenario/index.ts';
import type { Selection } from '../../state/index.ts';
import { useAppStore } from '../storeContext.ts';

function targetOf(sel: Selection | null): TargetDoc | undefined {
  if (!sel) return undefined;
  if (sel.kind === 'reg') return { reg: sel.reg };
  if (!(TARGET_STRUCTS as readonly string[]).includes(sel.struct)) return undefined;
  return {
    struct: sel.struct as (typeof TARGET_STRUCTS)[number],
    pa: `0x${sel.pa.toString(16)}`,
    ...(sel.level !== undefined ? { level: sel.level } : {}),
    ...(sel.stage !== undefined ? { stage: sel.stage } : {}),
  };
}

export const MY_TOUR = 'My tour';

function withStop(tours: readonly TourDoc[], stop: StopDoc): TourDoc[] {
  const i = tours.findIndex((t) => t.title === MY_TOUR);
  if (i < 0) return [...tours, { title: MY_TOUR, stops: [stop] }];
  return tours.map((t, j) => (j === i ? { ...t, stops: [...t.stops, stop] } : t));
}

export function NoteForm({ onDone }: { onDone: () => void }) {
  const store = useAppStore();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [asStop, setAsStop] = useState(false);
  const save = () => {
    const s = store.getState();
    if (s.cursor.op < 0) return setError('There is no op to attach a note to yet.');
    const on = targetOf(s.selection);
    const at = { op: s.cursor.op, step: s.cursor.step };
    // A stop goes to the end of the user's own tour ("My tour"), made on its first stop.
    const doc = asStop
      ? { ...s.doc, tours: withStop(s.doc.tours ?? [], { at, ...(on ? { focus: on } : {}), text }) }
      : { ...s.doc, notes: [...(s.doc.notes ?? []), { at, ...(on ? { on } : {}), text }] };
    const err = s.setDoc(doc, { cursor: s.cursor });
    if (err) return setError(err);
    onDone();
  };
  return (
    <form
      className="learn-form"
      aria-label="New note"
      onSubmit={(e) => {
        e.preventDefault();
        // A note is user text: checked by the document schema, loaded on demand.
        if (validationLoaded()) save();
        else void loadValidation().then(save);
      }}
    >
      <label>
        Note at this moment
        <textarea
          value={text}
          maxLength={MAX_TEXT}
          rows={3}
          onChange={(e) => setText(e.target.value)}
          placeholder="Plain text; **bold**, *emphasis*, `code`, [[STE]]"
        />
      </label>
      <label className="learn-check">
        <input type="checkbox" checked={asStop} onChange={(e) => setAsStop(e.target.checked)} /> as
        the next stop of {MY_TOUR}
      </label>
      {error && (
        <p role="alert" className="learn-error">
          {error}
        </p>
      )}
      <div className="learn-buttons">
        <button type="submit" disabled={text.trim() === ''}>
          Save
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
