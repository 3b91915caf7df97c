// @vitest-environment jsdom
// The bottom panel on the default scenario: tabs by keyboard, the stepper chosen when the cursor
// arrives at a dma, queue rings and pointers, cache contents, and the PASID state the story ends
// with.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyScenario, type ScenarioDoc } from '../../scenario/index.ts';
import { createAppStore } from '../../state/index.ts';
import { StoreContext } from '../storeContext.ts';
import { BottomPanel } from './BottomPanel.tsx';

afterEach(cleanup);

function setup(doc?: ScenarioDoc) {
  const store = createAppStore(doc);
  render(
    <StoreContext.Provider value={store}>
      <BottomPanel />
    </StoreContext.Provider>,
  );
  return store;
}

describe('BottomPanel', () => {
  it('switches tabs with the arrow keys and keeps one tab in the tab order', () => {
    setup();
    const queues = screen.getByRole('tab', { name: 'Queues' });
    expect(queues.getAttribute('aria-selected')).toBe('true');
    queues.focus();
    fireEvent.keyDown(queues, { key: 'ArrowRight' });
    const caches = screen.getByRole('tab', { name: 'Caches' });
    expect(caches.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(caches);
    expect(queues.getAttribute('tabindex')).toBe('-1');
    fireEvent.keyDown(caches, { key: 'End' });
    expect(screen.getByRole('tab', { name: 'Eras' }).getAttribute('aria-selected')).toBe('true');
    // ArrowRight on the last tab wraps to the first, the Stepper.
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { name: 'Stepper' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('tab-stepper');
  });

  it('selects the stepper when the cursor moves to a dma, without overriding the user', () => {
    const store = setup();
    const selected = () =>
      screen.getAllByRole('tab').find((t) => t.getAttribute('aria-selected') === 'true')!
        .textContent;
    // The story ends with a CPU touch: nothing to step through.
    expect(selected()).toBe('Queues');
    // A click on a dma row in the timeline moves the cursor there.
    act(() => store.getState().setCursor(26));
    expect(selected()).toBe('Stepper');
    // The user picks another tab on that op: stepping, or setting the cursor to the same op
    // again, keeps it.
    fireEvent.click(screen.getByRole('tab', { name: 'Caches' }));
    act(() => store.getState().setStep(3));
    act(() => store.getState().setCursor(26));
    expect(selected()).toBe('Caches');
    // An op that is not a device access and has no fault leaves the tab alone.
    act(() => store.getState().setCursor(24));
    expect(selected()).toBe('Caches');
    // Another dma: the stepper again.
    act(() => store.getState().setCursor(27));
    expect(selected()).toBe('Stepper');
    fireEvent.click(screen.getByRole('tab', { name: 'PASIDs' }));
    // "DMA here" appends a dma and moves the cursor to it.
    act(() => {
      store
        .getState()
        .appendOp({ op: 'dma', dev: 'accel', pasid: 3, addr: '0x7f00_0000_1000', access: 'r' });
    });
    expect(store.getState().cursor.op).toBe(store.getState().timeline.length - 1);
    expect(selected()).toBe('Stepper');
    expect(screen.getByTestId('step-counter').textContent).toMatch(/^step 1 \/ \d+$/);
  });

  it('draws the queues with PROD/CONS and wrap bits, and opens a slot in the inspector', () => {
    const store = setup();
    // 42 commands went through the 256-entry command queue; all consumed.
    expect(screen.getByTestId('queue-cmdq-prod').textContent).toBe('PROD 0x2a (wrap 0)');
    expect(screen.getByTestId('queue-cmdq-cons').textContent).toBe('CONS 0x2a (wrap 0)');
    expect(screen.getByTestId('queue-cmdq-state').textContent).toBe('empty');
    expect(screen.getAllByTestId(/^queue-slot-cmdq-\d+$/)).toHaveLength(256);
    expect(screen.getByTestId('queue-priq-prod').textContent).toBe('PROD 0x1 (wrap 0)');
    // The last ops' activity includes the CMD_SYNC of the ml bind and the PRI response.
    const activity = screen.getByTestId('queue-activity').textContent ?? '';
    expect(activity).toContain('CMD_SYNC');
    expect(activity).toContain('CMD_PRI_RESP');
    fireEvent.click(screen.getByTestId('queue-slot-cmdq-41'));
    const sel = store.getState().selection;
    expect(sel).toMatchObject({
      kind: 'memory',
      struct: 'command',
      title: 'CMDQ[41] CMD_PRI_RESP',
    });
  });

  it('lists the caches and the PASID state', () => {
    const store = setup();
    fireEvent.click(screen.getByRole('tab', { name: 'Caches' }));
    expect(screen.getAllByTestId(/^tlb-entry-\d+$/).length).toBeGreaterThan(0);
    expect(screen.getAllByTestId(/^cfg-entry-\d+$/).length).toBeGreaterThan(0);
    expect(screen.getAllByTestId(/^atc-entry-\d+$/)).toHaveLength(2);
    fireEvent.click(screen.getByTestId('cfg-entry-0'));
    expect(store.getState().selection).toMatchObject({ kind: 'memory', struct: 'ste' });
    fireEvent.click(screen.getByRole('tab', { name: 'PASIDs' }));
    expect(screen.getByTestId('pasid-1').textContent).toMatch(/private.*gpu.*compositor/);
    expect(screen.getByTestId('pasid-2').textContent).toMatch(/private.*gpu.*game/);
    expect(screen.getByTestId('pasid-3').textContent).toMatch(/shared.*ml/);
    expect(screen.getByTestId('context-accel-dom-ml').textContent).toMatch(/ref 1/);
    expect(screen.getByTestId('cpu-asid-ml').textContent).toMatch(/pinned/);
  });

  it('marks what the op at the cursor changed in the caches', () => {
    const store = setup();
    // Op 26: the accelerator's first DMA fills the TLB and the ATC.
    act(() => store.getState().setCursor(26));
    fireEvent.click(screen.getByRole('tab', { name: 'Caches' }));
    expect(screen.getByTestId('cache-tlb').querySelectorAll('tr.new').length).toBeGreaterThan(0);
    expect(screen.getByTestId('cache-atc').querySelectorAll('tr.new')).toHaveLength(1);
  });

  it('renders the mainline profile and a bare SMMU without a kernel', () => {
    const store = setup();
    act(() => void store.getState().setKernel('mainline'));
    for (const name of ['Caches', 'PASIDs', 'Queues'])
      fireEvent.click(screen.getByRole('tab', { name }));
    expect(screen.getByTestId('queue-cmdq-state').textContent).toContain('empty');
    cleanup();
    setup(emptyScenario());
    // Reset state: queues not programmed and disabled, no kernel.
    expect(screen.getByTestId('queue-cmdq-state').textContent).toContain('disabled');
    expect(screen.getByTestId('queue-cmdq-prod').textContent).toBe('PROD 0x0 (wrap 0)');
    fireEvent.click(screen.getByRole('tab', { name: 'PASIDs' }));
    expect(screen.getByTestId('pasids-none')).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: 'Caches' }));
    expect(screen.getByTestId('cache-tlb').textContent).toContain('Empty');
  });

  it('lists an event the op wrote and highlights its slot', () => {
    const store = setup();
    // The GPU (stall-capable) reads an unmapped address under PASID 1: a stalled F_TRANSLATION,
    // answered by a CMD_RESUME.
    act(() => {
      store
        .getState()
        .appendOp({ op: 'dma', dev: 'gpu', pasid: 1, addr: '0x50_0000', access: 'r' });
    });
    const op = store.getState().timeline.length - 1;
    // The cursor moved to the new dma: the stepper is shown; the queues are one click away.
    expect(screen.getByRole('tab', { name: 'Stepper' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.click(screen.getByRole('tab', { name: 'Queues' }));
    const ev = screen.getByTestId(`event-${op}-0`);
    expect(ev.textContent).toContain('F_TRANSLATION');
    expect(ev.textContent).toContain('stalled, STAG 0');
    expect(screen.getByTestId(`cmd-${op}-0`).textContent).toContain('CMD_RESUME');
    expect(screen.getByTestId('queue-slot-evtq-0').getAttribute('class')).toContain('touched');
    expect(screen.getByTestId('queue-evtq-prod').textContent).toBe('PROD 0x1 (wrap 0)');
    fireEvent.click(screen.getByRole('button', { name: /EVTQ\[0\] F_TRANSLATION/ }));
    expect(store.getState().selection).toMatchObject({
      struct: 'event',
      title: 'EVTQ[0] F_TRANSLATION',
    });
  });
});
