// @vitest-environment jsdom
// The inspector on the default scenario's display STE (SID 0x10 → domain "media", CD table with
// one CD, S1DSS=SSID0). Expected values are worked out by hand from the spec and the story, not
// read back through the inspector's own decoding.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { hex, hex64 } from '../../engine/index.ts';
import { createAppStore, worldAt } from '../../state/index.ts';
import { StoreContext } from '../storeContext.ts';
import { InspectorPanel } from './InspectorPanel.tsx';

afterEach(cleanup);

function setup() {
  const store = createAppStore();
  const { timeline, cursor } = store.getState();
  const k = worldAt(timeline, cursor.op).kernel!;
  const strtab = k.driver.strtab;
  // 2-level stream table, SPLIT 8: SID 0x10 is L1 index 0, entry 0x10 of its 256-STE leaf.
  expect(strtab.fmt).toBe('2level');
  expect(strtab.split).toBe(8);
  const stePa = strtab.l2.get(0)! + 0x10n * 64n;
  const cdBase = k.domains.get('media')!.cdtable!.base;
  render(
    <StoreContext.Provider value={store}>
      <InspectorPanel />
    </StoreContext.Provider>,
  );
  return { store, stePa, cdBase };
}

const value = (name: string) => screen.getByTestId(`inspector-field-${name}-value`).textContent;

describe('InspectorPanel', () => {
  it('decodes the display STE of the default scenario', () => {
    const { store, stePa, cdBase } = setup();
    act(() =>
      store
        .getState()
        .select({ kind: 'memory', struct: 'ste', pa: stePa, title: 'STE 0x10 (display)' }),
    );
    expect(screen.getByTestId('inspector-title').textContent).toBe('STE 0x10 (display)');
    expect(screen.getByTestId('inspector-pa').textContent).toBe(hex(stePa));
    // dw0 = S1ContextPtr (the CD table, 64-byte aligned) | Config 0b101 << 1 | V = base | 0xb.
    expect(screen.getByTestId('inspector-word-0-hex').textContent).toBe(hex64(cdBase | 0xbn));
    // dw1 = S1STALLD (bit 27: SMMU can stall, display can't) | S1CSH 3 | S1COR 1 | S1CIR 1 | S1DSS 2.
    expect(screen.getByTestId('inspector-word-1-hex').textContent).toBe(hex64(0x080000d6n));
    expect(value('V')).toBe('0x1');
    expect(value('Config')).toBe('0x5');
    expect(screen.getByTestId('inspector-field-Config').textContent).toContain(
      'stage 1 translates',
    );
    expect(screen.getByTestId('inspector-field-Config').textContent).toContain('§5.2');
    expect(screen.getByTestId('inspector-field-Config').textContent).toContain('dw0[3:1]');
    expect(value('S1DSS')).toBe('0x2');
    expect(value('S1Fmt')).toBe('0x0');
    expect(value('S1CDMax')).toBe('0x0');
    expect(value('S1CIR')).toBe('0x1');
    expect(value('S1COR')).toBe('0x1');
    expect(value('S1CSH')).toBe('0x3');
    expect(value('S1STALLD')).toBe('0x1');
    expect(value('S1ContextPtr')).toBe(hex(cdBase >> 6n));
    expect(screen.getByTestId('inspector-field-S1ContextPtr').textContent).toContain(
      `address ${hex(cdBase)}`,
    );
    expect(value('S2VMID')).toBe('0x0');
    // Eight words; dw4..7 hold no modelled fields.
    expect(screen.getAllByTestId(/^inspector-word-\d$/)).toHaveLength(8);
  });

  it('highlights a field’s bits in the ruler while its row is hovered', () => {
    const { store, stePa } = setup();
    act(() => store.getState().select({ kind: 'memory', struct: 'ste', pa: stePa, title: 'STE' }));
    const ruler = screen.getByTestId('inspector-word-0');
    const lit = () => [...ruler.querySelectorAll('.hl')].map((e) => e.getAttribute('data-bit'));
    expect(lit()).toEqual([]);
    fireEvent.mouseEnter(screen.getByTestId('inspector-field-Config'));
    expect(lit()).toEqual(['3', '2', '1']);
    // Config = 0b101: bits 3 and 1 are ones.
    const bits = [...ruler.querySelectorAll('[data-field="Config"]')].map((e) => e.textContent);
    expect(bits).toEqual(['1', '0', '1']);
    fireEvent.mouseLeave(screen.getByTestId('inspector-field-Config'));
    fireEvent.mouseLeave(screen.getByTestId('inspector-fields').querySelector('tbody')!);
    expect(lit()).toEqual([]);
  });

  it('inspects a register chosen from the list', () => {
    setup();
    fireEvent.click(screen.getByTestId('reg-CR0'));
    expect(screen.getByTestId('inspector-title').textContent).toBe('SMMU_CR0');
    // The probed driver enables SMMUEN, EVENTQEN, CMDQEN and PRIQEN: CR0 = 0xf.
    expect(screen.getByTestId('inspector-word-0-hex').textContent).toBe('0x0000000f');
    expect(value('SMMUEN')).toBe('0x1');
    expect(screen.getByTestId('inspector-field-SMMUEN').textContent).toContain('§6.3.9');
    fireEvent.click(screen.getByTestId('reg-STRTAB_BASE_CFG'));
    // FMT=1 (2-level), SPLIT=8, LOG2SIZE=16: 0x10000 | 8<<6 | 16 = 0x10210.
    expect(screen.getByTestId('inspector-word-0-hex').textContent).toBe('0x00010210');
    expect(within(screen.getByTestId('inspector-field-FMT')).getByText(/2-level/)).toBeTruthy();
  });

  it('says so when the selection does not exist at this moment', () => {
    const { store } = setup();
    act(() => store.getState().select({ kind: 'memory', struct: 'cd', pa: 0x10n, title: 'gone' }));
    expect(screen.getByTestId('inspector-missing').textContent).toMatch(/not RAM/);
    // A RAM frame the allocator has not handed out is not a CD either.
    const k = worldAt(store.getState().timeline, store.getState().cursor.op).kernel!;
    const free = k.frames.end - 0x1000n;
    act(() => store.getState().select({ kind: 'memory', struct: 'cd', pa: free, title: 'freed' }));
    expect(screen.getByTestId('inspector-missing').textContent).toMatch(/free/);
  });
});
