// The migration chain: a version-n payload is carried forward one step at a time to the current
// version; versions the page does not know are refused with a sentence, never guessed at.
import { describe, expect, it } from 'vitest';
import { LINK_VERSION, migrate, migrateWith, type Migration } from './migrate.ts';

const v1 = { t: 'a title', o: [['exit', 'p']], c: [0, 2] };

describe('migrate (the shipped chain)', () => {
  it('is the identity on a current-version payload', () => {
    expect(LINK_VERSION).toBe(2);
    expect(migrate(2, v1)).toEqual({ ok: true, value: v1 });
    expect(migrate(2, { ...v1, k: 'mainline' })).toEqual({
      ok: true,
      value: { ...v1, k: 'mainline' },
    });
  });
  it('version 1 → 2 pins "mainline" to the era it meant, v6.11, and keeps every other kernel', () => {
    expect(migrate(1, { ...v1, k: 'mainline' })).toEqual({
      ok: true,
      value: { ...v1, k: 'v6.11' },
    });
    expect(migrate(1, v1)).toEqual({ ok: true, value: v1 });
    expect(migrate(1, { ...v1, k: 'rfc2017' })).toEqual({
      ok: true,
      value: { ...v1, k: 'rfc2017' },
    });
  });
  it('refuses a version above the current one', () => {
    expect(migrate(LINK_VERSION + 1, v1)).toEqual({
      ok: false,
      error: `the link is version ${LINK_VERSION + 1}; this page reads up to ${LINK_VERSION}`,
    });
  });
  it('refuses versions that are not positive whole numbers', () => {
    for (const v of [0, -1, 1.5, Number.NaN])
      expect(migrate(v, v1)).toEqual({
        ok: false,
        error: 'the link is malformed: it does not start with a format version',
      });
  });
  it('refuses a payload without a list of ops', () => {
    for (const bad of [null, 3, 'x', [], {}, { o: {} }])
      expect(migrate(1, bad)).toEqual({
        ok: false,
        error: 'the link is damaged: it holds no list of ops',
      });
  });
});

describe('migrateWith (a longer chain, as future versions will ship)', () => {
  // A made-up history: v1 named the title "title", v2 renamed it "t", v3 added a kernel field.
  const steps = new Map<number, Migration>([
    [
      1,
      (v) => {
        const { title, ...rest } = v as { title?: string };
        return { ...rest, t: title };
      },
    ],
    [2, (v) => ({ ...(v as object), k: 'rfc2017' })],
  ]);
  const current = { t: 'x', o: [], k: 'rfc2017' };

  it('runs every step from the link’s version to the current one, in order', () => {
    expect(migrateWith(steps, 3, 1, { title: 'x', o: [] })).toEqual({ ok: true, value: current });
    expect(migrateWith(steps, 3, 2, { t: 'x', o: [] })).toEqual({ ok: true, value: current });
    expect(migrateWith(steps, 3, 3, current)).toEqual({ ok: true, value: current });
  });
  it('names a missing step', () => {
    expect(migrateWith(new Map([[2, steps.get(2)!]]), 3, 1, { o: [] })).toEqual({
      ok: false,
      error: 'no migration from link version 1',
    });
  });
  it('turns a step that throws on a malformed payload into a sentence', () => {
    const throwing = new Map<number, Migration>([
      [
        1,
        () => {
          throw new TypeError('cannot read properties of null');
        },
      ],
    ]);
    expect(migrateWith(throwing, 2, 1, null)).toEqual({
      ok: false,
      error: 'the link is damaged: its version 1 data cannot be upgraded',
    });
  });
  it('does not find steps on Object.prototype', () => {
    // A Map, so a version such as "constructor" could never select an inherited function.
    expect(migrateWith(new Map(), 2, 1, { o: [] })).toEqual({
      ok: false,
      error: 'no migration from link version 1',
    });
  });
});
