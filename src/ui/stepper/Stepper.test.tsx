// @vitest-environment jsdom
// The stepper in the bottom panel: selected first on a device access, stepped by buttons and
// keys, played by the clock, the PRI fault's event-less denial and its page request, the
// timeline slider and the comparison of two moments (the fields of the CD the bind wrote).
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore, STEP_MS } from '../../state/index.ts';
import { BottomPanel } from '../panels/BottomPanel.tsx';
import { StoreContext } from '../storeContext.ts';
import { opSummary } from '../timeline/describe.ts';
import type * as Describe from '../timeline/describe.ts';

vi.mock('../timeline/describe.ts', async (original) => {
  const m = await original<typeof Describe>();
  return { ...m, opSummary: vi.fn(m.opSummary) };
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function setup(op: number) {
  const store = createAppStore(undefined, { cursor: { op, step: 0 } });
  render(
    <StoreContext.Provider value={store}>
      <BottomPanel />
    </StoreContext.Provider>,
  );
  return store;
}

const counter = () => screen.getByTestId('step-counter').textContent;
const key = (k: string) => fireEvent.keyDown(document.body, { key: k });

describe('Stepper', () => {
  it('opens first on a dma and steps with buttons and keys', () => {
    const store = setup(26);
    expect(screen.getByRole('tab', { name: 'Stepper' }).getAttribute('aria-selected')).toBe('true');
    expect(counter()).toBe('step 1 / 12');
    fireEvent.click(screen.getByTestId('step-next'));
    expect(counter()).toBe('step 2 / 12');
    expect(screen.getByTestId('step-level').textContent).toBe('L1STD');
    key('End');
    expect(store.getState().cursor.step).toBe(11);
    // Shared virtual addressing: the device reaches the page the CPU's touch of the same VA
    // (op 24) faulted in.
    const cpuPa = store.getState().timeline.records[24]!.pa!;
    expect(screen.getByTestId('step-note').textContent).toContain(
      `translated: PA 0x${cpuPa.toString(16)}`,
    );
    key('ArrowLeft');
    expect(screen.getByTestId('step-level').textContent).toBe('stage 1 · level 3');
    expect(screen.getByTestId('addr-field-L3').getAttribute('data-current')).toBe('true');
    key('Home');
    expect(counter()).toBe('step 1 / 12');
    key('ArrowRight');
    expect(counter()).toBe('step 2 / 12');
    // The lanes: the current marker is ringed; clicking another goes there.
    expect(screen.getByTestId('flow-step-1').getAttribute('data-current')).toBe('true');
    fireEvent.click(screen.getByTestId('flow-step-7'));
    expect(screen.getByTestId('addr-field-L0').getAttribute('data-value')).toBe('254');
  });

  it('plays to the end of the PRI flow and stops', () => {
    vi.useFakeTimers();
    const store = setup(27);
    key(' ');
    expect(screen.getByTestId('step-play').getAttribute('aria-pressed')).toBe('true');
    act(() => {
      vi.advanceTimersByTime(STEP_MS * 30);
    });
    expect(counter()).toBe('step 26 / 26');
    expect(screen.getByTestId('step-play').getAttribute('aria-pressed')).toBe('false');
    // Each lane of the PRI story has steps.
    for (const lane of ['device', 'smmu', 'priq', 'kernel', 'mm', 'cmdq'])
      expect(Number(screen.getByTestId(`lane-${lane}`).getAttribute('data-count'))).toBeGreaterThan(
        0,
      );
    // Back to the ATS denial: the event record is built but not recorded.
    act(() => store.getState().setStep(9));
    expect(screen.getByTestId('event-record').getAttribute('data-written')).toBe('false');
    expect(screen.getByTestId('event-fields-field-EventID').textContent).toContain('0x10');
  });

  it('while playing, a step leaves the time-travel bar alone and the markers do not fade', () => {
    vi.useFakeTimers();
    setup(27);
    // The time-travel bar names the op (opSummary) each time it renders.
    const renders = vi.mocked(opSummary).mock.calls.length;
    key(' ');
    expect(screen.getByTestId('stepper').classList.contains('is-playing')).toBe(true);
    act(() => {
      vi.advanceTimersByTime(STEP_MS * 3);
    });
    expect(counter()).toBe('step 4 / 26');
    expect(vi.mocked(opSummary).mock.calls.length).toBe(renders);
    key(' ');
    expect(screen.getByTestId('stepper').classList.contains('is-playing')).toBe(false);
  });

  it('next fault, the slider, and compare', () => {
    const store = setup(24);
    fireEvent.click(screen.getByRole('tab', { name: 'Stepper' }));
    fireEvent.click(screen.getByTestId('next-fault'));
    expect(store.getState().cursor).toEqual({ op: 27, step: 9 });
    fireEvent.click(screen.getByTestId('next-fault'));
    expect(store.getState().cursor.op).toBe(27);
    expect(screen.getByTestId('step-title').textContent).toBe('page request (PRG 0)');
    fireEvent.change(screen.getByTestId('time-slider'), { target: { value: '25' } });
    expect(store.getState().cursor).toEqual({ op: 25, step: 0 });
    expect(screen.getByTestId('time-moment').textContent).toMatch(/^op 25: bind/);
    fireEvent.click(screen.getByTestId('compare-toggle'));
    // The bind wrote one structure, CD 3: three words, shown as the fields that changed.
    expect(screen.getByTestId('compare-summary').textContent).toMatch(
      /^1 structure \(3 words\) and 0 cache entries differ/,
    );
    const cd = screen.getByTestId('compare-struct');
    expect(cd.textContent).toMatch(/^CD 3 CD leaf 0 of domain accel-dom/);
    const field = (name: string) =>
      screen.getAllByTestId('compare-field').find((f) => f.dataset.field === name)?.textContent;
    expect(field('V')).toBe('V 0x0 → 0x1 (invalid → valid)');
    expect(field('ASID')).toBe('ASID 0x0 → 0x42');
    expect(field('TTB0')).toMatch(/^TTB0 0x0 → 0x[0-9a-f]+000$/);
    expect(field('TTB1')).toBeUndefined();
    // The raw words are one click away.
    expect(screen.getAllByTestId('compare-word').map((r) => r.textContent)).toEqual([
      expect.stringMatching(/^dw0 0x0{16} → 0x[0-9a-f]{16}$/),
      expect.stringMatching(/^dw1 /),
      expect.stringMatching(/^dw3 /),
    ]);
  });
});
