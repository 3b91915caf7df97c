// @vitest-environment jsdom
// The header's kernel selector says what each profile models — the chosen one as the select's
// accessible description (and its tooltip), each option in its own tooltip — and points to the
// kernel notes of each op for the details; the help overlay lists both profiles.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
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
  screen.getByRole<HTMLSelectElement>('combobox', { name: 'Kernel profile' });

/** The accessible description: the text of the elements aria-describedby names. */
function description(el: Element): string {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  expect(ids.length).toBeGreaterThan(0);
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

// What each profile must say it models (docs/research/mainline-profile.md, architecture.md).
const RFC2017 = [/iommu_process/, /cyclic IDR/, /freed at exit/, /-ESRCH/, /pinned/, /BTM/, /PRI/];
const MAINLINE = [
  /global IDA/,
  /lowest free/,
  /held until the mm is freed/,
  /SVA domain per mm with its own SMMU ASID/,
  /EPD0=1 until the driver’s late unbind/,
  /PRI requests denied/,
];
const NOTES = /kernel notes of each op/;

describe('Header kernel selector', () => {
  it('describes the chosen profile and points to the kernel notes', () => {
    const store = setup();
    expect(store.getState().doc.kernel).toBe('rfc2017');
    const d = description(select());
    for (const re of [...RFC2017, NOTES]) expect(d).toMatch(re);
    expect(d).not.toMatch(/global IDA/);
    expect(select().title).toMatch(/cyclic IDR/);
    expect(select().title).toMatch(NOTES);
    fireEvent.change(select(), { target: { value: 'mainline' } });
    expect(store.getState().doc.kernel).toBe('mainline');
    const m = description(select());
    for (const re of [...MAINLINE, NOTES]) expect(m).toMatch(re);
    expect(m).not.toMatch(/cyclic IDR/);
    expect(select().title).toMatch(/global IDA/);
  });

  it('gives each option a tooltip of its own and keeps the option names', () => {
    setup();
    const options = within(select()).getAllByRole<HTMLOptionElement>('option');
    expect(options.map((o) => [o.value, o.textContent])).toEqual([
      ['rfc2017', 'rfc2017 (RFCv2 series)'],
      ['mainline', 'mainline'],
    ]);
    for (const re of RFC2017) expect(options[0]!.title).toMatch(re);
    for (const re of MAINLINE) expect(options[1]!.title).toMatch(re);
  });

  it('the help lists both profiles and where the details are', () => {
    setup();
    fireEvent.click(screen.getByRole('button', { name: 'Keyboard shortcuts and help' }));
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const section = within(dialog).getByRole('region', { name: 'Kernel profiles' });
    const terms = within(section)
      .getAllByRole('term')
      .map((t) => t.textContent);
    expect(terms).toEqual(['rfc2017 (RFCv2 series)', 'mainline']);
    const defs = within(section)
      .getAllByRole('definition')
      .map((t) => t.textContent ?? '');
    for (const re of RFC2017) expect(defs[0]).toMatch(re);
    for (const re of MAINLINE) expect(defs[1]).toMatch(re);
    expect(section.textContent).toMatch(NOTES);
    // The shortcut sections are still there, and the profiles section is reachable by heading.
    for (const s of ['Scenario', 'Timeline', 'Diagram', 'Stepper', 'Kernel profiles'])
      expect(within(dialog).getByRole('heading', { name: s })).toBeTruthy();
  });
});
