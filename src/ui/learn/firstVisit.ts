// Whether to offer the first-visit tour: only on a first visit (never offered before in this
// browser), without a link (a shared link opens straight on its moment), on the seed story.
// Taking or skipping it is remembered.
import type { KeyValue } from '../../state/index.ts';

export const WELCOMED = 'sva-explorer/learn/welcomed';

export function shouldOffer(kv: KeyValue, hash: string, isSeed: boolean): boolean {
  if (hash.startsWith('#s=') || !isSeed) return false;
  try {
    return kv.getItem(WELCOMED) === null;
  } catch {
    return false;
  }
}

export function remember(kv: KeyValue): void {
  try {
    kv.setItem(WELCOMED, '1');
  } catch {
    // Storage refused: the offer comes back next visit, which is harmless.
  }
}

let landing: string | undefined;

/**
 * The fragment the page was opened with (main.tsx notes it before the URL sync writes the work's
 * own link there): the dock is drawn after the first frame, when the address no longer says
 * whether the visitor came by a link.
 */
export function noteLanding(hash: string): void {
  landing = hash;
}

/** The fragment noted at boot, else the address's own (a dock drawn without main.tsx: tests). */
export const landingHash = (): string => landing ?? window.location.hash;

/** localStorage, or null where the browser refuses it. */
export function browserStorage(): KeyValue | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
