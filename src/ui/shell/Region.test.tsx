// @vitest-environment jsdom
// A region retries after an error when the moment changes (a step of the stepper counts), and a
// step does not re-render a region's content that does not read the store: the shell stays still
// while the stepper plays.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../state/index.ts';
import { StoreContext } from '../storeContext.ts';
import { Region } from './Region.tsx';

afterEach(cleanup);

let broken = false;
let renders = 0;
function Content() {
  renders++;
  if (broken) throw new Error('no such table');
  return <p>drawn</p>;
}

function setup() {
  // Op 26 of the default scenario is a device access: a walk of several steps.
  const store = createAppStore(undefined, { cursor: { op: 26, step: 0 } });
  const content = <Content />;
  render(
    <StoreContext.Provider value={store}>
      <Region what="The diagram">{content}</Region>
    </StoreContext.Provider>,
  );
  return store;
}

describe('Region', () => {
  it('shows an error in place and draws again on the next step', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {}); // React logs the caught error
    broken = true;
    const store = setup();
    expect(screen.getByRole('alert').textContent).toContain('The diagram could not be drawn');
    broken = false;
    act(() => store.getState().setStep(1));
    expect(screen.getByText('drawn')).toBeTruthy();
  });

  it('does not re-render its content when the step moves', () => {
    broken = false;
    const store = setup();
    const before = renders;
    act(() => store.getState().setStep(1));
    act(() => store.getState().setStep(2));
    expect(screen.getByText('drawn')).toBeTruthy();
    expect(renders).toBe(before);
  });
});
