// @vitest-environment jsdom
// The header's kernel era selector says what each era models and changed — the chosen one as the
// select's accessible description (and its tooltip), each option in its own tooltip — all read
// from the eras (src/kernel/eras); the help overlay lists every era with its changes.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ERAS, eraOf } from '../../kernel/index.ts';
import { seedStory } from '../../scenario/index.ts';
import { createAppStore, type AppStore } from '../../state/index.ts';
import { StoreContext } from '../storeContext.ts';
import { Header } from './Header.tsx';

afterEach(() => {
  cleanup();
  delete document.documentElement.dataset['theme'];
  localStorage.clear();
});

function setup(): AppStore {
  const store = createAppStore(seedStory);
  render(
    <StoreContext.Provider value={store}>
      <Header />
    </StoreContext.Provider>,
  );
  return store;
}

const select = (): HTMLSelectElement =>
  screen.getByRole<HTMLSelectElement>('combobox', { name: 'Kernel era' });

/** The accessible description: the text of the elements aria-describedby names. */
function description(el: Element): string {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  expect(ids.length).toBeGreaterThan(0);
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

const NOTES = /kernel notes of each op/;

describe('Header kernel era selector', () => {
  it('describes the chosen era — summary and every change — and points to the kernel notes', () => {
    const store = setup();
    expect(store.getState().doc.kernel).toBe('rfc2017');
    const d = description(select());
    expect(d).toContain(eraOf('rfc2017').summary);
    expect(d).toMatch(/cyclic IDR/);
    expect(d).toMatch(NOTES);
    expect(select().title).toMatch(/cyclic IDR/);
    fireEvent.change(select(), { target: { value: 'v6.7' } });
    expect(store.getState().doc.kernel).toBe('v6.7');
    const m = description(select());
    const era = eraOf('v6.7');
    expect(m).toContain(era.summary);
    for (const c of era.changes) {
      expect(m).toContain(c.what);
      expect(m).toContain(c.where);
    }
    expect(m).not.toMatch(/cyclic IDR/);
  });

  it('lists every era in time order, each option with a tooltip of its own', () => {
    setup();
    const options = within(select()).getAllByRole<HTMLOptionElement>('option');
    expect(options.map((o) => o.value)).toEqual(ERAS.map((e) => e.id));
    expect(options[0]!.textContent).toBe(
      'rfc2017 · The 2017 RFCv2 series, never merged · v4.14–v5.14',
    );
    expect(options.at(-1)!.textContent).toMatch(/^mainline · .* · v7\.2–$/);
    ERAS.forEach((e, i) => {
      expect(options[i]!.title).toContain(e.summary);
      for (const c of e.changes) expect(options[i]!.title).toContain(c.where);
    });
  });

  it('the compare selector offers the other eras; choosing one stores it', () => {
    const store = setup();
    const cmp = screen.getByRole<HTMLSelectElement>('combobox', {
      name: 'Compare with kernel era',
    });
    const values = within(cmp)
      .getAllByRole<HTMLOptionElement>('option')
      .map((o) => o.value);
    expect(values).toEqual(['', ...ERAS.map((e) => e.id).filter((id) => id !== 'rfc2017')]);
    fireEvent.change(cmp, { target: { value: 'v6.11' } });
    expect(store.getState().compareEra).toBe('v6.11');
  });

  it('the help lists every era with what it changed, and where the details are', async () => {
    setup();
    fireEvent.click(screen.getByRole('button', { name: 'Keyboard shortcuts and help' }));
    // The help is a chunk of its own (ui/lazy.tsx): it opens once its code has arrived.
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    const section = within(dialog).getByRole('region', { name: 'Kernel eras' });
    const terms = within(section)
      .getAllByRole('term')
      .map((t) => t.textContent ?? '');
    expect(terms.map((t) => t.split(' ')[0])).toEqual(ERAS.map((e) => e.id));
    const defs = within(section)
      .getAllByRole('definition')
      .map((t) => t.textContent ?? '');
    ERAS.forEach((e, i) => {
      expect(defs[i]).toContain(e.summary);
      for (const c of e.changes) expect(defs[i]).toContain(c.where);
    });
    expect(section.textContent).toMatch(NOTES);
    for (const s of ['Scenario', 'Timeline', 'Diagram', 'Stepper', 'Kernel eras'])
      expect(within(dialog).getByRole('heading', { name: s })).toBeTruthy();
  });
});
