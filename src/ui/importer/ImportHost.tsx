// The page's way in for pasted and dropped text: a paste (Ctrl+V / ⌘V) anywhere outside a text
// field, or a file or text dropped on the page, opens the importer with it. Other parts of the
// page hand text over with requestImport (the Share box does, for anything that is not a link).
import { useEffect, useState } from 'react';
import type { AppStore } from '../../state/index.ts';
import { useAppStore } from '../storeContext.ts';
import { ImportDialog, Loading, ReplayBanner } from '../lazy.tsx';
import type { Reproduced } from './ImportDialog.tsx';
import { fileText } from './fileText.ts';
import './importer.css';

type Request = (text: string, source: string) => void;
const hosts = new WeakMap<AppStore, Request>();

/** Opens the importer of this page with `text`; false when the page has none. */
export function requestImport(store: AppStore, text: string, source = 'pasted text'): boolean {
  const h = hosts.get(store);
  h?.(text, source);
  return h !== undefined;
}

/** A target where a paste belongs to the field, not to the page. */
const editable = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement &&
  (t.isContentEditable ||
    t.tagName === 'INPUT' ||
    t.tagName === 'TEXTAREA' ||
    t.tagName === 'SELECT');

export function ImportHost() {
  const store = useAppStore();
  const [job, setJob] = useState<{ text: string; source: string; id: number } | null>(null);
  const [done, setDone] = useState<Reproduced | null>(null);

  useEffect(() => {
    let n = 0;
    const open: Request = (text, source) => setJob({ text, source, id: ++n });
    hosts.set(store, open);
    const onPaste = (e: ClipboardEvent) => {
      if (editable(e.target) || editable(document.activeElement)) return;
      const text = e.clipboardData?.getData('text/plain') ?? '';
      if (!text) return;
      e.preventDefault();
      open(text, 'pasted text');
    };
    const onDragOver = (e: DragEvent) => {
      if (editable(e.target)) return;
      const types = e.dataTransfer?.types ?? [];
      if (types.includes('Files') || types.includes('text/plain')) e.preventDefault();
    };
    const onDrop = (e: DragEvent) => {
      if (editable(e.target) || !e.dataTransfer) return;
      const file = e.dataTransfer.files[0];
      const text = e.dataTransfer.getData('text/plain');
      if (!file && !text) return;
      e.preventDefault();
      if (file) void fileText(file).then((t) => open(t, file.name));
      else open(text, 'dropped text');
    };
    document.addEventListener('paste', onPaste);
    document.addEventListener('dragover', onDragOver);
    document.addEventListener('drop', onDrop);
    return () => {
      hosts.delete(store);
      document.removeEventListener('paste', onPaste);
      document.removeEventListener('dragover', onDragOver);
      document.removeEventListener('drop', onDrop);
    };
  }, [store]);

  return (
    <>
      {job && (
        <Loading>
          <ImportDialog
            key={job.id}
            text={job.text}
            source={job.source}
            onClose={() => setJob(null)}
            onReproduced={setDone}
          />
        </Loading>
      )}
      {done && (
        <Loading>
          <ReplayBanner r={done} onClose={() => setDone(null)} />
        </Loading>
      )}
    </>
  );
}
