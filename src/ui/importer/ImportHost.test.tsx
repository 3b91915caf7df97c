// @vitest-environment jsdom
// The importer in the page: a paste outside text fields opens it, a log lists its events and
// messages, Reproduce opens the replay at the event, maps text creates a process, scenarios and
// links open after a confirm, the Share box hands a log over, and Esc closes the dialog.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScenarioDoc } from '../../scenario/index.ts';
import { encodeLink } from '../../share/index.ts';
import { createAppStore, loadRecent, type AppStore } from '../../state/index.ts';
import { ShareDialog } from '../share/ShareDialog.tsx';
import { StoreContext } from '../storeContext.ts';
import { ImportHost } from './ImportHost.tsx';

// jsdom gives modules an http: URL, so the fixtures are found from the repo root.
const fixture = (name: string): string => readFileSync(resolve('src/logs/fixtures', name), 'utf8');

beforeEach(() => localStorage.clear());
afterEach(cleanup);

const mine: ScenarioDoc = {
  format: 'sva-explorer/scenario',
  version: 1,
  title: 'mine',
  ops: [{ op: 'process', name: 'bash' }],
};

function setup(withShare = false): AppStore {
  const store = createAppStore(mine);
  render(
    <StoreContext.Provider value={store}>
      <input aria-label="a field" />
      <ImportHost />
      {withShare && <ShareDialog onClose={() => {}} />}
    </StoreContext.Provider>,
  );
  return store;
}

/** A paste event as the browser sends it (jsdom has no ClipboardEvent with data). */
function paste(text: string, target: EventTarget = document.body): void {
  const e = new Event('paste', { bubbles: true, cancelable: true });
  Object.assign(e, { clipboardData: { getData: (t: string) => (t === 'text/plain' ? text : '') } });
  act(() => {
    target.dispatchEvent(e);
  });
}

const dialog = () => screen.queryByTestId('import-dialog');

describe('the importer', () => {
  it('a pasted log lists its events with SIDs and its messages explained', async () => {
    setup();
    paste(
      `${fixture('02-aquantia-atl2-ftranslation.txt')}\n${fixture('19-gerror-cmdq-illegal-command.txt')}`,
    );
    await waitFor(() => expect(screen.getByTestId('import-event-0')).toBeTruthy());
    expect(screen.getByTestId('import-event-0').textContent).toContain('F_TRANSLATION');
    expect(screen.getAllByTestId('import-sid').map((c) => c.textContent)).toEqual(['0x20600']);
    expect(screen.getByTestId('import-note-gerror').textContent).toContain('CMDQ_ERR');
    expect(screen.getByTestId('import-note-cmdq-error').textContent).toContain('CERROR_ILL');
    expect(screen.getByTestId('import-summary').textContent).toMatch(
      /^1 event record, 2 other driver messages/,
    );
  });

  it('a paste into a text field is the field’s', () => {
    setup();
    paste(fixture('02-aquantia-atl2-ftranslation.txt'), screen.getByLabelText('a field'));
    expect(dialog()).toBeNull();
  });

  it('Reproduce opens the replay at the event, keeps the previous work in Recent', async () => {
    const store = setup();
    paste(fixture('02-aquantia-atl2-ftranslation.txt'));
    await waitFor(() => expect(screen.getByTestId('reproduce-0')).toBeTruthy());
    fireEvent.click(screen.getByTestId('reproduce-0'));
    await waitFor(() => expect(dialog()).toBeNull());
    const s = store.getState();
    expect(s.doc.title).toBe('Replay of 1 event from a pasted arm-smmu-v3 log');
    expect(s.cursor.op).toBe(3);
    const ev = s.timeline.records[3]!.events[0]!.event;
    expect([ev.name, ev.sid, ev.addr]).toEqual(['F_TRANSLATION', 0x20600, 0xff9bc000n]);
    expect(s.cursor.step).toBeGreaterThan(0); // at the event, not the start of the walk
    expect(loadRecent(localStorage)[0]!.title).toBe('mine');
    // The banner's code loads on demand (src/ui/lazy.tsx).
    await waitFor(() =>
      expect(screen.getByTestId('replay-banner').textContent).toContain(
        'F_TRANSLATION SID 0x20600',
      ),
    );
  });

  it('an event the model cannot raise has no Reproduce, and says why', async () => {
    setup();
    paste(
      [
        'arm-smmu-v3 a: event 0x12 received:',
        'arm-smmu-v3 a: \t0x0000038000000012',
        'arm-smmu-v3 a: \t0x0000020000000000',
        'arm-smmu-v3 a: \t0x0000000000001000',
        'arm-smmu-v3 a: \t0x0000000000000000',
      ].join('\n'),
    );
    await waitFor(() => expect(screen.getByTestId('reproduce-0')).toBeTruthy());
    expect(screen.getByTestId<HTMLButtonElement>('reproduce-0').disabled).toBe(true);
    expect(screen.getByTestId('import-event-0').textContent).toMatch(/AF=0/);
  });

  it('maps text creates a process with its VMAs (one Undo away)', async () => {
    const store = setup();
    paste(fixture('09-kernel-doc-proc-rst-i386.maps'));
    await waitFor(() => expect(screen.getByTestId('import-create-process')).toBeTruthy());
    fireEvent.click(screen.getByTestId('import-create-process'));
    const ops = store.getState().doc.ops;
    expect(ops[1]).toEqual({ op: 'process', name: 'test' });
    expect(ops.filter((o) => o.op === 'mmap')).toHaveLength(18);
    expect(store.getState().timeline.records.every((r) => r.status === 'ok')).toBe(true);
    store.getState().undo();
    expect(store.getState().doc).toEqual(mine);
  });

  it('a link opens after Open; a bad one says why', async () => {
    const store = setup();
    const other = { ...mine, title: 'other' };
    paste(`https://example.org/${encodeLink(other)}`);
    await waitFor(() => expect(screen.getByTestId('import-open')).toBeTruthy());
    fireEvent.click(screen.getByTestId('import-open'));
    expect(store.getState().doc.title).toBe('other');
    paste(encodeLink(other).replace(/#s=\d+\./, '#s=7.'));
    await waitFor(() => expect(screen.getByTestId('import-error')).toBeTruthy());
    expect(screen.getByTestId('import-error').textContent).toMatch(/^This link does not open: /);
  });

  it('binary and noise: a short answer; Esc closes', async () => {
    setup();
    paste('\u0000\u0001\u0002\u0003'.repeat(100));
    expect(screen.getByTestId('import-error').textContent).toMatch(/binary/);
    fireEvent.keyDown(screen.getByTestId('import-dialog'), { key: 'Escape' });
    expect(dialog()).toBeNull();
    paste('just words\n'.repeat(10));
    await waitFor(() => expect(screen.getByTestId('import-error')).toBeTruthy());
    expect(screen.getByTestId('import-error').textContent).toMatch(/^Nothing here was recognised/);
  });

  it('the Share box hands a kernel log to the importer', async () => {
    setup(true);
    fireEvent.change(screen.getByTestId('share-paste'), {
      target: { value: fixture('10-qemu-pxb-c-bad-streamid.txt') },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Load pasted' }));
    await waitFor(() => expect(screen.getByTestId('import-event-0')).toBeTruthy());
    expect(screen.getByTestId('import-sid').textContent).toBe('0x900');
    expect(screen.queryByTestId('share-error')).toBeNull();
  });
});
