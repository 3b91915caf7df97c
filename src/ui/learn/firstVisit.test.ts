// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { landingHash, noteLanding, shouldOffer } from './firstVisit.ts';

describe('the first-visit offer and the address the page was opened with', () => {
  it('reads the address until boot notes its fragment, then the noted one', () => {
    window.location.hash = '#s=abc';
    expect(landingHash()).toBe('#s=abc');
    // Boot noted an empty fragment; the URL sync then wrote the work's own link.
    noteLanding('');
    window.location.hash = '#s=the-work';
    expect(landingHash()).toBe('');
    const kv = new Map<string, string>();
    const store = { getItem: (k: string) => kv.get(k) ?? null, setItem: () => undefined };
    expect(shouldOffer(store, landingHash(), true)).toBe(true);
    noteLanding('#s=a-link');
    expect(shouldOffer(store, landingHash(), true)).toBe(false);
  });
});
