// Opening what the importer built in the page: the document replaces the scenario the way a link
// or an import does (the work it replaces goes to Recent and stays one Undo away), and a
// reproduced event opens at its fault step in the stepper.
import type { Parsed, ScenarioDoc } from '../../scenario/index.ts';
import type { Decoded } from '../../share/index.ts';
import { faultFrom, pushRecent, type AppStore } from '../../state/index.ts';

/** Opens `doc` at `cursor`; returns the error sentence if the page refused it. */
export function openDoc(store: AppStore, doc: ScenarioDoc, what: string): string | null {
  const s = store.getState();
  const before = s.doc;
  const { cursor, ...rest } = doc;
  const err = s.setDoc(rest, cursor ? { cursor: { op: cursor.op, step: cursor.step } } : {});
  if (err) return `${what}: ${err}`;
  pushRecent(localStorage, before, new Date());
  return null;
}

export function openParsed(store: AppStore, p: Parsed | Decoded, what: string): string | null {
  if (!p.ok) return `${what}: ${p.error}`;
  const err = openDoc(store, p.doc, what);
  if (!err) store.getState().setNotice(`${what} opened; your previous scenario is in Recent.`);
  return err;
}

/** Moves the cursor to the first fault step (the event) of op `op`. */
export function cursorAtEvent(store: AppStore, op: number): void {
  const s = store.getState();
  const at = faultFrom(s.timeline, { op, step: -1 }, 1);
  s.setCursor(op, at && at.op === op ? at.step : 0);
}
