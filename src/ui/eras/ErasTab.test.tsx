// @vitest-environment jsdom
// Comparing the default scenario under two eras on the page: the timeline marks the ops eraDiff
// finds different, and the Eras tab shows the op at the cursor under both, field by field. The
// values themselves are eraDiff's (tested against hand-derived values in eraDiff.test.ts); here
// the page must show them.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { compareAt, diffOps, seedStory } from '../../scenario/index.ts';
import { createAppStore, type AppStore } from '../../state/index.ts';
import { Header } from '../shell/Header.tsx';
import { StoreContext } from '../storeContext.ts';
import { TimelinePanel } from '../timeline/TimelinePanel.tsx';
import { ErasTab } from './ErasTab.tsx';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function setup(): AppStore {
  const store = createAppStore(seedStory);
  render(
    <StoreContext.Provider value={store}>
      <Header />
      <TimelinePanel />
      <ErasTab />
    </StoreContext.Provider>,
  );
  return store;
}

describe('Eras tab and timeline marks', () => {
  it('without a compare era the tab says how to choose one', () => {
    setup();
    expect(screen.getByTestId('eras-tab').textContent).toMatch(/Choose an era under Compare/);
    expect(screen.queryAllByTestId('era-diff-mark')).toHaveLength(0);
  });

  it('marks the differing ops and shows the op at the cursor under both eras', () => {
    const store = setup();
    fireEvent.change(screen.getByRole('combobox', { name: 'Compare with kernel era' }), {
      target: { value: 'v6.11' },
    });
    const s = store.getState();
    const other = s.compare && 'timeline' in s.compare ? s.compare.timeline : null;
    expect(other).not.toBeNull();
    const kinds = diffOps(s.timeline, other!);
    const marked = screen
      .getAllByTestId('era-diff-mark')
      .map((m) => Number(m.closest('li')!.getAttribute('data-op')));
    expect(marked).toEqual(kinds.flatMap((k, i) => (k === 'differs' ? [i] : [])));
    expect(marked).toContain(25); // the SVA bind
    expect(screen.getByTestId('eras-count').textContent).toBe(
      `${marked.length} of ${kinds.length} ops differ between rfc2017 and v6.11`,
    );

    act(() => store.getState().setCursor(25));
    const want = compareAt(s.timeline, other!, 25);
    const cd = want.structures.find((x) => x.title === 'CD 3 of accel')!;
    const asid = cd.fields.find((f) => f.label === 'ASID')!;
    expect(asid.differs).toBe(true);
    const section = screen.getByTestId('eras-structure-CD 3 of accel');
    const row = within(section).getByTestId('eras-field-ASID');
    expect(
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual([asid.a, asid.b]);
    expect(row.getAttribute('data-differs')).toBe('true');

    // Next difference moves the cursor to the next marked op.
    fireEvent.click(screen.getByTestId('eras-next'));
    expect(store.getState().cursor.op).toBe(marked.find((i) => i > 25));
  });
});
