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

/** localStorage, or null where the browser refuses it. */
export function browserStorage(): KeyValue | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
