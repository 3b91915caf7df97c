// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPresets, seedStory } from '../../scenario/index.ts';
import { createAppStore, type AppStore } from '../../state/index.ts';
import { Header } from '../shell/Header.tsx';
import { StoreContext } from '../storeContext.ts';
import { TimelinePanel } from './TimelinePanel.tsx';
import { groupHex, opSummary } from './describe.ts';

afterEach(() => {
  cleanup();
  delete document.documentElement.dataset['theme'];
  localStorage.clear();
});

function setup(doc = seedStory): AppStore {
  const store = createAppStore(doc);
  render(
    <StoreContext.Provider value={store}>
      <Header />
      <TimelinePanel />
    </StoreContext.Provider>,
  );
  return store;
}

const row = (i: number) => screen.getByTestId(i < 0 ? 'timeline-boot' : `timeline-op-${i}`);
const mainButton = (i: number) => within(row(i)).getAllByRole('button')[0]!;

describe('TimelinePanel', () => {
  it('lists boot and every op with its result; the last op is current', () => {
    setup();
    expect(row(-1).textContent).toContain('boot');
    expect(row(15).textContent).toContain('bind gpu ↔ compositor (private tables)');
    expect(row(15).textContent).toContain('PASID 1');
    expect(row(24).textContent).toMatch(/touch ml w 0x7f00_0000_0000.*PA 0x/);
    expect(row(27).textContent).toContain('dma: translated → PA');
    expect(row(27).textContent).toContain('PRI SUCCESS');
    expect(mainButton(28).getAttribute('aria-current')).toBe('step');
  });

  it('clicking a row moves the cursor; arrows and j/k move it from the list', () => {
    const store = setup();
    fireEvent.click(mainButton(3));
    expect(store.getState().cursor.op).toBe(3);
    expect(mainButton(3).getAttribute('aria-current')).toBe('step');
    mainButton(3).focus();
    fireEvent.keyDown(mainButton(3), { key: 'ArrowDown' });
    expect(store.getState().cursor.op).toBe(4);
    expect(document.activeElement).toBe(mainButton(4));
    fireEvent.keyDown(mainButton(4), { key: 'k' });
    fireEvent.keyDown(mainButton(3), { key: 'k' });
    expect(store.getState().cursor.op).toBe(2);
  });

  it('expands the kernel notes of a row', () => {
    setup();
    const toggle = within(row(-1)).getByRole('button', { name: /Kernel notes of boot/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(within(row(-1)).getByRole('list').textContent).toContain('arm-smmu-v3');
  });

  it('deleting an op replays the rest: downstream errors show', () => {
    const store = setup();
    fireEvent.click(mainButton(22)); // process ml
    fireEvent.click(within(row(22)).getByRole('button', { name: 'Delete op 22' }));
    expect(store.getState().doc.ops.length).toBe(seedStory.ops.length - 1);
    expect(row(22).textContent).toContain('mmap ml');
    expect(row(22).textContent).toContain('-ESRCH');
    expect(screen.getByText(/errors?$/).textContent).toMatch(/\d+ errors?/);
    // Undo brings it back (header button, enabled now).
    fireEvent.click(screen.getByRole('button', { name: /Undo/ }));
    expect(store.getState().doc.ops.length).toBe(seedStory.ops.length);
  });

  it("counts an example's intended errors apart and says why at each op", async () => {
    const g6 = (await loadPresets()).find((p) => p.id === 'exit-then-unbind')!;
    const store = setup(g6.doc);
    // The examples' chunk arrives after the first render (the page loads it on demand).
    expect((await screen.findByTestId('timeline-expected')).textContent).toBe(
      ' · 2 expected errors',
    );
    expect(document.querySelector('.tl-errors')).toBeNull();
    expect(row(8).textContent).toContain('-ESRCH');
    expect(screen.getByTestId('timeline-expected-8').textContent).toBe(
      `Expected: ${g6.expectedErrors![0]!.why}`,
    );
    // Changed under the kernel it was written for, the errors are the user's again.
    act(() => void store.getState().setKernel('mainline'));
    expect(screen.queryByTestId('timeline-expected')).toBeNull();
    expect(screen.queryByTestId('timeline-expected-8')).toBeNull();
    expect(document.querySelector('.tl-errors')?.textContent).toMatch(/\d+ errors?$/);
  });

  it('moves the selected op with its buttons and Alt+arrows', () => {
    const store = setup();
    fireEvent.click(mainButton(14)); // process game
    fireEvent.click(within(row(14)).getByRole('button', { name: 'Move op 14 up' }));
    expect(store.getState().doc.ops[13]).toEqual({ op: 'process', name: 'game' });
    expect(store.getState().cursor.op).toBe(13);
    fireEvent.keyDown(window, { key: 'ArrowDown', altKey: true });
    expect(store.getState().doc.ops[14]).toEqual({ op: 'process', name: 'game' });
  });
});

describe('Header and shortcuts', () => {
  it('undo/redo buttons are disabled with no history; Ctrl+Z and Ctrl+Shift+Z work', () => {
    const store = setup();
    const undo = screen.getByRole('button', { name: /Undo/ });
    const redo = screen.getByRole('button', { name: /Redo/ });
    expect((undo as HTMLButtonElement).disabled).toBe(true);
    expect((redo as HTMLButtonElement).disabled).toBe(true);
    fireEvent.keyDown(window, { key: 'Delete' });
    expect(store.getState().doc.ops.length).toBe(seedStory.ops.length - 1);
    expect((undo as HTMLButtonElement).disabled).toBe(false);
    fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    expect(store.getState().doc.ops.length).toBe(seedStory.ops.length);
    expect((redo as HTMLButtonElement).disabled).toBe(false);
    fireEvent.keyDown(window, { key: 'Z', ctrlKey: true, shiftKey: true });
    expect(store.getState().doc.ops.length).toBe(seedStory.ops.length - 1);
    fireEvent.keyDown(window, { key: 'z', ctrlKey: true });
    fireEvent.keyDown(window, { key: 'y', ctrlKey: true });
    expect(store.getState().doc.ops.length).toBe(seedStory.ops.length - 1);
  });

  it('t cycles the theme on <html>', () => {
    setup();
    fireEvent.keyDown(window, { key: 't' });
    expect(document.documentElement.dataset['theme']).toBe('light');
    fireEvent.keyDown(window, { key: 't' });
    expect(document.documentElement.dataset['theme']).toBe('dark');
    fireEvent.keyDown(window, { key: 't' });
    expect(document.documentElement.dataset['theme']).toBeUndefined();
  });

  it('? opens the help, which lists every section and closes on Escape', async () => {
    setup();
    fireEvent.keyDown(window, { key: '?' });
    // The help is a chunk of its own (ui/lazy.tsx): it opens once its code has arrived.
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const s of ['Scenario', 'Timeline', 'Diagram', 'Stepper'])
      expect(within(dialog).getByRole('heading', { name: s })).toBeTruthy();
    expect(dialog.contains(document.activeElement)).toBe(true);
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('the kernel selector switches the era; a notice shows and is dismissed', () => {
    const store = setup();
    fireEvent.change(screen.getByRole('combobox', { name: 'Kernel era' }), {
      target: { value: 'mainline' },
    });
    expect(store.getState().doc.kernel).toBe('mainline');
    act(() => store.getState().setNotice('Kernel era mainline: the run failed'));
    expect(screen.getByRole('alert').textContent).toContain('the run failed');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss the notice' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('describe', () => {
  it('groups hex digits by four', () => {
    expect(groupHex(0x7f0000002000n)).toBe('0x7f00_0000_2000');
    expect(groupHex(0x100)).toBe('0x100');
    expect(groupHex(0)).toBe('0x0');
  });
  it('summarises ops', () => {
    expect(opSummary({ op: 'bind', dev: 'gpu', proc: 'game' })).toBe('bind gpu ↔ game');
    expect(
      opSummary({ op: 'dma', dev: 'accel', pasid: 3, addr: '0x7f0000002000', access: 'w' }),
    ).toBe('dma accel PASID 3 w 0x7f00_0000_2000');
  });
});
