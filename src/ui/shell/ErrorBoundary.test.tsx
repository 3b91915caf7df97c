// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from './ErrorBoundary.tsx';

afterEach(cleanup);

let broken = true;
function Fragile() {
  if (broken) throw new Error('no such table');
  return <p>drawn</p>;
}

describe('ErrorBoundary', () => {
  it('shows the error in place, then draws again when the moment changes or on request', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {}); // React logs the caught error
    broken = true;
    const { rerender } = render(
      <ErrorBoundary what="The diagram" resetKey={1}>
        <Fragile />
      </ErrorBoundary>,
    );
    expect(screen.getByRole('alert').textContent).toContain(
      'The diagram could not be drawn: no such table',
    );
    broken = false;
    rerender(
      <ErrorBoundary what="The diagram" resetKey={2}>
        <Fragile />
      </ErrorBoundary>,
    );
    expect(screen.getByText('drawn')).toBeTruthy();
    broken = true;
    rerender(
      <ErrorBoundary what="The diagram" resetKey={3}>
        <Fragile />
      </ErrorBoundary>,
    );
    broken = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('drawn')).toBeTruthy();
  });
});
