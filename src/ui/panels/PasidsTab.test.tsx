// @vitest-environment jsdom
// The PASIDs tab per kernel profile: rfc2017 lists iommu_process records, and a bond whose
// process exited is stale (RFCv2 frees the PASID at exit, the driver's late unbind gets
// -ESRCH); mainline lists each mm's PASID (mm->iommu_mm) with its SVA domain, and a process that
// exited keeps its PASID and SVA domain until the driver's late unbind — its bonds are held,
// not stale, and its CD faults everything (EPD0=1). A bond bound more than once shows the count.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { KernelProfile, OpDoc, ScenarioDoc } from '../../scenario/index.ts';
import { createAppStore, worldAt, type AppStore } from '../../state/index.ts';
import { StoreContext } from '../storeContext.ts';
import { PasidsTab } from './PasidsTab.tsx';

afterEach(cleanup);

// One PCI device with ATS in a DMA domain; app is bound twice, then other once; app exits.
const OPS: OpDoc[] = [
  { op: 'device', name: 'gpu', sid: 256, bus: 'pci', pasidBits: 20, ats: true },
  { op: 'domain', name: 'gpu-dom', type: 'dma' },
  { op: 'attach', dev: 'gpu', domain: 'gpu-dom' },
  { op: 'process', name: 'app' },
  { op: 'mmap', proc: 'app', addr: '0x7fff_0000_0000', size: '0x1000', prot: 'rw' },
  { op: 'touch', proc: 'app', addr: '0x7fff_0000_0000', access: 'w' },
  { op: 'bind', dev: 'gpu', proc: 'app' },
  { op: 'bind', dev: 'gpu', proc: 'app' },
  { op: 'process', name: 'other' },
  { op: 'bind', dev: 'gpu', proc: 'other' },
  { op: 'exit', proc: 'app' },
];
const EXIT = OPS.length - 1;

function doc(kernel: KernelProfile, ops: OpDoc[] = OPS, stall?: 'forced'): ScenarioDoc {
  return {
    format: 'sva-explorer/scenario',
    version: 1,
    kernel,
    ...(stall ? { platform: { smmu: { stall } } } : {}),
    ops,
  };
}

function setup(d: ScenarioDoc): AppStore {
  const store = createAppStore(d);
  expect(store.getState().timeline.records.map((r) => r.status)).not.toContain('error');
  render(
    <StoreContext.Provider value={store}>
      <PasidsTab />
    </StoreContext.Provider>,
  );
  return store;
}

const text = (id: string): string => screen.getByTestId(id).textContent ?? '';
const tab = (): string => document.body.textContent ?? '';

describe('PASIDs tab under mainline', () => {
  it('labels the record as the mm’s PASID and SVA domain, not iommu_process', () => {
    const store = setup(doc('mainline'));
    act(() => store.getState().setCursor(EXIT - 1));
    expect(tab()).not.toContain('iommu_process');
    expect(screen.queryByTestId('iommu-processes')).toBeNull();
    const section = screen.getByRole('region', { name: 'mm PASIDs and SVA domains' });
    expect(within(section).getByRole('heading').textContent).toMatch(/mm PASIDs.*iommu_mm/);
    // The global IDA hands out the lowest free PASID: 1 for app's mm, 2 for other's.
    const k = worldAt(store.getState().timeline, EXIT - 1).kernel!;
    const app = k.iommuProcesses.get(1)!;
    const other = k.iommuProcesses.get(2)!;
    expect([app.proc, other.proc]).toEqual(['app', 'other']);
    // One SVA domain per mm, each with its own SMMU ASID, neither the CPU's.
    expect(app.sva!.asid).not.toBe(other.sva!.asid);
    expect(app.sva!.asid).not.toBe(k.processes.get('app')!.mm.asid);
    expect(text('mm-pasid-1')).toMatch(/PASID 1\s*app\s*pid \d+ · SVA domain ASID \d+, 1 device/);
    expect(text('mm-pasid-1')).toContain(`ASID ${app.sva!.asid},`);
    expect(text('mm-pasid-1')).toContain('CD in gpu-dom');
    expect(text('mm-pasid-2')).toContain(`ASID ${other.sva!.asid},`);
    expect(text('smmu-asid-' + String(app.sva!.asid))).toBe(
      `ASID ${app.sva!.asid} SVA domain of app's mm`,
    );
    // The domain lists its SVA CDs (no RFCv2 context refs).
    expect(screen.getByRole('region', { name: 'Domains and SVA CDs' })).toBeTruthy();
    expect(text('context-gpu-dom-app')).not.toContain('ref');
    expect(text('context-gpu-dom-app')).toContain('attached: gpu');
  });

  it('shows the bind count of a bond bound more than once', () => {
    const store = setup(doc('mainline'));
    act(() => store.getState().setCursor(6)); // the first bind
    expect(screen.queryByTestId('bond-gpu-app-count')).toBeNull();
    act(() => store.getState().setCursor(7)); // the second: handle users 2
    expect(text('bond-gpu-app-count')).toBe('2 binds');
    expect(screen.getByTestId('bond-gpu-app-count').getAttribute('title')).toMatch(/2 users/);
    act(() => store.getState().setCursor(9));
    expect(screen.queryByTestId('bond-gpu-other-count')).toBeNull();
  });

  it('shows an exited process’s held PASID as held until the unbind, not as a stale bond', () => {
    setup(doc('mainline'));
    // The cursor is after the exit: app's mm lives on with PASID 1 in its SVA domain.
    const bond = screen.getByTestId('bond-gpu-app');
    expect(bond.className).not.toContain('stale');
    expect(bond.textContent).not.toMatch(/stale/);
    expect(bond.textContent).toContain('PASID 1');
    expect(bond.textContent).toContain('exited: PASID held until unbind');
    expect(text('bond-gpu-app-count')).toBe('2 binds');
    // arm_smmu_mm_release: the CD stays valid with EPD0=1, S=R=0 (stalls not forced).
    expect(text('bond-gpu-app-exited')).toBe(
      'CD 1 stays valid with EPD0=1: every access faults, aborted without an event (S=R=0); the last unbind frees the mm and PASID 1',
    );
    expect(text('pasid-1')).toMatch(/shared\s*process\s*app\s*exited: held by its mm until unbind/);
    expect(text('mm-pasid-1')).toMatch(/app\s*pid \d+\s*exited/);
    expect(text('mm-pasid-1-exited')).toContain('CD 1 stays valid with EPD0=1');
    expect(text('context-gpu-dom-app')).toContain('exited, EPD0=1');
    // other is untouched: live, bound once.
    expect(text('bond-gpu-other')).not.toMatch(/exited|stale|binds/);
  });

  it('frees the PASID at the last of the late unbinds', () => {
    const unbind: OpDoc = { op: 'unbind', dev: 'gpu', proc: 'app' };
    const store = setup(doc('mainline', [...OPS, unbind, unbind]));
    act(() => store.getState().setCursor(EXIT + 1));
    // One of two binds released: still held, now bound once.
    expect(text('bond-gpu-app')).toContain('exited: PASID held until unbind');
    expect(screen.queryByTestId('bond-gpu-app-count')).toBeNull();
    act(() => store.getState().setCursor(EXIT + 2));
    // The last unbind frees the SVA domain, then the mm and its PASID (mm_pasid_drop).
    expect(screen.queryByTestId('bond-gpu-app')).toBeNull();
    expect(screen.queryByTestId('pasid-1')).toBeNull();
    expect(screen.queryByTestId('mm-pasid-1')).toBeNull();
    expect(text('pasid-2')).toMatch(/process\s*other$/);
  });

  it('says S=R=1 when the SMMU forces stalls', () => {
    setup(doc('mainline', OPS, 'forced'));
    expect(text('bond-gpu-app-exited')).toMatch(
      /^CD 1 stays valid with EPD0=1: every access faults \(stalls are forced: S=R=1\)/,
    );
  });
});

describe('PASIDs tab under rfc2017', () => {
  it('keeps the iommu_process list and the context refs', () => {
    const store = setup(doc('rfc2017'));
    act(() => store.getState().setCursor(EXIT - 1));
    expect(screen.getByRole('region', { name: 'iommu_process list' })).toBeTruthy();
    expect(screen.queryByTestId('mm-pasids')).toBeNull();
    expect(text('iommu-process-1')).toMatch(/PASID 1\s*app/);
    // Both of app's binds are refs on the one context of gpu-dom.
    expect(text('context-gpu-dom-app')).toMatch(/ref 2/);
    expect(text('bond-gpu-app-count')).toBe('2 binds');
    expect(screen.getByTestId('bond-gpu-app-count').getAttribute('title')).toMatch(/2 refs/);
  });

  it('marks the bond of an exited process stale: RFCv2 freed its PASID at exit', () => {
    setup(doc('rfc2017'));
    expect(screen.queryByTestId('pasid-1')).toBeNull();
    const bond = screen.getByTestId('bond-gpu-app');
    expect(bond.className).toBe('stale');
    expect(bond.textContent).toContain('stale: PASID no longer this bond’s');
    expect(bond.textContent).not.toContain('exited');
    expect(text('bond-gpu-other')).not.toMatch(/stale/);
  });
});
