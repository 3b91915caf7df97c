// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyScenario, seedStory, type ScenarioDoc } from '../../scenario/index.ts';
import { createAppStore, type AppStore } from '../../state/index.ts';
import { StoreContext } from '../storeContext.ts';
import { NewOpForm, NEW_OP_KIND_ID } from './NewOpForm.tsx';
import { buildOp, fieldError, resolve, specOf } from './opSpecs.ts';

afterEach(cleanup);

function setup(doc: ScenarioDoc = seedStory): AppStore {
  const store = createAppStore(doc);
  render(
    <StoreContext.Provider value={store}>
      <NewOpForm />
    </StoreContext.Provider>,
  );
  return store;
}

const form = () => screen.getByRole('form', { name: 'Add an op' });
const pickOp = (op: string) =>
  fireEvent.change(document.getElementById(NEW_OP_KIND_ID)!, { target: { value: op } });
const field = (label: string) => within(form()).getByLabelText(label, { exact: false });
const descriptionOf = (el: HTMLElement) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

describe('NewOpForm validation mapping', () => {
  it('shows "must be a multiple of 0x1000" at the size field of an mmap', () => {
    const store = setup();
    const before = store.getState().doc.ops.length;
    pickOp('mmap');
    fireEvent.change(field('Size'), { target: { value: '0x1001' } });
    fireEvent.submit(form());
    const size = field('Size');
    expect(size.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(size)).toContain('must be a multiple of 0x1000');
    expect(document.activeElement).toBe(size);
    // Nothing was appended, and the other fields are not marked.
    expect(store.getState().doc.ops.length).toBe(before);
    expect(field('Address').getAttribute('aria-invalid')).toBeNull();
  });

  it('clears the field error once the field is edited, and then adds the op', () => {
    const store = setup();
    pickOp('mmap');
    fireEvent.change(field('Size'), { target: { value: '0x1001' } });
    fireEvent.submit(form());
    fireEvent.change(field('Size'), { target: { value: '0x2000' } });
    expect(field('Size').getAttribute('aria-invalid')).toBeNull();
    fireEvent.submit(form());
    const ops = store.getState().doc.ops;
    expect(ops[ops.length - 1]).toEqual({
      op: 'mmap',
      proc: 'ml',
      addr: '0x7f00_0001_0000',
      size: '0x2000',
      prot: 'rw',
    });
  });

  it('names a missing required field', () => {
    setup();
    pickOp('process');
    fireEvent.change(field('Name'), { target: { value: '' } });
    fireEvent.submit(form());
    expect(field('Name').getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(field('Name'))).toContain('required');
  });

  it('shows a number typed as text at its field', () => {
    setup(emptyScenario());
    fireEvent.change(field('StreamID'), { target: { value: 'twelve' } });
    fireEvent.submit(form());
    expect(field('StreamID').getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(field('StreamID'))).toContain('must be a number');
  });

  it('maps a dma without a device to the device field', () => {
    setup(emptyScenario());
    pickOp('dma');
    fireEvent.submit(form());
    const dev = field('Device');
    expect(dev.getAttribute('aria-invalid')).toBe('true');
    expect(descriptionOf(dev)).toContain('give exactly one of "dev"');
  });

  it('maps an unknown command field of the advanced cmd op', () => {
    setup(emptyScenario());
    pickOp('cmd');
    fireEvent.change(field('Command'), { target: { value: 'CFGI_STE' } });
    fireEvent.change(field('StreamID'), { target: { value: 'zz' } });
    fireEvent.submit(form());
    expect(field('StreamID').getAttribute('aria-invalid')).toBe('true');
  });

  it('submits on Enter from a select, with defaults from the world', () => {
    const store = setup();
    pickOp('bind');
    fireEvent.change(field('Page tables'), { target: { value: 'private' } });
    fireEvent.keyDown(field('Page tables'), { key: 'Enter' });
    const ops = store.getState().doc.ops;
    expect(ops[ops.length - 1]).toEqual({
      op: 'bind',
      dev: 'accel',
      proc: 'ml',
      tables: 'private',
    });
    const rec = store.getState().timeline.records[ops.length - 1]!;
    expect(rec.status).toBe('error'); // ml is already bound to accel
    expect(screen.getByRole('status').textContent).toContain('bind accel ↔ ml');
  });

  it('builds a device from its fields (hex StreamID, flags only when set)', () => {
    const store = setup(emptyScenario());
    fireEvent.change(field('Name'), { target: { value: 'nic' } });
    fireEvent.change(field('StreamID'), { target: { value: '0x100' } });
    fireEvent.click(field('ATS'));
    fireEvent.submit(form());
    expect(store.getState().doc.ops).toEqual([
      { op: 'device', name: 'nic', sid: 256, bus: 'pci', pasidBits: 20, ats: true },
    ]);
    // The next device's defaults follow the world: a fresh name and the next free SID.
    expect((field('Name') as HTMLInputElement).value).toBe('dev0');
    expect((field('StreamID') as HTMLInputElement).value).toBe('0x101');
  });
});

describe('opSpecs', () => {
  it('parses validation errors of the appended op only', () => {
    expect(fieldError('ops[3].size: must be a multiple of 0x1000', 3)).toEqual({
      field: 'size',
      message: 'must be a multiple of 0x1000',
    });
    expect(fieldError('ops[2].size: x', 3).field).toBeUndefined();
    expect(fieldError('platform.smmu.ramSize: too big', 3).field).toBeUndefined();
  });

  it('a u64list field becomes a list of the words typed, commas or spaces between', () => {
    const spec = { ...specOf('write64'), op: 'write64' as const };
    const f = { key: 'value', label: 'Words', kind: 'u64list' as const };
    expect(buildOp(spec, [f], { value: ' 0x2000_0000_0000_800b, 0xd5  0x1' })).toEqual({
      op: 'write64',
      value: ['0x2000_0000_0000_800b', '0xd5', '0x1'],
    });
  });

  it('map switches between a domain and a private context', () => {
    const spec = specOf('map');
    const c = { kernel: undefined };
    const d = resolve(spec, c, {});
    expect(d.fields.map((f) => f.key)).toEqual(['target', 'domain', 'iova', 'size', 'prot', 'pa']);
    const p = resolve(spec, c, { target: 'private', dev: 'gpu', proc: 'game' });
    expect(buildOp(spec, p.fields, p.values)).toEqual({
      op: 'map',
      dev: 'gpu',
      proc: 'game',
      iova: '0x10_0000',
      size: '0x4000',
      prot: 'rw',
    });
  });
});
