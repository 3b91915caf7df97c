// Reading pasted or dropped text without freezing the page: the log importer runs as slices of
// bounded work (dmesgSlices), one slice per macrotask with a frame's budget, and can be
// cancelled. Maps text is small (at most 65,536 mappings read) and read at once; scenario
// documents and links go through the share layer's own checks.
import {
  dmesgSlices,
  groupEvents,
  parseMaps,
  recognise,
  type DmesgOk,
  type EventGroup,
  type MapsOk,
  type TextKind,
} from '../../logs/index.ts';
import { decodeLink, importJson, type Decoded } from '../../share/index.ts';
import type { Parsed } from '../../scenario/index.ts';

export type ImportState =
  | { readonly kind: 'reading'; readonly done: number; readonly total: number }
  | {
      readonly kind: 'dmesg';
      readonly log: DmesgOk;
      readonly groups: EventGroup[];
      readonly ms: number;
    }
  | { readonly kind: 'maps'; readonly maps: MapsOk }
  | { readonly kind: 'scenario' | 'link'; readonly parsed: Parsed | Decoded }
  | { readonly kind: 'error'; readonly what: TextKind; readonly message: string };

/** Work per slice: a little under a 60 Hz frame, so input and paint keep going. */
const BUDGET_MS = 12;

const defer = (f: () => void): void => {
  // A macrotask, so the browser paints and handles input between slices.
  setTimeout(f, 0);
};

/** Starts reading `text`; `update` gets each state. Returns a function that cancels the read. */
export function startImport(text: string, update: (s: ImportState) => void): () => void {
  let cancelled = false;
  const kind = recognise(text);
  switch (kind) {
    case 'empty':
      update({ kind: 'error', what: kind, message: 'The text is empty.' });
      return () => {};
    case 'binary':
      update({
        kind: 'error',
        what: kind,
        message:
          'This looks like binary data, not text: nothing to import. A kernel log, /proc/PID/maps text, a scenario (JSON) or a link can be pasted or dropped here.',
      });
      return () => {};
    case 'scenario':
      update({ kind, parsed: importJson(text) });
      return () => {};
    case 'link':
      update({ kind, parsed: decodeLink(text.trim()) });
      return () => {};
    case 'maps': {
      const r = parseMaps(text);
      update(r.ok ? { kind, maps: r } : { kind: 'error', what: kind, message: r.message });
      return () => {};
    }
    case 'dmesg':
    case 'unknown':
      break;
  }
  const t0 = performance.now();
  const it = dmesgSlices(text);
  const step = (): void => {
    if (cancelled) return;
    const until = performance.now() + BUDGET_MS;
    for (;;) {
      const r = it.next();
      if (r.done) {
        const v = r.value;
        update(
          v.ok
            ? { kind: 'dmesg', log: v, groups: groupEvents(v.events), ms: performance.now() - t0 }
            : {
                kind: 'error',
                what: kind,
                message:
                  kind === 'unknown'
                    ? `Nothing here was recognised: ${v.message}. The page imports arm-smmu-v3 kernel logs, /proc/PID/maps text, scenarios (JSON) and share links.`
                    : v.message,
              },
        );
        return;
      }
      if (performance.now() >= until) {
        update({ kind: 'reading', done: r.value.done, total: r.value.total });
        defer(step);
        return;
      }
    }
  };
  update({ kind: 'reading', done: 0, total: 0 });
  defer(step);
  return () => {
    cancelled = true;
  };
}
