// @vitest-environment jsdom
// The Share dialog: the link of this moment, no link (with the reason) for a scenario a link
// cannot carry, the document as JSON, and pasted links that fail with their own sentence.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedStory, type OpDoc, type ScenarioDoc } from '../../scenario/index.ts';
import { decodeLink, encodeLink } from '../../share/index.ts';
import { createAppStore, loadRecent, stepCount, type AppStore } from '../../state/index.ts';
import { StoreContext } from '../storeContext.ts';
import { ShareDialog } from './ShareDialog.tsx';

beforeEach(() => localStorage.clear());
afterEach(cleanup);

const mine: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 2,
  title: 'mine',
  ops: [{ op: 'process', name: 'bash' }],
};

function setup(doc: ScenarioDoc = mine): AppStore {
  const store = createAppStore(doc);
  render(
    <StoreContext.Provider value={store}>
      <ShareDialog onClose={() => {}} />
    </StoreContext.Provider>,
  );
  return store;
}
const copy = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Copy link' });
const paste = (text: string) => {
  fireEvent.change(screen.getByTestId('share-paste'), { target: { value: text } });
  fireEvent.click(screen.getByRole('button', { name: 'Load pasted' }));
};

describe('the link', () => {
  it('is this page plus the fragment of the moment shown', () => {
    const store = setup(seedStory);
    act(() => store.getState().setCursor(26, 4));
    const link = screen.getByTestId<HTMLInputElement>('share-link').value;
    expect(link.startsWith(`${location.origin}${location.pathname}#s=2.`)).toBe(true);
    const d = decodeLink(link);
    expect(d.ok && d.doc.cursor).toEqual({ op: 26, step: 4 });
    expect(copy().disabled).toBe(false);
    expect(screen.queryByTestId('share-no-link')).toBeNull();
  });

  it('names the moment as the timeline and the stepper do: step 8 is cursor step 7', () => {
    const store = setup(seedStory);
    act(() => store.getState().setCursor(26, 7));
    const n = stepCount(store.getState());
    expect(n).toBeGreaterThan(8);
    expect(screen.getByText(/^Link to op/).textContent).toMatch(
      new RegExp(`^Link to op 26, step 8 / ${n} \\(`),
    );
    // A cursor past the last step is shown at the last step, as the stepper clamps it.
    act(() => store.getState().setCursor(26, 999));
    expect(screen.getByText(/^Link to op/).textContent).toMatch(`step ${n} / ${n}`);
    act(() => store.getState().setCursor(-1));
    expect(screen.getByText(/^Link to the moment after boot/)).toBeTruthy();
  });

  it('is withheld, with the reason, for a scenario over a link’s limits', () => {
    // 5,001 ops, each failing fast (no such process): over the 5,000 a link may hold.
    const ops: OpDoc[] = Array.from({ length: 5_001 }, () => ({ op: 'exit', proc: 'nobody' }));
    setup({ ...mine, ops });
    expect(screen.getByTestId<HTMLInputElement>('share-link').value).toBe('');
    expect(copy().disabled).toBe(true);
    expect(screen.getByTestId('share-no-link').textContent).toBe(
      'This scenario has no link: the scenario has 5,001 ops; links may have at most 5,000. ' +
        'Export it as a JSON file instead; your work is kept in this browser.',
    );
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Export JSON' }).disabled).toBe(
      false,
    );
  });

  it('is withheld when it would be longer than a sensible link', () => {
    // 300 processes with names that do not compress: well over 8,000 characters of link.
    let x = 88172645;
    const name = (): string => {
      let s = '';
      for (let i = 0; i < 40; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        s += 'abcdefghijklmnopqrstuvwxyz0123456789'[(x >>> 0) % 36];
      }
      return s;
    };
    const ops: OpDoc[] = Array.from({ length: 300 }, () => ({ op: 'process', name: name() }));
    setup({ ...mine, ops });
    expect(copy().disabled).toBe(true);
    expect(screen.getByTestId('share-no-link').textContent).toMatch(
      /^This scenario is too large for a sensible link \([\d,]+ characters\)\. Export it as a JSON file instead\.$/,
    );
  });
});

describe('view as JSON', () => {
  it('shows the document the link holds: the scenario and the cursor', () => {
    const store = setup(seedStory);
    act(() => store.getState().setCursor(26, 4));
    const shown = JSON.parse(screen.getByTestId('share-json').textContent ?? '') as unknown;
    expect(shown).toEqual({ ...seedStory, cursor: { op: 26, step: 4 } });
  });
});

describe('pasting', () => {
  it('names a bad link’s own error, not a JSON error', () => {
    const store = setup();
    paste(encodeLink(seedStory).replace('#s=2.', '#s=3.'));
    expect(screen.getByTestId('share-error').textContent).toBe(
      'pasted link: the link is version 3; this page reads up to 2',
    );
    expect(store.getState().doc).toEqual(mine);
  });

  it('refuses a link whose scenario fails to run, leaving the work and Recent alone', () => {
    const store = setup();
    const huge = {
      ...seedStory,
      platform: { smmu: { streamTable: 'linear' as const, sidBits: 32 } },
    };
    paste(`https://example.org/sva/${encodeLink(huge)}`);
    expect(screen.getByTestId('share-error').textContent).toMatch(/^pasted link: .+/);
    expect(store.getState().doc).toEqual(mine);
    expect(loadRecent(localStorage)).toEqual([]);
  });

  it('opens a good link and keeps the earlier work in Recent', () => {
    const store = setup();
    paste(encodeLink({ ...seedStory, cursor: { op: 26, step: 4 } }));
    expect(screen.queryByTestId('share-error')).toBeNull();
    expect(store.getState().doc.title).toBe(seedStory.title);
    expect(store.getState().cursor).toEqual({ op: 26, step: 4 });
    expect(loadRecent(localStorage).map((e) => e.doc)).toEqual([mine]);
  });

  it('names the field of invalid pasted JSON', () => {
    setup();
    paste('{"format":"sva-explorer/scenario","version":1,"ops":[{"op":"exit"}]}');
    expect(screen.getByTestId('share-error').textContent).toBe(
      'pasted text: ops[0].proc: required',
    );
  });
});
