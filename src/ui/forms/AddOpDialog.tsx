// "Add an op" as a dialog over the page (issue 10: the form left the timeline's column so the
// diagram gets the room). It opens from the timeline's button or the n key and stays open while
// ops are added one after another, beside the timeline that grows; it is not modal, so the
// timeline and the diagram stay usable. Escape or ✕ closes it and gives focus back.
import { useEffect, useRef } from 'react';
import { useApp, useAppStore } from '../storeContext.ts';
import { NEW_OP_KIND_ID, NewOpForm } from './NewOpForm.tsx';

/** The timeline's "Add an op" button: focus returns there when nothing else can take it. */
export const ADD_OP_BUTTON_ID = 'add-op-button';
export const ADD_OP_DIALOG_ID = 'add-op-dialog';

export function AddOpDialog() {
  const store = useAppStore();
  const open = useApp((s) => s.addingOp);
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (!open) return;
    const before = document.activeElement;
    opener.current = before instanceof HTMLElement && before !== document.body ? before : null;
    document.getElementById(NEW_OP_KIND_ID)?.focus();
  }, [open]);
  if (!open) return null;
  const close = () => {
    store.getState().setAddingOp(false);
    const back = opener.current?.isConnected
      ? opener.current
      : document.getElementById(ADD_OP_BUTTON_ID);
    back?.focus();
  };
  return (
    <div
      id={ADD_OP_DIALOG_ID}
      className="add-op-dialog"
      role="dialog"
      aria-label="Add an op"
      data-testid="add-op-dialog"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        e.stopPropagation();
        close();
      }}
    >
      <NewOpForm onClose={close} />
    </div>
  );
}
